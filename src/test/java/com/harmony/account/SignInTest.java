package com.harmony.account;

import static com.harmony.AuthFixtures.PASSWORD;
import static com.harmony.AuthFixtures.register;
import static com.harmony.AuthFixtures.signIn;
import static com.harmony.AuthFixtures.uniqueEmail;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures.SignedIn;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** Sign-in, tokens and sessions for apps (bearer) and browsers (cookies), P22, P24, P25. */
@QuarkusTest
class SignInTest {

    private static final String PROBLEMS = "https://harmony.example/problems/";

    @jakarta.inject.Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    private static String randomIp() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "198.51." + r.nextInt(256) + "." + r.nextInt(1, 255);
    }

    /** Registers the email, then signs in from one address with the password for it and for an unknown email; answers both. */
    private static List<Response> knownAndUnknown(String email, String password) {
        register(email);
        String ip = randomIp();
        return List.of(attempt(email, password, ip), attempt(uniqueEmail(), password, ip));
    }

    private static Response attempt(String email, String password, String ip) {
        return given().contentType(ContentType.JSON).header("X-Forwarded-For", ip)
                .body(Map.of("email", email, "password", password)).post("/v1/auth/sign-in");
    }

    /**
     * A client that goes away while its sign-in is being checked gives its place back: five abandoned attempts
     * must not hold the account and address's places until the window ends (they answered 429 for 15 minutes).
     */
    @Test
    void signInsAbandonedByTheirClients_holdNoPlaceOnTheThrottle() throws Exception {
        String email = uniqueEmail();
        register(email);
        String ip = randomIp();
        byte[] body = ("{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < 5; i++) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", io.restassured.RestAssured.port)) {
                socket.getOutputStream().write(("POST /v1/auth/sign-in HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "X-Forwarded-For: " + ip + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                socket.getOutputStream().write(body);
                socket.getOutputStream().flush();
                Thread.sleep(20); // the request is under way (the password is being hashed) when the client leaves
            }
        }
        Thread.sleep(1500); // the abandoned checks end
        attempt(email, PASSWORD, ip).then().statusCode(200);
    }

    /** Places in flight that never settled (an instance that died mid-attempt) lapse after their lease instead of the window. */
    @Test
    void placesInFlightThatNeverSettled_lapseAfterTheirLease() {
        String email = uniqueEmail();
        register(email);
        String ip = randomIp();
        String key = com.harmony.platform.Throttle.digest("sign-in:account-ip:" + email.toLowerCase(java.util.Locale.ROOT) + "|"
                + com.harmony.platform.ClientAddress.bucket(ip));
        pool.preparedQuery("""
                        insert into rate_limit (key, attempts, pending, pending_since, window_start, locks)
                        values ($1, 0, 5, now() - interval '1 minute', now(), 0)""")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(key)).await().atMost(java.time.Duration.ofSeconds(5));
        attempt(email, PASSWORD, ip).then().statusCode(200);
    }

    @Test
    void signInGivesAShortLivedBearerTokenAndARefreshToken() {
        String email = uniqueEmail();
        register(email);
        given().contentType(ContentType.JSON).body(Map.of("email", email.toUpperCase(), "password", PASSWORD))
                .post("/v1/auth/sign-in").then().statusCode(200)
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(900))
                .body("access_token", notNullValue())
                .body("refresh_token", notNullValue());
    }

    @Test
    void P25_unknownEmailAndWrongPasswordAnswerIdentically() {
        String email = uniqueEmail();
        List<Response> answers = knownAndUnknown(email, "not the password at all");
        Response wrong = answers.get(0);
        Response unknown = answers.get(1);
        assertEquals(401, wrong.statusCode());
        assertEquals(401, unknown.statusCode());
        assertEquals((String) wrong.path("type"), (String) unknown.path("type"));
        assertEquals((String) wrong.path("detail"), (String) unknown.path("detail"));
        assertEquals(PROBLEMS + "invalid-credentials", (String) wrong.path("type"));
    }

    @Test
    void refreshTokensRotate_andReplayingAUsedOneEndsTheWholeSession() {
        String email = uniqueEmail();
        register(email);
        SignedIn s = signIn(email, PASSWORD);
        Response first = given().contentType(ContentType.JSON).body(Map.of("refresh_token", s.refreshToken())).post("/v1/auth/refresh");
        first.then().statusCode(200);
        String secondRefresh = first.path("refresh_token");
        String newAccess = first.path("access_token");
        given().auth().oauth2(newAccess).get("/v1/me").then().statusCode(200);

        // the used token comes back after the grace: stolen or replayed
        RefreshGraceTest.pastTheGrace(s.accountId());
        given().contentType(ContentType.JSON).body(Map.of("refresh_token", s.refreshToken())).post("/v1/auth/refresh")
                .then().statusCode(401).body("type", equalTo(PROBLEMS + "refresh-rejected"));
        given().contentType(ContentType.JSON).body(Map.of("refresh_token", secondRefresh)).post("/v1/auth/refresh").then().statusCode(401);
        given().auth().oauth2(newAccess).get("/v1/me").then().statusCode(401);
        given().auth().oauth2(s.accessToken()).get("/v1/me").then().statusCode(401);
    }

    @Test
    void signOutRevokesTheAccessTokenOnTheNextRequest() {
        SignedIn s = com.harmony.AuthFixtures.customer();
        given().auth().oauth2(s.accessToken()).get("/v1/me").then().statusCode(200);
        given().auth().oauth2(s.accessToken()).post("/v1/auth/sign-out").then().statusCode(204);
        given().auth().oauth2(s.accessToken()).get("/v1/me").then().statusCode(401).body("type", equalTo(PROBLEMS + "unauthorized"));
        given().contentType(ContentType.JSON).body(Map.of("refresh_token", s.refreshToken())).post("/v1/auth/refresh").then().statusCode(401);
    }

    /** An empty password is a wrong one, for a known account as for an unknown one (libargon2 gets no empty buffer). */
    @Test
    void P25_anEmptyPasswordIsRefusedLikeAWrongOne_forKnownAndUnknownAccounts() {
        String email = uniqueEmail();
        List<Response> answers = knownAndUnknown(email, "");
        Response known = answers.get(0);
        Response unknown = answers.get(1);
        assertEquals(401, known.statusCode());
        assertEquals(401, unknown.statusCode());
        assertEquals(PROBLEMS + "invalid-credentials", (String) known.path("type"));
        assertEquals(PROBLEMS + "invalid-credentials", (String) unknown.path("type"));
        signIn(email, PASSWORD);
    }

    @Test
    void P24_changingThePasswordNeedsTheCurrentOneAndSignsOutOtherSessions() {
        String email = uniqueEmail();
        register(email);
        SignedIn here = signIn(email, PASSWORD);
        SignedIn elsewhere = signIn(email, PASSWORD);
        given().auth().oauth2(here.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("current_password", "wrong guess at it", "new_password", "a brand new passphrase"))
                .post("/v1/me/password").then().statusCode(400).body("errors[0].field", equalTo("current_password"));
        given().auth().oauth2(here.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("current_password", PASSWORD, "new_password", "a brand new passphrase"))
                .post("/v1/me/password").then().statusCode(204);
        given().auth().oauth2(here.accessToken()).get("/v1/me").then().statusCode(200);
        given().auth().oauth2(elsewhere.accessToken()).get("/v1/me").then().statusCode(401);
        attempt(email, PASSWORD, randomIp()).then().statusCode(401);
        signIn(email, "a brand new passphrase");
    }

    @Test
    void P24_repeatedFailuresFromOneClientAreThrottled_butTheOwnerElsewhereIsNotLockedOut() {
        String email = uniqueEmail();
        register(email);
        String attackerIp = randomIp();
        for (int i = 0; i < 5; i++) {
            attempt(email, "guess number " + i, attackerIp).then().statusCode(401);
        }
        attempt(email, "guess number 6", attackerIp).then().statusCode(429)
                .header("Retry-After", notNullValue())
                .body("type", equalTo(PROBLEMS + "sign-in-throttled"));
        // even the right password waits, from that client
        attempt(email, PASSWORD, attackerIp).then().statusCode(429);
        // the owner, from elsewhere, signs in
        attempt(email, PASSWORD, randomIp()).then().statusCode(200);
    }

    @Test
    void P24_aBurstOfParallelGuessesIsEvaluatedAtMostUpToTheLimit() throws Exception {
        String email = uniqueEmail();
        register(email);
        String attackerIp = randomIp();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(12);
        try {
            java.util.List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String guess = "parallel guess " + i;
                answers.add(pool.submit(() -> attempt(email, guess, attackerIp).statusCode()));
            }
            int evaluated = 0;
            int throttled = 0;
            for (var a : answers) {
                int status = a.get(60, java.util.concurrent.TimeUnit.SECONDS);
                if (status == 401) evaluated++;
                else if (status == 429) throttled++;
            }
            assertEquals(5, evaluated, "exactly the limit of guesses reached the password check");
            assertEquals(7, throttled);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void P24_aServedLockLetsOneAttemptThrough_soRetryAfterIsTrue() {
        String email = uniqueEmail();
        register(email);
        String ip = randomIp();
        for (int i = 0; i < 5; i++) {
            attempt(email, "guess " + i, ip).then().statusCode(401);
        }
        String wait = attempt(email, PASSWORD, ip).then().statusCode(429).extract().header("Retry-After");
        attempt(email, "a guess during the lock", ip).then().statusCode(429).header("Retry-After", org.hamcrest.Matchers.not(
                org.hamcrest.Matchers.equalTo(String.valueOf(Integer.parseInt(wait) * 2))));
        // the lock runs out (time travel in the database): the very next attempt is evaluated
        pool.query("update rate_limit set locked_until = now() - interval '1 second' where locked_until > now()").execute()
                .await().atMost(java.time.Duration.ofSeconds(10));
        attempt(email, PASSWORD, ip).then().statusCode(200);
    }

    @Test
    void P24_oneClientGuessingManyAccountsIsThrottled() {
        String ip = randomIp();
        int status = 0;
        for (int i = 0; i < 60 && status != 429; i++) {
            status = attempt(uniqueEmail(), "some password guess", ip).statusCode();
        }
        assertEquals(429, status);
        String email = uniqueEmail();
        register(email);
        attempt(email, PASSWORD, ip).then().statusCode(429);
    }

    @Test
    void P22_browsersGetHttpOnlySessionCookies_andUnsafeCookieRequestsNeedTheCsrfToken() {
        String email = uniqueEmail();
        register(email);
        Response signIn = given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", PASSWORD, "use_cookies", true)).post("/v1/auth/sign-in");
        signIn.then().statusCode(200);
        assertNull(signIn.path("access_token"), "no token in the body for browsers");
        assertNull(signIn.path("refresh_token"));
        String csrf = signIn.path("csrf_token");
        String setCookies = String.join("\n", signIn.headers().getValues("Set-Cookie"));
        // secure cookies carry the __Host- prefix: HTTPS only, Path=/, no Domain
        assertTrue(setCookies.matches("(?si).*__Host-harmony_session=[^;]+; Path=/;.*HttpOnly.*"), setCookies);
        assertTrue(setCookies.contains("SameSite=Lax") && setCookies.contains("Secure"), setCookies);
        assertTrue(setCookies.matches("(?si).*__Host-harmony_refresh=[^;]+; Path=/;.*HttpOnly.*"), setCookies);
        assertFalse(setCookies.matches("(?s).*harmony_refresh=[^\n]*Max-Age.*"), "a session cookie unless remembered: " + setCookies);
        assertTrue(setCookies.matches("(?s).*__Host-harmony_csrf=" + csrf + "; Path=/;.*"), setCookies);
        assertFalse(setCookies.toLowerCase().contains("domain="), setCookies);

        Map<String, String> cookies = signIn.getCookies();
        given().cookies(cookies).get("/v1/me").then().statusCode(200).body("email", equalTo(email));
        given().cookies(cookies).contentType(ContentType.JSON).body(Map.of("name", "Forged"))
                .patch("/v1/me").then().statusCode(403).body("type", equalTo(PROBLEMS + "csrf-failed"));
        given().cookies(cookies).header("X-CSRF-Token", "guessed").contentType(ContentType.JSON).body(Map.of("name", "Forged"))
                .patch("/v1/me").then().statusCode(403);
        given().cookies(cookies).header("X-CSRF-Token", csrf).contentType(ContentType.JSON).body(Map.of("name", "Changed"))
                .patch("/v1/me").then().statusCode(200).body("name", equalTo("Changed"));

        Response refreshed = given().cookies(cookies).header("X-CSRF-Token", csrf).post("/v1/auth/refresh");
        refreshed.then().statusCode(200);
        assertNotNull(refreshed.getCookie("__Host-harmony_session"));
    }

    /** A new account signed in by a browser that asked to be remembered (cookies, remember_me). */
    private static Response rememberedBrowserSignIn() {
        String email = uniqueEmail();
        register(email);
        return given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", PASSWORD, "use_cookies", true, "remember_me", true)).post("/v1/auth/sign-in");
    }

    @Test
    void P22_rememberMeMakesTheRefreshCookiePersistent() {
        Response signIn = rememberedBrowserSignIn();
        String setCookies = String.join("\n", signIn.headers().getValues("Set-Cookie"));
        assertTrue(setCookies.matches("(?s).*harmony_refresh=[^\n]*Max-Age=\\d+.*"), setCookies);
        assertTrue(setCookies.matches("(?s).*harmony_csrf=[^\n]*Max-Age=\\d+.*"), "the CSRF cookie lives as long: " + setCookies);
    }

    /**
     * A remembered browser after a restart holds the refresh and CSRF cookies but no session cookie (its access token
     * expired): it can still sign out, and then the refresh token is dead too. Without the CSRF token it cannot (another
     * site must not sign people out), and with nothing at all the answer is 401.
     */
    @Test
    void P22_aRememberedBrowserWithoutAnAccessTokenSignsOutWithItsRefreshCookie() {
        Response signIn = rememberedBrowserSignIn();
        signIn.then().statusCode(200);
        String csrf = signIn.path("csrf_token");
        Map<String, String> left = new java.util.HashMap<>(signIn.getCookies());
        left.remove("__Host-harmony_session");
        given().cookies(left).post("/v1/auth/sign-out").then().statusCode(403).body("type", equalTo(PROBLEMS + "csrf-failed"));
        Response out = given().cookies(left).header("X-CSRF-Token", csrf).post("/v1/auth/sign-out");
        out.then().statusCode(204);
        assertTrue(String.join("\n", out.headers().getValues("Set-Cookie")).contains("__Host-harmony_refresh=;"), "the cookies are cleared");
        given().cookies(left).header("X-CSRF-Token", csrf).post("/v1/auth/refresh").then().statusCode(401);
        given().cookies(signIn.getCookies()).get("/v1/me").then().statusCode(401);
        given().post("/v1/auth/sign-out").then().statusCode(401);
    }

    @Test
    void tokensOfEveryKindButAFreshSessionAreRefused() {
        given().auth().oauth2("").get("/v1/me").then().statusCode(401);
        given().header("Authorization", "Basic YWRtaW46YWRtaW4=").get("/v1/me").then().statusCode(401);
        given().cookie("__Host-harmony_session", "garbage").get("/v1/me").then().statusCode(401).body("type", containsString("unauthorized"));
    }
}
