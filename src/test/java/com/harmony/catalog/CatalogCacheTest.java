package com.harmony.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import com.harmony.CachedProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Catalog reads come from each instance's memory, and a write still reaches every instance: staff writes
 * NOTIFY a PostgreSQL channel every instance LISTENs on; without a notification, entries expire after the
 * TTL (3 s here, so that what arrives sooner can only have come through the notification).
 */
@QuarkusTest
@TestProfile(CachedProfile.class)
class CatalogCacheTest {

    private static final Duration TTL = CachedProfile.TTL;

    @Inject
    Pool pool;

    /** Metrics are served on the management interface only. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/", management = true)
    java.net.URI management;

    private static String title(String idOrSlug) {
        return given().get("/v1/products/" + idOrSlug).then().statusCode(200).extract().path("title");
    }

    /** What another instance's staff write does to the database: the change and the notification, in one transaction. */
    private void writeElsewhere(String id, String title, boolean notify) {
        pool.withTransaction(conn -> conn.preparedQuery("update catalog_product set title = $2 where id = $1")
                .execute(Tuple.of(UUID.fromString(id), title))
                .call(() -> notify ? conn.query("select pg_notify('catalog_changed', '')").execute() : io.smallrye.mutiny.Uni.createFrom().voidItem()))
                .await().atMost(Duration.ofSeconds(10));
    }

    private static long millisUntilTitle(String id, String expected, Duration within) throws InterruptedException {
        long start = System.nanoTime();
        while (System.nanoTime() - start < within.toNanos()) {
            if (expected.equals(title(id))) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            Thread.sleep(20);
        }
        return -1;
    }

    /**
     * A cached page belongs to the query that was asked: the word "null" as a filter, never answers for the listing without them (their cache keys were one and the same, so anyone
     * could blank the storefront's listing for the cache's lifetime, again and again).
     */
    @Test
    void aCachedPageNeverAnswersForAnotherQuery_evenOneThatSpellsOutAnAbsentFilter() {
        String word = "zebracache" + UUID.randomUUID().toString().substring(0, 8).replace("-", "");
        CatalogFixtures.product(null, "The " + word + " mug", 1200, 5);
        given().get("/v1/products?limit=7&category=null").then().body("data", hasSize(0));
        given().get("/v1/products?q=" + word + "&category=null").then().body("data", hasSize(0));
        given().get("/v1/products?q=" + word).then().statusCode(200).body("data", hasSize(1));
        given().get("/v1/products?limit=7").then().statusCode(200).body("data.size()", org.hamcrest.Matchers.greaterThan(0));
    }

    @Test
    void theListenConnectionIsItsOwnClientInTheMetrics_notCountedAsThePools() {
        String metrics = given().baseUri(management.resolve("/").toString()).get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("clientName=\"listen-catalog\""), "the catalog cache's LISTEN connection has its own client name");
    }

    @Test
    void aReadIsServedFromMemory_soAChangeBehindTheServicesBackIsNotSeenAtOnce() throws InterruptedException {
        String id = (String) CatalogFixtures.product(null, "Cached tee", 1500, 5).get("id");
        // the create's own notice arrives apart from its answer; let it land first, or it would clear the entry read next
        Thread.sleep(300);
        assertEquals("Cached tee", title(id));
        writeElsewhere(id, "Changed without a notification", false);
        assertEquals("Cached tee", title(id), "the second read came from the cache");
    }

    @Test
    void aStaffWriteOnAnotherInstanceIsSeenHereWithinOneSecond() throws InterruptedException {
        String id = (String) CatalogFixtures.product(null, "Tee before", 1500, 5).get("id");
        assertEquals("Tee before", title(id));
        writeElsewhere(id, "Tee after", true);
        long millis = millisUntilTitle(id, "Tee after", Duration.ofSeconds(1));
        assertTrue(millis >= 0, "the notified change was not visible within one second");
    }

    @Test
    void withoutANotificationAnEntryIsStaleForAtMostItsTtl() throws InterruptedException {
        String id = (String) CatalogFixtures.product(null, "Mug before", 900, 5).get("id");
        assertEquals("Mug before", title(id));
        writeElsewhere(id, "Mug after", false);
        long millis = millisUntilTitle(id, "Mug after", TTL.plusSeconds(1));
        assertTrue(millis >= 0, "the change was not visible after the TTL");
    }

    @Test
    void theWriterReadsItsOwnWriteAtOnce_andListsToo() {
        Map<String, Object> product = CatalogFixtures.product(null, "Apron before", 2100, 5);
        String id = (String) product.get("id");
        String slug = (String) product.get("slug");
        assertEquals("Apron before", title(slug));
        given().get("/v1/products?q=apron").then().statusCode(200);
        given().auth().oauth2(AuthFixtures.admin().accessToken()).contentType(ContentType.JSON)
                .body(Map.of("title", "Apron after")).patch("/v1/admin/products/" + id).then().statusCode(200);
        assertEquals("Apron after", title(slug));
        assertEquals("Apron after", title(id));
    }

    @Test
    void aCachedRepresentationKeepsItsETag_andRevalidatesWith304() {
        String id = (String) CatalogFixtures.product(null, "Skillet", 4500, 5).get("id");
        String etag = given().get("/v1/products/" + id).then().statusCode(200).extract().header("ETag");
        assertEquals(etag, given().get("/v1/products/" + id).then().statusCode(200).extract().header("ETag"));
        given().header("If-None-Match", etag).get("/v1/products/" + id).then().statusCode(304);
    }
}
