package com.harmony;

import java.util.UUID;

/**
 * Signed-in principals for tests. Every test that needs a customer, support agent or admin gets one
 * here, so how identities are made (minted tokens now, real sign-in once accounts exist) changes in
 * this one place.
 */
public final class AuthFixtures {

    private AuthFixtures() {
    }

    /** A signed-in principal: its account id and a bearer access token. */
    public record SignedIn(String accountId, String accessToken) {
    }

    public static SignedIn customer() {
        return as("customer");
    }

    public static SignedIn support() {
        return as("support");
    }

    public static SignedIn admin() {
        return as("admin");
    }

    private static SignedIn as(String role) {
        String id = UUID.randomUUID().toString();
        return new SignedIn(id, io.smallrye.jwt.build.Jwt.subject(id).groups(role).expiresIn(900).sign());
    }
}
