package com.harmony.account;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.harmony.AuthFixtures;
import com.harmony.AuthFixtures.SignedIn;
import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Refresh rotation with a grace (harmony.auth.refresh-grace, 10 s): two tabs or a retried request
 * presenting the same refresh token get the same successor instead of signing the user out; a replay
 * after the grace still ends the whole session.
 */
@QuarkusTest
class RefreshGraceTest {

    private static final String PROBLEMS = "https://harmony.example/problems/";

    /** Moves the account's used refresh tokens back an hour, as if the grace had long passed. */
    static void pastTheGrace(String accountId) {
        Arc.container().instance(Pool.class).get()
                .preparedQuery("""
                        update auth_refresh_token set used_at = used_at - interval '1 hour'
                        where used_at is not null and session_id in (select id from auth_session where account_id = $1)""")
                .execute(Tuple.of(UUID.fromString(accountId))).await().atMost(Duration.ofSeconds(5));
    }

    private static Response refresh(String token) {
        return given().contentType(ContentType.JSON).body(Map.of("refresh_token", token)).post("/v1/auth/refresh");
    }

    @Test
    void aUsedRefreshTokenPresentedAgainWithinTheGrace_getsTheSameSuccessor() {
        SignedIn s = AuthFixtures.customer();
        Response first = refresh(s.refreshToken());
        first.then().statusCode(200);
        Response again = refresh(s.refreshToken());
        again.then().statusCode(200);
        String successor = first.path("refresh_token");
        assertEquals(successor, again.path("refresh_token"), "the same successor, not a second one");
        assertNotEquals(s.refreshToken(), successor);
        given().auth().oauth2(again.<String>path("access_token")).get("/v1/me").then().statusCode(200);
        given().auth().oauth2(first.<String>path("access_token")).get("/v1/me").then().statusCode(200);
        // the successor is single-use as ever
        refresh(successor).then().statusCode(200);
    }

    @Test
    void twoTabsRefreshingAtOnce_bothStaySignedInWithOneSuccessor() throws Exception {
        SignedIn s = AuthFixtures.customer();
        ExecutorService tabs = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Response>> calls = List.of(() -> refresh(s.refreshToken()), () -> refresh(s.refreshToken()),
                    () -> refresh(s.refreshToken()), () -> refresh(s.refreshToken()));
            List<String> successors = new java.util.ArrayList<>();
            for (Future<Response> f : tabs.invokeAll(calls)) {
                Response r = f.get();
                assertEquals(200, r.statusCode(), r.asString());
                successors.add(r.path("refresh_token"));
            }
            assertEquals(1, successors.stream().distinct().count(), successors.toString());
        } finally {
            tabs.shutdownNow();
        }
        given().auth().oauth2(s.accessToken()).get("/v1/me").then().statusCode(200);
    }

    /**
     * Two tabs, one a step behind: one presents the successor while the other retries its predecessor. Both
     * lock the session and the successor's row; they must do so in one order, or PostgreSQL aborts one of
     * them as a deadlock (a 409 that the operation does not declare, or a 503 when the lock waits time out).
     */
    @Test
    void aTabRefreshingTheSuccessorWhileAnotherRetriesItsPredecessor_getsAnAnswerAndNoConflict() throws Exception {
        ExecutorService tabs = Executors.newFixedThreadPool(4);
        try {
            for (int trial = 0; trial < 5; trial++) {
                SignedIn s = AuthFixtures.customer();
                String successor = refresh(s.refreshToken()).then().statusCode(200).extract().path("refresh_token");
                List<Callable<Response>> calls = List.of(() -> refresh(successor), () -> refresh(s.refreshToken()),
                        () -> refresh(successor), () -> refresh(s.refreshToken()));
                for (Future<Response> f : tabs.invokeAll(calls)) {
                    Response r = f.get();
                    org.junit.jupiter.api.Assertions.assertTrue(r.statusCode() == 200 || r.statusCode() == 401,
                            "trial " + trial + ": " + r.statusCode() + " " + r.asString());
                }
            }
        } finally {
            tabs.shutdownNow();
        }
    }

    @Test
    void aReplayAfterTheGrace_stillEndsTheWholeSession() {
        SignedIn s = AuthFixtures.customer();
        Response first = refresh(s.refreshToken());
        first.then().statusCode(200);
        pastTheGrace(s.accountId());
        refresh(s.refreshToken()).then().statusCode(401).body("type", equalTo(PROBLEMS + "refresh-rejected"));
        refresh(first.path("refresh_token")).then().statusCode(401);
        given().auth().oauth2(first.<String>path("access_token")).get("/v1/me").then().statusCode(401);
        given().auth().oauth2(s.accessToken()).get("/v1/me").then().statusCode(401);
    }

    @Test
    void withinTheGraceButAfterItsSuccessorWasUsed_theOldTokenIsRefusedAndTheSessionGoesOn() {
        SignedIn s = AuthFixtures.customer();
        String successor = refresh(s.refreshToken()).then().statusCode(200).extract().path("refresh_token");
        Response next = refresh(successor);
        next.then().statusCode(200);
        refresh(s.refreshToken()).then().statusCode(401).body("type", equalTo(PROBLEMS + "refresh-rejected"));
        given().auth().oauth2(next.<String>path("access_token")).get("/v1/me").then().statusCode(200);
        refresh(next.path("refresh_token")).then().statusCode(200);
    }

    @Test
    void browsersRefreshingTwiceWithinTheGrace_getTheSameRefreshCookie() {
        String email = AuthFixtures.uniqueEmail();
        AuthFixtures.register(email);
        Response signIn = given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", AuthFixtures.PASSWORD, "use_cookies", true)).post("/v1/auth/sign-in");
        Map<String, String> cookies = signIn.getCookies();
        String csrf = signIn.path("csrf_token");
        Response first = given().cookies(cookies).header("X-CSRF-Token", csrf).post("/v1/auth/refresh");
        Response second = given().cookies(cookies).header("X-CSRF-Token", csrf).post("/v1/auth/refresh");
        first.then().statusCode(200);
        second.then().statusCode(200);
        assertEquals(first.getCookie("__Host-harmony_refresh"), second.getCookie("__Host-harmony_refresh"));
        assertEquals(csrf, second.getCookie("__Host-harmony_csrf"), "the CSRF token is the session's, unchanged by refreshes");
    }
}
