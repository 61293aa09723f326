package com.harmony.engagement;

import com.harmony.platform.Hashes;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The winner draw (P5), deterministic once the seed is chosen, so anyone holding the published seed and
 * entry list recomputes the same picks. The seed is drawn after entries closed and only then, so nobody
 * could pick it to suit an entry.
 */
final class Draw {

    static final String ALGORITHM = "hmac-sha256-mod-v1";

    /** Documented in the API description of the draw; keep the two in step. */
    static final String DESCRIPTION = """
            Algorithm hmac-sha256-mod-v1. (1) entry_ids: the ids of every entry at the time of the draw, as lowercase \
            hyphenated UUID text, sorted ascending by character code. (2) entries_digest: SHA-256, in lowercase hex, of the \
            UTF-8 text made of each id followed by a line feed ("\\n"), the last one included (no entries: the digest of \
            the empty text). (3) seed: 32 random bytes from a cryptographic generator, drawn at the moment of the draw, in \
            lowercase hex. (4) Pick i, for i = 0, 1, 2, ...: h = HMAC-SHA256 with the 32 seed bytes as key over the UTF-8 \
            text "draw:" followed by i in decimal (draw:0, draw:1, ...); read h as an unsigned big-endian integer; of the \
            entries not yet picked, in the sorted order of (1), take the one at 0-based position h mod their count. The \
            first `winners` picks (fewer when there are fewer entries) are the draw; a replacement for a disqualified \
            winner is the next pick of the same sequence, so every pick ever made is recomputable from seed and list.""";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private Draw() {
    }

    static String newSeed() {
        byte[] seed = new byte[32];
        RANDOM.nextBytes(seed);
        return HEX.formatHex(seed);
    }

    /** The ids as the draw lists them: lowercase text, ascending. */
    static List<String> sorted(Collection<UUID> ids) {
        return ids.stream().map(UUID::toString).sorted().toList();
    }

    static String digest(List<String> sortedIds) {
        StringBuilder text = new StringBuilder(sortedIds.size() * 37);
        sortedIds.forEach(id -> text.append(id).append('\n'));
        return HEX.formatHex(Hashes.sha256(text.toString()));
    }

    /**
     * Picks {@code count} entries from {@code remaining} (sorted, not yet picked), starting at index
     * {@code first} of the sequence; each pick is removed from {@code remaining}.
     */
    static List<String> pick(String seedHex, List<String> remaining, int first, int count) {
        Mac mac = mac(HEX.parseHex(seedHex));
        List<String> picks = new ArrayList<>();
        for (int i = first; i < first + count && !remaining.isEmpty(); i++) {
            byte[] h = mac.doFinal(("draw:" + i).getBytes(StandardCharsets.UTF_8));
            int at = new BigInteger(1, h).mod(BigInteger.valueOf(remaining.size())).intValue();
            picks.add(remaining.remove(at));
        }
        return picks;
    }

    private static Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }
}
