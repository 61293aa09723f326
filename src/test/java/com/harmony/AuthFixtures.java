package com.harmony;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Signed-in principals for tests, made the way a client makes them: register, sign in, and for staff
 * roles an admin grants the role. The bootstrap admin of the test profile is the way in.
 */
public final class AuthFixtures {

    public static final String ADMIN_EMAIL = "admin@harmony.test";
    public static final String ADMIN_PASSWORD = "test-admin-password-1";
    public static final String PASSWORD = "a perfectly fine passphrase";

    private static volatile SignedIn admin;

    private AuthFixtures() {
    }

    /** A signed-in principal: its account id, email and a bearer access token. */
    public record SignedIn(String accountId, String accessToken, String email, String refreshToken) {

        public SignedIn(String accountId, String accessToken) {
            this(accountId, accessToken, null, null);
        }
    }

    public static String uniqueEmail() {
        return "u" + UUID.randomUUID().toString().replace("-", "").substring(0, 12) + "@example.com";
    }

    public static Map<String, Object> address() {
        return Map.of("name", "Ada Lovelace", "line1", "12 Analytical Way", "city", "Springfield",
                "postal_code", "62701", "country", "US", "phone", "+1 217 555 0100");
    }

    public static Map<String, Object> registration(String email) {
        return new java.util.HashMap<>(Map.of("email", email, "password", PASSWORD, "name", "Ada Lovelace",
                "phone", "+1 217 555 0100", "address", address(), "birth_date", "1990-12-10",
                "interests", List.of("outdoor")));
    }

    /** Registers from a client address of its own, so registrations never meet the per-address limit. */
    public static void submitRegistration(String email) {
        given().contentType(ContentType.JSON).header("X-Forwarded-For", randomClient()).body(registration(email)).post("/v1/accounts")
                .then().statusCode(202);
    }

    /** Registers and answers the new account's id (registration itself never tells it). */
    public static String register(String email) {
        submitRegistration(email);
        return signIn(email, PASSWORD).accountId();
    }

    /**
     * A client address no other test shares (an IPv6 /64 picked from 2^32), for a test that uses up a per-address limit:
     * {@link #randomClient} draws from about 130,000, which a used-up limit might still refuse for another test.
     */
    public static String uniqueClient() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        return "2001:db8:" + Integer.toHexString(r.nextInt(1, 0x10000)) + ":" + Integer.toHexString(r.nextInt(1, 0x10000)) + "::1";
    }

    /**
     * A client address from the benchmarking range (198.18.0.0/15), behind one from TEST-NET-3, as a trusted proxy would
     * report them. Drawn from 130,000: from TEST-NET-2's 254, one address came up more than ten times in a suite's
     * registrations and the per-address limit refused an unrelated test's (VisitorTest, once in CI).
     */
    public static String randomClient() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        return "203.0.113." + (1 + r.nextInt(254)) + ", 198." + r.nextInt(18, 20) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
    }

    public static SignedIn signIn(String email, String password) {
        var r = given().contentType(ContentType.JSON).body(Map.of("email", email, "password", password))
                .post("/v1/auth/sign-in").then().statusCode(200).extract();
        return new SignedIn(r.path("account_id"), r.path("access_token"), email, r.path("refresh_token"));
    }

    public static SignedIn customer() {
        String email = uniqueEmail();
        submitRegistration(email);
        return signIn(email, PASSWORD);
    }

    public static SignedIn support() {
        return withRoles("support", "customer");
    }

    /** The bootstrap admin, signed in once per test run. */
    public static SignedIn admin() {
        if (admin == null) {
            admin = signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
        }
        return admin;
    }

    public static SignedIn withRoles(String... roles) {
        String email = uniqueEmail();
        String id = register(email);
        given().auth().oauth2(admin().accessToken()).contentType(ContentType.JSON).body(Map.of("roles", List.of(roles)))
                .put("/v1/admin/accounts/" + id + "/roles").then().statusCode(200);
        return signIn(email, PASSWORD);
    }
}
