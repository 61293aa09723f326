package com.harmony.platform;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * The server's HMAC key (SECRET_KEY): what makes CSRF tokens bound to a session or cart and refresh
 * token successors unguessable to anyone without it. Production refuses to start without one, since
 * a per-start key would silently void every browser's CSRF token on each restart and differ between
 * instances (and the throttle's counters, keyed by it); dev and test make one up when none is set.
 */
@ApplicationScoped
@Startup
public class ServerKey {

    private static final Logger LOG = Logger.getLogger(ServerKey.class);
    static final int MIN_LENGTH = 32;
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    ServerKey(SecurityConfig config) {
        this.key = new SecretKeySpec(secret(config.secretKey(), LaunchMode.current()), ALGORITHM);
        Cursor.signWith(this);
        Throttle.keyWith(this);
    }

    static byte[] secret(Optional<String> configured, LaunchMode mode) {
        if (configured.isPresent() && configured.get().length() >= MIN_LENGTH) {
            return configured.get().getBytes(StandardCharsets.UTF_8);
        }
        if (mode == LaunchMode.NORMAL) {
            throw new IllegalStateException("SECRET_KEY (harmony.security.secret-key) must be set to at least " + MIN_LENGTH
                    + " random characters, the same on every instance (e.g. openssl rand -base64 48)");
        }
        LOG.warn("No SECRET_KEY of at least " + MIN_LENGTH + " characters: using a random one for this run only");
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return random;
    }

    /** HMAC-SHA256 of value, base64url; purpose keeps the uses apart, so a value signed for one is worthless for another. */
    public String sign(String purpose, String value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac(purpose, value));
    }

    /** The same HMAC in 64 lowercase hex digits, where a fixed-width key is stored. */
    String signHex(String purpose, String value) {
        return HexFormat.of().formatHex(mac(purpose, value));
    }

    private byte[] mac(String purpose, String value) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update(purpose.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has " + ALGORITHM, e);
        }
    }
}
