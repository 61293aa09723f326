package com.harmony.platform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 of text: what is stored in place of tokens, and what ETags and fingerprints are made of. */
public final class Hashes {

    private Hashes() {
    }

    public static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The digest as lowercase hex: how token and key digests are stored. */
    public static String sha256Hex(String value) {
        return java.util.HexFormat.of().formatHex(sha256(value));
    }
}
