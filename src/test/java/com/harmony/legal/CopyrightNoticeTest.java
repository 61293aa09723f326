package com.harmony.legal;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import com.harmony.MailServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** Copyright notices under 17 U.S.C. § 512(c)(3) (P27): complete ones are queued and acknowledged, incomplete ones refused. */
@QuarkusTest
@QuarkusTestResource(MailServer.class)
class CopyrightNoticeTest {

    private static final String PROBLEMS = "https://harmony.example/problems/";
    /** The API's field for each element (a)-(f) of § 512(c)(3)(A). */
    private static final Map<String, List<String>> ELEMENTS = Map.of(
            "a", List.of("signature"),
            "b", List.of("copyrighted_work"),
            "c", List.of("infringing_material", "infringing_urls"),
            "d", List.of("address", "phone", "email"),
            "e", List.of("good_faith_statement"),
            "f", List.of("accuracy_statement"));

    @Inject
    Pool pool;

    private static Map<String, Object> notice(String email) {
        return LegalFixtures.notice(email);
    }

    private static RequestSpecification client() {
        return given().header("X-Forwarded-For", AuthFixtures.randomClient()).contentType(ContentType.JSON);
    }

    private long storedFor(String email) {
        return pool.preparedQuery("select count(*) as n from copyright_notice where email = $1").execute(Tuple.of(email))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong("n");
    }

    private String file(String email) {
        return client().body(notice(email)).post("/v1/copyright-notices").then().statusCode(202).extract().path("id");
    }

    @Test
    void P27_completeNoticeIsQueuedAndAcknowledgedByEmail() throws InterruptedException {
        String email = AuthFixtures.uniqueEmail();
        String id = client().body(notice(email)).post("/v1/copyright-notices").then().statusCode(202)
                .body("status", equalTo("open")).body("id", notNullValue()).extract().path("id");

        String mail = MailServer.messageTo(email, "We received your copyright notice");
        assertTrue(mail.contains(id), mail);
        // nothing the sender wrote is echoed: a public form must not mail chosen text in the company's name
        assertTrue(!mail.contains("https://theharmonycompany.com/products/lakeside-mug"), mail);

        String agent = AuthFixtures.withRoles("legal").accessToken();
        given().auth().oauth2(agent).get("/v1/admin/copyright-notices/" + id).then().statusCode(200)
                .body("signature", equalTo("Jane Doe")).body("copyright_owner", equalTo("Acme Studios LLC"))
                .body("copyrighted_work", containsString("Lake at Dawn"))
                .body("infringing_urls", equalTo(List.of("https://theharmonycompany.com/products/lakeside-mug")))
                .body("address.city", equalTo("Springfield")).body("phone", equalTo("+1 212 555 0142")).body("email", equalTo(email))
                .body("good_faith_statement", equalTo(true)).body("accuracy_statement", equalTo(true))
                .body("status", equalTo("open")).body("outcome", nullValue());
        given().auth().oauth2(agent).queryParam("status", "open").queryParam("limit", 100).get("/v1/admin/copyright-notices").then()
                .statusCode(200).body("data.id", hasItem(id));

        // the acknowledgement is recorded once the mail server took it, after the answer
        String acknowledged = null;
        for (int i = 0; i < 100 && acknowledged == null; i++) {
            acknowledged = pool.preparedQuery("select acknowledged_at::text as t from copyright_notice where id = $1")
                    .execute(Tuple.of(UUID.fromString(id))).await().atMost(Duration.ofSeconds(10)).iterator().next().getString("t");
            Thread.sleep(50);
        }
        assertNotNull(acknowledged, "acknowledged_at is set after the mail went out");
    }

    @Test
    void P27_noticeMissingElementsIsRefusedFieldByField() {
        String email = AuthFixtures.uniqueEmail();
        // an empty notice: every element is named
        List<String> all = ELEMENTS.values().stream().flatMap(List::stream).toList();
        client().body(Map.of()).post("/v1/copyright-notices").then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "validation-failed")).body("errors.field", hasItems(all.toArray(String[]::new)));

        // each element left out on its own: refused, naming that field only
        for (Map.Entry<String, List<String>> element : ELEMENTS.entrySet()) {
            for (String field : element.getValue()) {
                Map<String, Object> n = notice(email);
                n.remove(field);
                client().body(n).post("/v1/copyright-notices").then().statusCode(400)
                        .body("type", equalTo(PROBLEMS + "validation-failed"))
                        .body("errors.field", equalTo(List.of(field)));
            }
        }
        // the statements (e) and (f) must be made, not declined
        Map<String, Object> declined = notice(email);
        declined.put("good_faith_statement", false);
        declined.put("accuracy_statement", false);
        client().body(declined).post("/v1/copyright-notices").then().statusCode(400)
                .body("errors.field", hasItems("good_faith_statement", "accuracy_statement"));
        // blank, empty or malformed elements are missing too
        Map<String, Object> blank = notice(email);
        blank.put("signature", "  ");
        blank.put("copyrighted_work", "");
        blank.put("infringing_urls", List.of());
        blank.put("email", "jane at example");
        blank.put("phone", "call me");
        client().body(blank).post("/v1/copyright-notices").then().statusCode(400)
                .body("errors.field", hasItems("signature", "copyrighted_work", "infringing_urls", "email", "phone"));
        Map<String, Object> urls = notice(email);
        urls.put("infringing_urls", List.of("javascript:alert(1)"));
        client().body(urls).post("/v1/copyright-notices").then().statusCode(400).body("errors.field", hasItem("infringing_urls[0]"));
        Map<String, Object> address = notice(email);
        Map<String, Object> noStreet = new HashMap<>(AuthFixtures.address());
        noStreet.remove("line1");
        address.put("address", noStreet);
        client().body(address).post("/v1/copyright-notices").then().statusCode(400).body("errors.field", equalTo(List.of("address.line1")));
        Map<String, Object> extra = notice(email);
        extra.put("status", "handled");
        client().body(extra).post("/v1/copyright-notices").then().statusCode(400).body("type", equalTo(PROBLEMS + "malformed-request"));

        assertEquals(0, storedFor(email));
        assertEquals(0, MailServer.messagesTo(email));
    }

    @Test
    void P27_legalRoleHandlesNoticesOnce() {
        String id = file(AuthFixtures.uniqueEmail());
        AuthFixtures.SignedIn legal = AuthFixtures.withRoles("legal");
        given().auth().oauth2(legal.accessToken()).get("/v1/me").then().statusCode(200).body("roles", hasItem("legal"));

        given().auth().oauth2(legal.accessToken()).contentType(ContentType.JSON).body(Map.of("outcome", "removed", "note", "Image replaced"))
                .post("/v1/admin/copyright-notices/" + id + "/handling").then().statusCode(200)
                .body("status", equalTo("handled")).body("outcome", equalTo("removed")).body("handling_note", equalTo("Image replaced"))
                .body("handled_by", equalTo(legal.accountId())).body("handled_at", notNullValue());
        given().auth().oauth2(AuthFixtures.admin().accessToken()).contentType(ContentType.JSON)
                .body(Map.of("outcome", "rejected", "note", "Changed my mind"))
                .post("/v1/admin/copyright-notices/" + id + "/handling").then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "notice-already-handled"));
        given().auth().oauth2(legal.accessToken()).get("/v1/admin/copyright-notices/" + id).then().statusCode(200)
                .body("outcome", equalTo("removed"));
        given().auth().oauth2(legal.accessToken()).queryParam("status", "handled").queryParam("limit", 100).get("/v1/admin/copyright-notices")
                .then().statusCode(200).body("data.id", hasItem(id));
        given().auth().oauth2(legal.accessToken()).queryParam("status", "open").queryParam("limit", 100).get("/v1/admin/copyright-notices")
                .then().statusCode(200).body("data.id", not(hasItem(id)));

        // two agents at once: one handles it, the other is told it was handled
        String raced = file(AuthFixtures.uniqueEmail());
        List<CompletableFuture<Integer>> attempts = new ArrayList<>();
        for (String outcome : List.of("removed", "rejected")) {
            attempts.add(CompletableFuture.supplyAsync(() -> given().auth().oauth2(legal.accessToken()).contentType(ContentType.JSON)
                    .body(Map.of("outcome", outcome, "note", "race")).post("/v1/admin/copyright-notices/" + raced + "/handling").statusCode()));
        }
        List<Integer> statuses = attempts.stream().map(CompletableFuture::join).sorted().toList();
        assertEquals(List.of(200, 409), statuses);
    }

    @Test
    void P27_onlyTheCopyrightAgentReadsTheQueue() {
        String id = file(AuthFixtures.uniqueEmail());
        for (String token : List.of(AuthFixtures.customer().accessToken(), AuthFixtures.support().accessToken())) {
            given().auth().oauth2(token).get("/v1/admin/copyright-notices").then().statusCode(403).contentType("application/problem+json");
            given().auth().oauth2(token).get("/v1/admin/copyright-notices/" + id).then().statusCode(403);
            given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("outcome", "removed", "note", "x"))
                    .post("/v1/admin/copyright-notices/" + id + "/handling").then().statusCode(403);
        }
        given().get("/v1/admin/copyright-notices").then().statusCode(401);
        given().get("/v1/admin/copyright-notices/" + id).then().statusCode(401);
        given().auth().oauth2(AuthFixtures.admin().accessToken()).get("/v1/admin/copyright-notices/" + id).then().statusCode(200)
                .body("status", equalTo("open"));
    }

    @Test
    void P27_badHandlingAndQueriesAreRefused() {
        String legal = AuthFixtures.withRoles("legal").accessToken();
        String id = file(AuthFixtures.uniqueEmail());
        given().auth().oauth2(legal).contentType(ContentType.JSON).body(Map.of("outcome", "ignored", "note", "x"))
                .post("/v1/admin/copyright-notices/" + id + "/handling").then().statusCode(400).body("errors.field", hasItem("outcome"));
        given().auth().oauth2(legal).contentType(ContentType.JSON).body(Map.of("outcome", "removed"))
                .post("/v1/admin/copyright-notices/" + id + "/handling").then().statusCode(400).body("errors.field", hasItem("note"));
        given().auth().oauth2(legal).contentType(ContentType.JSON).body(Map.of("outcome", "removed", "note", "x".repeat(2001)))
                .post("/v1/admin/copyright-notices/" + id + "/handling").then().statusCode(400).body("errors.field", hasItem("note"));
        given().auth().oauth2(legal).contentType(ContentType.JSON).body(Map.of("outcome", "removed", "note", "x"))
                .post("/v1/admin/copyright-notices/" + UUID.randomUUID() + "/handling").then().statusCode(404)
                .body("type", equalTo(PROBLEMS + "not-found"));
        given().auth().oauth2(legal).get("/v1/admin/copyright-notices/" + UUID.randomUUID()).then().statusCode(404);
        given().auth().oauth2(legal).queryParam("status", "closed").get("/v1/admin/copyright-notices").then().statusCode(400)
                .body("errors[0].field", equalTo("status"));
        given().auth().oauth2(legal).queryParam("cursor", "garbage").get("/v1/admin/copyright-notices").then().statusCode(400)
                .body("type", equalTo(PROBLEMS + "invalid-cursor"));
        given().auth().oauth2(legal).get("/v1/admin/copyright-notices/" + id).then().statusCode(200).body("status", equalTo("open"));
    }

    @Test
    void P27_noticesAreThrottledPerClient() {
        String client = "2001:db8:" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1, 0xffff)) + "::27";
        for (int i = 0; i < CopyrightNoticeService.LIMIT_PER_HOUR; i++) {
            given().header("X-Forwarded-For", client).contentType(ContentType.JSON).body(notice(AuthFixtures.uniqueEmail()))
                    .post("/v1/copyright-notices").then().statusCode(202);
        }
        String email = AuthFixtures.uniqueEmail();
        given().header("X-Forwarded-For", client).contentType(ContentType.JSON).body(notice(email)).post("/v1/copyright-notices")
                .then().statusCode(429).header("Retry-After", notNullValue()).body("type", equalTo(PROBLEMS + "rate-limited"));
        assertEquals(0, storedFor(email));
    }
}
