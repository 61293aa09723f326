package com.harmony.platform;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * An opaque keyset cursor: the sort it belongs to, the last sort key and the last id. Clients pass
 * it back as-is; a cursor from another sort or a tampered one is a 400, never a wrong page.
 */
public record Cursor(String sort, String key, String id) {

    private static final char SEP = '\u001f';

    public String encode() {
        String raw = sort + SEP + key + SEP + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    public static Cursor decode(String value, String expectedSort) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
            String[] parts = raw.split(String.valueOf(SEP), -1);
            if (parts.length != 3 || !parts[0].equals(expectedSort)) {
                throw invalid();
            }
            return new Cursor(parts[0], parts[1], parts[2]);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    public static ProblemException invalid() {
        return new ProblemException(ProblemType.INVALID_CURSOR,
                "The cursor is not one this listing issued with these sort options; start again without it.");
    }
}
