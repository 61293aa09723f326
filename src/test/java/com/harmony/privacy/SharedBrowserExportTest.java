package com.harmony.privacy;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import com.harmony.AuthFixtures.SignedIn;
import com.harmony.platform.OutboxWorker;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A browser stays linked to the first account that signed in on it, and an export covers that account's
 * browsers. On a shared computer another account may have used the same browser since: what it sent there
 * is its own: it never appears in the first account's export (P29), and the first account's erasure leaves it
 * whole (P28).
 */
@QuarkusTest
@io.quarkus.test.common.QuarkusTestResource(com.harmony.MailServer.class)
class SharedBrowserExportTest {

    @Inject
    RequestProcessor processor;
    @Inject
    OutboxWorker outbox;
    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    /** A page view sent signed in from the browser: it names both the account and the browser. */
    private static void pageView(SignedIn who, String browser, String path) {
        given().auth().oauth2(who.accessToken()).contentType(ContentType.JSON).body(Map.of("analytics", true)).patch("/v1/me/consents")
                .then().statusCode(200);
        given().auth().oauth2(who.accessToken()).header("X-Visitor-Token", browser).header("X-Forwarded-For", AuthFixtures.randomClient())
                .header("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36")
                .contentType(ContentType.JSON).body(Map.of("path", path)).post("/v1/page-views").then().statusCode(204);
    }

    private static SignedIn signInOn(String browser) {
        SignedIn who = AuthFixtures.customer();
        given().contentType(ContentType.JSON).header("X-Visitor-Token", browser)
                .body(Map.of("email", who.email(), "password", AuthFixtures.PASSWORD)).post("/v1/auth/sign-in").then().statusCode(200);
        return who;
    }

    /** A browser Ada signed in on first (so it is linked to her account), then Bob; each sent a page view from it. */
    private record SharedComputer(String browser, SignedIn ada, SignedIn bob, String adas, String bobs) {

        static SharedComputer used() {
            String browser = given().header("X-Forwarded-For", AuthFixtures.randomClient()).post("/v1/visitors").then().statusCode(201)
                    .extract().path("token");
            SharedComputer c = new SharedComputer(browser, signInOn(browser), signInOn(browser), "/ada/" + UUID.randomUUID(), "/bob/" + UUID.randomUUID());
            pageView(c.ada(), browser, c.adas());
            pageView(c.bob(), browser, c.bobs());
            return c;
        }
    }

    private String exportOf(SignedIn who) {
        String id = PrivacyProcessingTest.confirmedRequest(who, Map.of("kind", "export"));
        PrivacyProcessingTest.processAndPublish(processor, outbox);
        return given().auth().oauth2(who.accessToken()).get("/v1/me/privacy-requests/" + id + "/document").then().statusCode(200)
                .extract().asString();
    }

    @Test
    void P29_anExportLeavesOutWhatAnotherAccountSentFromTheSameBrowser() {
        SharedComputer c = SharedComputer.used();
        String document = exportOf(c.ada());
        assertTrue(document.contains(c.adas()), "her own page view is in her export");
        assertFalse(document.contains(c.bobs()), "another account's page view from the same browser is not");
    }

    @Test
    void P28_erasingTheAccountABrowserIsLinkedTo_leavesWhatAnotherAccountSentFromItWhole() {
        SharedComputer c = SharedComputer.used();
        PrivacyProcessingTest.confirmedRequest(c.ada(), Map.of("kind", "erasure"));
        PrivacyProcessingTest.processAndPublish(processor, outbox);
        given().auth().oauth2(c.ada().accessToken()).get("/v1/me").then().statusCode(401);

        assertTrue(exportOf(c.bob()).contains(c.bobs()), "his page view from her browser is still his");
        assertEquals(0L, count("select count(*) from page_view where path = $1", c.adas()), "hers went with her account");
        assertEquals(0L, count("select count(*) from page_view where path = $1 and visitor_id is not null", c.bobs()),
                "his no longer points at the browser, which went with her account too");
    }

    @Test
    void P28_theRetentionRunPurgingAnIdleBrowser_leavesWhatAnAccountSentFromItWhole() {
        String browser = given().header("X-Forwarded-For", AuthFixtures.randomClient()).post("/v1/visitors").then().statusCode(201)
                .extract().path("token");
        SignedIn bob = AuthFixtures.customer(); // signed in elsewhere: the browser stays linked to no account
        String bobs = "/bob/" + UUID.randomUUID();
        pageView(bob, browser, bobs);
        assertEquals(1L, count("select count(*) from page_view where path = $1 and visitor_id is not null", bobs));
        pool.preparedQuery("update visitor set last_seen_at = now() - interval '396 days' where id = (select visitor_id from page_view where path = $1)")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(bobs)).await().atMost(java.time.Duration.ofSeconds(10));

        given().auth().oauth2(AuthFixtures.admin().accessToken()).post("/v1/admin/retention-runs").then().statusCode(200);

        given().header("X-Visitor-Token", browser).get("/v1/visitors/me").then().statusCode(404);
        assertEquals(1L, count("select count(*) from page_view where path = $1 and visitor_id is null", bobs),
                "his page view stays his, without the purged browser's id");
        assertTrue(exportOf(bob).contains(bobs));
    }

    private long count(String sql, String value) {
        return pool.preparedQuery(sql).execute(io.vertx.mutiny.sqlclient.Tuple.of(value)).await().atMost(java.time.Duration.ofSeconds(10))
                .iterator().next().getLong(0);
    }
}
