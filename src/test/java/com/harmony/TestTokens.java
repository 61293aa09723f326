package com.harmony;

import io.smallrye.jwt.build.Jwt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;

/** Mints access tokens for tests with the test key pair, including broken ones. */
public final class TestTokens {

    private TestTokens() {
    }

    public static String admin() {
        return withRoles("admin");
    }

    public static String withRoles(String... roles) {
        return Jwt.subject(UUID.randomUUID().toString()).groups(Set.of(roles)).expiresIn(900).sign();
    }

    public static String expiredAdmin() {
        long now = System.currentTimeMillis() / 1000;
        return Jwt.subject(UUID.randomUUID().toString()).groups(Set.of("admin"))
                .issuedAt(now - 3600).expiresAt(now - 1800).sign();
    }

    public static String wrongIssuerAdmin() {
        return Jwt.issuer("https://evil.example").subject(UUID.randomUUID().toString()).groups(Set.of("admin")).expiresIn(900).sign();
    }

    public static String wrongAudienceAdmin() {
        return Jwt.audience("someone-else").subject(UUID.randomUUID().toString()).groups(Set.of("admin")).expiresIn(900).sign();
    }

    public static String foreignKeyAdmin() {
        return Jwt.subject(UUID.randomUUID().toString()).groups(Set.of("admin")).expiresIn(900).sign(foreignKey());
    }

    /** A token claiming admin with {"alg":"none"} and no signature. */
    public static String unsignedAdmin() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        long exp = System.currentTimeMillis() / 1000 + 900;
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes());
        String payload = b64.encodeToString(("{\"iss\":\"https://harmony.example/api\",\"aud\":\"harmony-api\",\"sub\":\"x\","
                + "\"groups\":[\"admin\"],\"exp\":" + exp + "}").getBytes());
        return header + "." + payload + ".";
    }

    private static PrivateKey foreignKey() {
        try {
            String pem = Files.readString(Path.of("src/test/resources/jwt/foreignPrivateKey.pem"))
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
