package com.harmony.consent;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.harmony.AuthFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** P30: versioned policy documents served by the API; consents record the version in effect when given. */
@QuarkusTest
class PolicyDocumentsTest {

    private static final String PROBLEMS = "https://harmony.example/problems/";

    @Inject
    Pool pool;

    private static io.restassured.response.Response publish(String token, String kind, String version, String effectiveAt, String text) {
        Map<String, Object> body = new HashMap<>(Map.of("version", version, "text", text));
        if (effectiveAt != null) {
            body.put("effective_at", effectiveAt);
        }
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).post("/v1/policies/" + kind + "/versions");
    }

    @Test
    void P30_anAdminPublishesAVersion_andTheOneInEffectIsServedWithEveryPastOne() {
        String admin = AuthFixtures.admin().accessToken();
        String v1 = "t" + UUID.randomUUID().toString().substring(0, 8);
        String v2 = "t" + UUID.randomUUID().toString().substring(0, 8);
        String later = OffsetDateTime.now().plusDays(30).toString();
        publish(admin, "cookie_policy", v1, null, "We use cookies, version " + v1).then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith("/v1/policies/cookie_policy/versions/" + v1))
                .body("version", equalTo(v1)).body("text", equalTo("We use cookies, version " + v1));
        publish(admin, "cookie_policy", v2, later, "Coming next month").then().statusCode(201);

        String etag = given().get("/v1/policies/cookie_policy").then().statusCode(200)
                .body("kind", equalTo("cookie_policy")).body("version", equalTo(v1)).extract().header("ETag");
        given().header("If-None-Match", etag).get("/v1/policies/cookie_policy").then().statusCode(304);
        given().get("/v1/policies/cookie_policy/versions").then().statusCode(200)
                .body("data.version", hasItem(v1)).body("data.version", hasItem(v2))
                .body("data.find { it.version == '" + v2 + "' }.in_effect", equalTo(false))
                .body("data.find { it.version == '" + v1 + "' }.in_effect", equalTo(true));
        given().get("/v1/policies/cookie_policy/versions/" + v2).then().statusCode(200).body("text", equalTo("Coming next month"));
    }

    @Test
    void P30_aPublishedVersionNeverChanges() {
        String admin = AuthFixtures.admin().accessToken();
        String v = "t" + UUID.randomUUID().toString().substring(0, 8);
        publish(admin, "privacy_statement", v, OffsetDateTime.now().plusYears(5).toString(), "Original text").then().statusCode(201);
        publish(admin, "privacy_statement", v, null, "Rewritten text").then().statusCode(409)
                .body("type", equalTo(PROBLEMS + "policy-version-exists"));
        given().get("/v1/policies/privacy_statement/versions/" + v).then().body("text", equalTo("Original text"));
    }

    @Test
    void onlyAdminsPublish_andBadRequestsAreProblems() {
        String customer = AuthFixtures.customer().accessToken();
        publish(customer, "cookie_policy", "x1", null, "mine").then().statusCode(403);
        given().contentType(ContentType.JSON).body(Map.of("version", "x2", "text", "anon")).post("/v1/policies/cookie_policy/versions")
                .then().statusCode(401);
        String admin = AuthFixtures.admin().accessToken();
        publish(admin, "terms_of_sale", "1", null, "no such kind").then().statusCode(404).body("type", equalTo(PROBLEMS + "not-found"));
        publish(admin, "cookie_policy", "has spaces", null, "x").then().statusCode(400).body("type", equalTo(PROBLEMS + "validation-failed"));
        publish(admin, "cookie_policy", "ok1", null, "").then().statusCode(400);
        // a backdated text would rewrite which version consents given since were given under
        String backdated = "past-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        publish(admin, "cookie_policy", backdated, "2020-01-01T00:00:00Z", "backdated").then().statusCode(400)
                .body("errors[0].field", equalTo("effective_at"));
        given().get("/v1/policies/cookie_policy/versions/" + backdated).then().statusCode(404);
        given().get("/v1/policies/terms_of_sale").then().statusCode(404);
        given().get("/v1/policies/cookie_policy/versions/never-published").then().statusCode(404);
    }

    @Test
    void P30_P16_aConsentRecordsThePrivacyStatementInEffectWhenItWasGiven() {
        String admin = AuthFixtures.admin().accessToken();
        String v = "t" + UUID.randomUUID().toString().substring(0, 8);
        publish(admin, "privacy_statement", v, null, "The statement in effect now").then().statusCode(201);
        String email = AuthFixtures.uniqueEmail();
        Map<String, Object> body = AuthFixtures.registration(email);
        body.put("marketing", Map.of("email", true));
        given().contentType(ContentType.JSON).header("X-Forwarded-For", AuthFixtures.randomClient()).body(body).post("/v1/accounts")
                .then().statusCode(202);
        String accountId = AuthFixtures.signIn(email, AuthFixtures.PASSWORD).accountId();
        List<String> versions = new java.util.ArrayList<>();
        pool.preparedQuery("select policy_version from consent_event where account_id = $1").execute(Tuple.of(UUID.fromString(accountId)))
                .await().atMost(Duration.ofSeconds(10)).forEach(r -> versions.add(r.getString("policy_version")));
        assertEquals(List.of(v), versions);
    }
}
