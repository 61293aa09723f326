package com.harmony.feedback;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.harmony.AuthFixtures;
import com.harmony.AuthFixtures.SignedIn;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** Comments and suggestions (P6): anyone sends them, a customer reads their own, staff resolve each once. */
@QuarkusTest
class FeedbackTest {

    private static final String PROBLEMS = "https://harmony.example/problems/";

    @Inject
    Pool pool;

    private static Map<String, Object> feedback(String message) {
        Map<String, Object> m = new HashMap<>();
        m.put("topic", "product");
        m.put("message", message);
        return m;
    }

    private static RequestSpecification client() {
        return given().header("X-Forwarded-For", AuthFixtures.randomClient()).contentType(ContentType.JSON);
    }

    private static String unique(String text) {
        return text + " " + UUID.randomUUID();
    }

    private Row stored(String id) {
        var rows = pool.preparedQuery("select account_id, visitor_id, topic, message, contact_email, status from feedback where id = $1")
                .execute(Tuple.of(UUID.fromString(id))).await().atMost(Duration.ofSeconds(10));
        return rows.iterator().hasNext() ? rows.iterator().next() : null;
    }

    private long storedWith(String message) {
        return pool.preparedQuery("select count(*) as n from feedback where message = $1").execute(Tuple.of(message))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong("n");
    }

    @Test
    void P6_feedbackFromVisitorsAndCustomers_adminResolves() {
        String visitorToken = given().header("X-Forwarded-For", AuthFixtures.randomClient()).post("/v1/visitors").then().statusCode(201)
                .extract().path("token");
        String fromVisitor = client().header("X-Visitor-Token", visitorToken).body(feedback(unique("Half sizes, please")))
                .post("/v1/feedback").then().statusCode(201).body("status", equalTo("open")).body("topic", equalTo("product"))
                .extract().path("id");
        Row v = stored(fromVisitor);
        assertEquals(UUID.fromString(visitorToken.substring(0, 36)), v.getUUID("visitor_id"));
        assertNull(v.getUUID("account_id"));

        SignedIn c = AuthFixtures.customer();
        Map<String, Object> body = feedback(unique("The checkout was quick"));
        body.put("topic", "website");
        body.put("contact_email", c.email());
        String fromCustomer = client().auth().oauth2(c.accessToken()).header("X-Visitor-Token", visitorToken).body(body)
                .post("/v1/feedback").then().statusCode(201).body("contact_email", equalTo(c.email())).extract().path("id");
        Row a = stored(fromCustomer);
        assertEquals(UUID.fromString(c.accountId()), a.getUUID("account_id"));
        assertNull(a.getUUID("visitor_id"), "a signed-in sender is recorded by account only");

        String anonymous = client().body(feedback(unique("Nice shop"))).post("/v1/feedback").then().statusCode(201).extract().path("id");
        assertNull(stored(anonymous).getUUID("account_id"));
        assertNull(stored(anonymous).getUUID("visitor_id"));
        // a token that proves nothing is no visitor
        String forged = client().header("X-Visitor-Token", UUID.randomUUID() + ".not-the-secret").body(feedback(unique("Forged")))
                .post("/v1/feedback").then().statusCode(201).extract().path("id");
        assertNull(stored(forged).getUUID("visitor_id"));

        given().auth().oauth2(c.accessToken()).get("/v1/me/feedback").then().statusCode(200)
                .body("data", hasSize(1)).body("data[0].id", equalTo(fromCustomer)).body("data[0].topic", equalTo("website"))
                .body("data[0]", not(hasKey("account_id")));

        String admin = AuthFixtures.admin().accessToken();
        given().auth().oauth2(admin).queryParam("status", "open").queryParam("limit", 100).get("/v1/admin/feedback").then().statusCode(200)
                .body("data.id", hasItem(fromVisitor)).body("data.id", hasItem(fromCustomer)).body("data.status", not(hasItem("resolved")));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("note", "Thanked by email"))
                .post("/v1/admin/feedback/" + fromCustomer + "/resolution").then().statusCode(200)
                .body("status", equalTo("resolved")).body("resolution_note", equalTo("Thanked by email"))
                .body("resolved_by", equalTo(AuthFixtures.admin().accountId())).body("resolved_at", notNullValue())
                .body("account_id", equalTo(c.accountId()));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("note", "Again"))
                .post("/v1/admin/feedback/" + fromCustomer + "/resolution").then().statusCode(409)
                .contentType("application/problem+json").body("type", equalTo(PROBLEMS + "feedback-already-resolved"));
        assertEquals("resolved", stored(fromCustomer).getString("status"));

        given().auth().oauth2(admin).queryParam("status", "resolved").queryParam("limit", 100).get("/v1/admin/feedback").then().statusCode(200)
                .body("data.id", hasItem(fromCustomer)).body("data.id", not(hasItem(fromVisitor)));
        given().auth().oauth2(admin).queryParam("status", "open").queryParam("limit", 100).get("/v1/admin/feedback").then()
                .body("data.id", not(hasItem(fromCustomer)));
        // the sender sees that it was resolved, not the staff note
        given().auth().oauth2(c.accessToken()).get("/v1/me/feedback").then().statusCode(200)
                .body("data[0].status", equalTo("resolved")).body("data[0].resolved_at", notNullValue())
                .body("data[0]", not(hasKey("resolution_note"))).body("data[0]", not(hasKey("resolved_by")));
    }

    @Test
    void P6_aCustomerNeverSeesAnothersFeedback() {
        SignedIn a = AuthFixtures.customer();
        SignedIn b = AuthFixtures.customer();
        String id = client().auth().oauth2(a.accessToken()).body(feedback(unique("Mine alone"))).post("/v1/feedback").then().statusCode(201)
                .extract().path("id");
        given().auth().oauth2(b.accessToken()).get("/v1/me/feedback").then().statusCode(200).body("data", hasSize(0));
        given().auth().oauth2(b.accessToken()).get("/v1/admin/feedback").then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(b.accessToken()).contentType(ContentType.JSON).body(Map.of("note", "mine now"))
                .post("/v1/admin/feedback/" + id + "/resolution").then().statusCode(403);
        given().auth().oauth2(AuthFixtures.support().accessToken()).get("/v1/admin/feedback").then().statusCode(403);
        given().get("/v1/me/feedback").then().statusCode(401).contentType("application/problem+json");
        given().get("/v1/admin/feedback").then().statusCode(401);
        assertEquals("open", stored(id).getString("status"));
        given().auth().oauth2(a.accessToken()).get("/v1/me/feedback").then().statusCode(200).body("data.id", equalTo(List.of(id)));
    }

    @Test
    void P6_myFeedbackPagesNewestFirst() {
        SignedIn c = AuthFixtures.customer();
        String first = client().auth().oauth2(c.accessToken()).body(feedback(unique("First"))).post("/v1/feedback").then().statusCode(201)
                .extract().path("id");
        String second = client().auth().oauth2(c.accessToken()).body(feedback(unique("Second"))).post("/v1/feedback").then().statusCode(201)
                .extract().path("id");
        String cursor = given().auth().oauth2(c.accessToken()).queryParam("limit", 1).get("/v1/me/feedback").then().statusCode(200)
                .body("data[0].id", equalTo(second)).body("has_more", equalTo(true)).extract().path("next_cursor");
        given().auth().oauth2(c.accessToken()).queryParam("limit", 1).queryParam("cursor", cursor).get("/v1/me/feedback").then().statusCode(200)
                .body("data[0].id", equalTo(first)).body("has_more", equalTo(false)).body("next_cursor", nullValue());
    }

    @Test
    void P6_badFeedbackIsRefusedAndNothingStored() {
        String message = unique("Refused");
        Map<String, Object> bad = feedback(message);
        bad.put("topic", "weather");
        client().body(bad).post("/v1/feedback").then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "validation-failed")).body("errors.field", hasItem("topic"));
        client().body(feedback("   ")).post("/v1/feedback").then().statusCode(400).body("errors.field", hasItem("message"));
        client().body(feedback("x".repeat(5001))).post("/v1/feedback").then().statusCode(400).body("errors.field", hasItem("message"));
        bad = feedback(message);
        bad.put("contact_email", "not an email");
        client().body(bad).post("/v1/feedback").then().statusCode(400).body("errors.field", hasItem("contact_email"));
        bad = feedback(message);
        bad.put("account_id", UUID.randomUUID().toString());
        client().body(bad).post("/v1/feedback").then().statusCode(400).body("type", equalTo(PROBLEMS + "malformed-request"));
        bad = feedback(message);
        bad.put("message", "a\u0000b");
        client().body(bad).post("/v1/feedback").then().statusCode(400);
        client().body("{").post("/v1/feedback").then().statusCode(400);
        client().contentType(ContentType.TEXT).body("hello").post("/v1/feedback").then().statusCode(415);
        assertEquals(0, storedWith(message));

        String admin = AuthFixtures.admin().accessToken();
        given().auth().oauth2(admin).queryParam("status", "closed").get("/v1/admin/feedback").then().statusCode(400)
                .body("errors[0].field", equalTo("status"));
        given().auth().oauth2(admin).queryParam("limit", 0).get("/v1/admin/feedback").then().statusCode(400);
        given().auth().oauth2(admin).queryParam("cursor", "garbage").get("/v1/admin/feedback").then().statusCode(400)
                .body("type", equalTo(PROBLEMS + "invalid-cursor"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("note", "x"))
                .post("/v1/admin/feedback/" + UUID.randomUUID() + "/resolution").then().statusCode(404).body("type", equalTo(PROBLEMS + "not-found"));
        String id = client().body(feedback(unique("Resolve me properly"))).post("/v1/feedback").then().statusCode(201).extract().path("id");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("note", " "))
                .post("/v1/admin/feedback/" + id + "/resolution").then().statusCode(400).body("errors.field", hasItem("note"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of())
                .post("/v1/admin/feedback/" + id + "/resolution").then().statusCode(400);
        assertEquals("open", stored(id).getString("status"));
    }

    @Test
    void P6_feedbackIsThrottledPerClient() {
        // an IPv6 documentation address of its own: no other test shares this /64
        String client = "2001:db8:" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1, 0xffff)) + "::7";
        for (int i = 0; i < FeedbackService.LIMIT_PER_HOUR; i++) {
            given().header("X-Forwarded-For", client).contentType(ContentType.JSON).body(feedback(unique("Burst"))).post("/v1/feedback")
                    .then().statusCode(201);
        }
        String last = unique("One too many");
        given().header("X-Forwarded-For", client.replace("::7", "::8")).contentType(ContentType.JSON).body(feedback(last))
                .post("/v1/feedback").then().statusCode(429).contentType("application/problem+json")
                .header("Retry-After", notNullValue()).body("type", equalTo(PROBLEMS + "rate-limited"));
        assertEquals(0, storedWith(last));
        client().body(feedback(unique("Another client"))).post("/v1/feedback").then().statusCode(201);
    }

    /**
     * An app whose token has gone stale (signed out, expired, forged) is told so with 401 and files nothing, rather than
     * have its person's message kept as nobody's; a browser's stale session cookie counts as no sign-in, as it always did.
     */
    @Test
    void P6_aBearerTokenThatIsNotValid_is401_andFilesNothing_whileAStaleSessionCookieCountsAsNoSignIn() {
        SignedIn ada = AuthFixtures.customer();
        given().auth().oauth2(ada.accessToken()).post("/v1/auth/sign-out").then().statusCode(204);
        for (String token : List.of(ada.accessToken(), com.harmony.TestTokens.expiredAdmin(), "not-a-token")) {
            String message = unique("Stale token");
            client().auth().oauth2(token).body(feedback(message)).post("/v1/feedback").then().statusCode(401)
                    .contentType("application/problem+json").header("WWW-Authenticate", "Bearer error=\"invalid_token\"")
                    .body("type", equalTo(PROBLEMS + "unauthorized"));
            long filed = pool.preparedQuery("select count(*) from feedback where message = $1").execute(Tuple.of(message))
                    .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
            assertEquals(0, filed, "nothing is filed under a stale token");
        }
        // credentials of no form the API takes are no more "no sign-in" than a stale token
        for (String header : List.of("Bearer", "Bearer ", "Basic YWRhOnNlY3JldA==", "Token " + ada.accessToken())) {
            String message = unique("Unusable header");
            client().header("Authorization", header).body(feedback(message)).post("/v1/feedback").then().statusCode(401);
            assertEquals(0, pool.preparedQuery("select count(*) from feedback where message = $1").execute(Tuple.of(message))
                    .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0));
        }
        // a live partner client's token is for the partner API: here it counts as no sign-in, as the README says
        String partner = com.harmony.partner.PartnerFixtures.token(com.harmony.partner.PartnerFixtures.client("catalog:read"));
        String anonymous = client().auth().oauth2(partner).body(feedback(unique("From a partner app"))).post("/v1/feedback")
                .then().statusCode(201).extract().path("id");
        assertNull(stored(anonymous).getUUID("account_id"));
        // the cookie banner's read, with the stale token as a bearer and as the browser's session cookie
        client().auth().oauth2(ada.accessToken()).get("/v1/cookie-preferences").then().statusCode(401);
        client().cookie("__Host-harmony_session", ada.accessToken()).get("/v1/cookie-preferences").then().statusCode(200);
    }
}
