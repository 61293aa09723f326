package com.harmony.visitor;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.http.Cookie;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Visitors (P11, P13): a browser gets the harmony_visitor cookie and an app the same token in the
 * body; only the token's secret opens the visitor, never its id; signing in or registering with the
 * token maps the visitor to the account, and the link is kept.
 */
@QuarkusTest
class VisitorTest {

    private static final String PROBLEMS = "https://harmony.example/problems/";
    private static final String UUID_PATTERN = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    /** What POST /v1/visitors answered: the id and the token (id, a dot, the secret). */
    private record Visitor(String id, String token) {

        String secret() {
            return token.substring(token.indexOf('.') + 1);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The cookie and the app token

    @Test
    void browsersGetAnHttpOnlyVisitorCookie_andAppsTheSameTokenInTheBody() {
        Response created = given().header("X-Forwarded-For", com.harmony.AuthFixtures.randomClient()).post("/v1/visitors");
        created.then().statusCode(201)
                .contentType(ContentType.JSON)
                .header("Location", endsWith("/v1/visitors/me"))
                .body("id", matchesPattern(UUID_PATTERN))
                .body("token", notNullValue());
        String id = created.path("id");
        String token = created.path("token");
        assertTrue(token.startsWith(id + "."), "the token names the visitor and carries a secret");
        assertTrue(token.length() > id.length() + 30, "the secret is long enough not to be guessed");

        Cookie cookie = created.getDetailedCookie("__Host-harmony_visitor");
        assertNotNull(cookie, "browsers get the harmony_visitor cookie");
        assertEquals(token, cookie.getValue(), "the cookie holds the same token the body gives apps");
        assertTrue(cookie.isHttpOnly(), "page scripts cannot read the visitor cookie");
        assertEquals("/", cookie.getPath());
        assertTrue(cookie.getMaxAge() >= Duration.ofDays(365).toSeconds() && cookie.getMaxAge() <= Duration.ofDays(400).toSeconds(),
                "a visitor cookie lives about 13 months, not " + cookie.getMaxAge() + " s");

        // a browser sends the cookie, an app the header: both open the same visitor
        given().cookie("__Host-harmony_visitor", token).get("/v1/visitors/me").then().statusCode(200)
                .body("id", equalTo(id))
                .body("linked_to_account", equalTo(false))
                .body("linked_at", nullValue())
                .body("created_at", notNullValue());
        given().header("X-Visitor-Token", token).get("/v1/visitors/me").then().statusCode(200)
                .body("id", equalTo(id))
                .body("linked_to_account", equalTo(false))
                .body(not(containsString(token.substring(token.indexOf('.') + 1))));

        // every visitor is its own
        Visitor other = newVisitor();
        assertNotEquals(id, other.id());
        assertNotEquals(token, other.token());
    }

    @Test
    void theVisitorsSecretIsStoredOnlyAsADigest() {
        Visitor v = newVisitor();
        Row row = row("select secret_hash, row_to_json(s)::text as doc from visitor s where id = $1", UUID.fromString(v.id()));
        assertNotNull(row, "the visitor is stored");
        assertEquals(64, row.getString("secret_hash").strip().length(), "a SHA-256 digest");
        assertFalse(row.getString("doc").contains(v.secret()), "the secret itself is nowhere in the row");
    }

    // ---------------------------------------------------------------------------------------------
    // Only the secret opens a visitor (P13: reading, exporting, erasing need the secret)

    @Test
    void P13_theVisitorIdAloneOrAWrongSecretOpensNothing() {
        Visitor v = newVisitor();
        Visitor other = newVisitor();
        List<String> wrong = List.of(
                v.id(),
                v.id() + ".",
                v.id() + ".not-the-secret",
                v.id() + "." + other.secret(),
                other.id() + "." + v.secret(),
                v.token() + "x",
                v.token().substring(0, v.token().length() - 1),
                UUID.randomUUID() + "." + v.secret(),
                "garbage",
                "x".repeat(300),
                v.id().toUpperCase() + "." + v.secret().toUpperCase());
        for (String token : wrong) {
            given().header("X-Visitor-Token", token).get("/v1/visitors/me").then().statusCode(404)
                    .contentType("application/problem+json")
                    .body("type", equalTo(PROBLEMS + "not-found"))
                    .body(not(containsString(v.secret())));
            given().cookie("__Host-harmony_visitor", token).get("/v1/visitors/me").then().statusCode(404)
                    .contentType("application/problem+json")
                    .body("type", equalTo(PROBLEMS + "not-found"));
        }
        given().get("/v1/visitors/me").then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "not-found"));

        // an unknown visitor and a known one with a wrong secret look the same
        Response unknown = given().header("X-Visitor-Token", UUID.randomUUID() + "." + v.secret()).get("/v1/visitors/me");
        Response wrongSecret = given().header("X-Visitor-Token", v.id() + ".not-the-secret").get("/v1/visitors/me");
        String unknownDetail = unknown.path("detail");
        String wrongSecretDetail = wrongSecret.path("detail");
        assertEquals(unknownDetail, wrongSecretDetail);
        assertEquals(unknown.statusCode(), wrongSecret.statusCode());

        // the right token still works, and the header wins over a cookie when both are sent
        given().header("X-Visitor-Token", v.token()).cookie("__Host-harmony_visitor", other.token()).get("/v1/visitors/me").then()
                .statusCode(200).body("id", equalTo(v.id()));
    }

    // ---------------------------------------------------------------------------------------------
    // Mapped to the account (P11)

    @Test
    void P11_signingInWithTheVisitorTokenMapsTheVisitorToTheAccount() {
        String email = AuthFixtures.uniqueEmail();
        AuthFixtures.submitRegistration(email);
        Visitor v = newVisitor();

        Response signIn = given().contentType(ContentType.JSON).header("X-Visitor-Token", v.token())
                .body(Map.of("email", email, "password", AuthFixtures.PASSWORD)).post("/v1/auth/sign-in");
        signIn.then().statusCode(200).body("access_token", notNullValue());
        String accountId = signIn.path("account_id");

        given().header("X-Visitor-Token", v.token()).get("/v1/visitors/me").then().statusCode(200)
                .body("id", equalTo(v.id()))
                .body("linked_to_account", equalTo(true))
                .body("linked_at", notNullValue())
                .body(not(containsString(accountId)));
        assertEquals(accountId, linkedAccount(v), "the visitor is mapped to the account that signed in with it");
    }

    @Test
    void P11_browsersSigningInWithTheVisitorCookieAreMappedToo() {
        String email = AuthFixtures.uniqueEmail();
        AuthFixtures.submitRegistration(email);
        Visitor v = newVisitor();

        String accountId = given().contentType(ContentType.JSON).cookie("__Host-harmony_visitor", v.token())
                .body(Map.of("email", email, "password", AuthFixtures.PASSWORD)).post("/v1/auth/sign-in")
                .then().statusCode(200).extract().path("account_id");

        given().cookie("__Host-harmony_visitor", v.token()).get("/v1/visitors/me").then().statusCode(200)
                .body("linked_to_account", equalTo(true));
        assertEquals(accountId, linkedAccount(v));
    }

    @Test
    void P11_registeringWhileHoldingAVisitorTokenMapsTheVisitorToTheNewAccount() {
        Visitor v = newVisitor();
        String email = AuthFixtures.uniqueEmail();
        given().contentType(ContentType.JSON).header("X-Forwarded-For", AuthFixtures.randomClient()).header("X-Visitor-Token", v.token())
                .body(AuthFixtures.registration(email)).post("/v1/accounts").then().statusCode(202);

        // mapped by the registration itself, before the new account ever signs in
        given().header("X-Visitor-Token", v.token()).get("/v1/visitors/me").then().statusCode(200)
                .body("linked_to_account", equalTo(true))
                .body("linked_at", notNullValue());
        String accountId = AuthFixtures.signIn(email, AuthFixtures.PASSWORD).accountId();
        assertEquals(accountId, linkedAccount(v));
    }

    @Test
    void P11_aVisitorStaysMappedToItsFirstAccount_whenAnotherAccountSignsInWithTheSameToken() {
        Visitor v = newVisitor();
        String first = signInWithVisitor(v.token());
        String second = signInWithVisitor(v.token());
        assertNotEquals(first, second);
        assertEquals(first, linkedAccount(v), "the link is kept, not moved to whoever presents the token next");
        given().header("X-Visitor-Token", v.token()).get("/v1/visitors/me").then().statusCode(200)
                .body("linked_to_account", equalTo(true));
    }

    @Test
    void aWrongOrUnknownVisitorTokenNeverFailsTheSignIn_andMapsNothing() {
        Visitor v = newVisitor();
        for (String token : List.of("garbage", v.id(), v.id() + ".not-the-secret", UUID.randomUUID() + "." + v.secret(), "x".repeat(500))) {
            signInWithVisitor(token);
        }
        assertNull(linkedAccount(v), "nobody proved to be this visitor");
        given().header("X-Visitor-Token", v.token()).get("/v1/visitors/me").then().statusCode(200)
                .body("linked_to_account", equalTo(false));
    }

    @Test
    void registeringWithAnUnknownVisitorTokenStillRegisters() {
        String email = AuthFixtures.uniqueEmail();
        given().contentType(ContentType.JSON).header("X-Forwarded-For", AuthFixtures.randomClient())
                .header("X-Visitor-Token", UUID.randomUUID() + ".nope")
                .body(AuthFixtures.registration(email)).post("/v1/accounts").then().statusCode(202);
        assertNotNull(AuthFixtures.signIn(email, AuthFixtures.PASSWORD).accountId());
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers

    private static Visitor newVisitor() {
        Response r = given().header("X-Forwarded-For", com.harmony.AuthFixtures.randomClient()).post("/v1/visitors").then().statusCode(201).extract().response();
        return new Visitor(r.path("id"), r.path("token"));
    }

    /** Registers a new account and signs it in presenting this visitor token; answers the account id. */
    private static String signInWithVisitor(String token) {
        String email = AuthFixtures.uniqueEmail();
        AuthFixtures.submitRegistration(email);
        return given().contentType(ContentType.JSON).header("X-Visitor-Token", token)
                .body(Map.of("email", email, "password", AuthFixtures.PASSWORD)).post("/v1/auth/sign-in")
                .then().statusCode(200).body("access_token", startsWith("ey")).extract().path("account_id");
    }

    /** The account the visitor is mapped to, or null. */
    private String linkedAccount(Visitor v) {
        Row r = row("select account_id::text as account_id from visitor where id = $1", UUID.fromString(v.id()));
        assertNotNull(r, "the visitor is stored");
        return r.getString("account_id");
    }

    private Row row(String sql, Object... params) {
        Iterator<Row> it = pool.preparedQuery(sql).execute(Tuple.from(params)).await().atMost(WAIT).iterator();
        return it.hasNext() ? it.next() : null;
    }

    @Test
    void newVisitorsAreLimitedPerClient_soNobodyFillsTheTableForFree() {
        // a random IPv6 /64 of the documentation prefix, which no other test uses, so their visitors never count against this one
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        String client = "2001:db8:" + Integer.toHexString(r.nextInt(1, 0xffff)) + ":" + Integer.toHexString(r.nextInt(1, 0xffff)) + "::1";
        for (int i = 0; i < 60; i++) {
            given().header("X-Forwarded-For", client).post("/v1/visitors").then().statusCode(201);
        }
        given().header("X-Forwarded-For", client).post("/v1/visitors").then().statusCode(429)
                .body("type", org.hamcrest.Matchers.equalTo("https://harmony.example/problems/rate-limited"))
                .header("Retry-After", org.hamcrest.Matchers.notNullValue());
        given().header("X-Forwarded-For", com.harmony.AuthFixtures.randomClient()).post("/v1/visitors").then().statusCode(201);
    }
}
