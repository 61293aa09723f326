package com.harmony.account.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import de.mkammerer.argon2.Argon2Advanced;
import de.mkammerer.argon2.Argon2Factory;
import de.mkammerer.argon2.Argon2Factory.Argon2Types;
import de.mkammerer.argon2.Argon2Version;

/**
 * Argon2 password hashes in the PHC string format ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}),
 * computed by libargon2, the reference C implementation (argon2-jvm, through JNA). A hash's memory (19 MiB)
 * is malloc'd and freed by the C library, off the Java heap: computed in Java (Bouncy Castle, before), it was
 * 19,456 heap objects per hash, which the collector copied and promoted while the hash ran, so a small heap
 * cost sign-ins. Hashes written by the libraries used before are in the same format and still verify.
 */
record Argon2Hash(int type, int version, int memoryKib, int iterations, int parallelism, byte[] salt, byte[] hash) {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    /** The PHC names, indexed by the type numbers of the reference implementation (Argon2_d = 0, Argon2_i = 1, Argon2_id = 2). */
    private static final List<String> TYPES = List.of("argon2d", "argon2i", "argon2id");
    private static final List<Argon2Advanced> FUNCTIONS = List.of(Argon2Factory.createAdvanced(Argon2Types.ARGON2d),
            Argon2Factory.createAdvanced(Argon2Types.ARGON2i), Argon2Factory.createAdvanced(Argon2Types.ARGON2id));
    private static final int ARGON2_ID = 2;
    private static final int VERSION_10 = 0x10;
    private static final int VERSION_13 = 0x13;

    /** A new Argon2id hash of the password (UTF-8) with a random 16-byte salt and a 32-byte output; its PHC string is {@link #toString}. */
    static Argon2Hash create(String password, int memoryKib, int iterations, int parallelism) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        byte[] out = derive(password, ARGON2_ID, VERSION_13, memoryKib, iterations, parallelism, salt, 32);
        return new Argon2Hash(ARGON2_ID, VERSION_13, memoryKib, iterations, parallelism, salt, out);
    }

    /** The stored hash's parameters, or null when it is not an Argon2 PHC string. */
    static Argon2Hash parse(String phc) {
        try {
            String[] parts = phc.split("\\$");
            // "", type, [v=..], params, salt, hash
            if (parts.length != 5 && parts.length != 6 || !parts[0].isEmpty()) {
                return null;
            }
            int type = TYPES.indexOf(parts[1]);
            int i = 2;
            int version = VERSION_10;
            if (parts.length == 6) {
                if (!parts[i].startsWith("v=")) {
                    return null;
                }
                version = Integer.parseInt(parts[i++].substring(2));
            }
            int m = -1, t = -1, p = -1;
            for (String kv : parts[i++].split(",")) {
                int eq = kv.indexOf('=');
                int value = Integer.parseInt(kv.substring(eq + 1));
                switch (kv.substring(0, Math.max(eq, 0))) {
                    case "m" -> m = value;
                    case "t" -> t = value;
                    case "p" -> p = value;
                    default -> { } // unknown parameters (keyid, data) do not change the check here
                }
            }
            byte[] salt = Base64.getDecoder().decode(parts[i++]);
            byte[] hash = Base64.getDecoder().decode(parts[i]);
            boolean known = type >= 0 && (version == VERSION_10 || version == VERSION_13);
            return known && m >= 8 * p && m <= 1 << 20 && t >= 1 && p >= 1 && salt.length >= 8 && hash.length >= 4
                    ? new Argon2Hash(type, version, m, t, p, salt, hash) : null;
        } catch (RuntimeException malformed) {
            return null;
        }
    }

    /** Whether the password gives this hash (compared in constant time). */
    boolean matches(String password) {
        // JNA cannot hand libargon2 an empty buffer, and no password rule ever allowed an empty password: an empty
        // one does the same work on one byte (the same time as any other) and never matches
        boolean empty = password.isEmpty();
        byte[] candidate = derive(empty ? "\0" : password, type, version, memoryKib, iterations, parallelism, salt, hash.length);
        return !empty && MessageDigest.isEqual(candidate, hash);
    }

    boolean sameParameters(int memoryKib, int iterations, int parallelism) {
        return type == ARGON2_ID && version == VERSION_13
                && this.memoryKib == memoryKib && this.iterations == iterations && this.parallelism == parallelism;
    }

    @Override
    public String toString() {
        return "$" + TYPES.get(type) + "$v=" + version + "$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    private static byte[] derive(String password, int type, int version, int memoryKib, int iterations, int parallelism,
            byte[] salt, int length) {
        return FUNCTIONS.get(type).rawHashAdvanced(iterations, memoryKib, parallelism, password.getBytes(StandardCharsets.UTF_8),
                salt, null, null, length, version == VERSION_13 ? Argon2Version.V13 : Argon2Version.V10);
    }
}
