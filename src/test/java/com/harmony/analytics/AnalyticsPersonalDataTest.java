package com.harmony.analytics;

import static com.harmony.PersonalDataChecks.count;
import static com.harmony.PersonalDataChecks.erase;
import static com.harmony.PersonalDataChecks.execute;
import static com.harmony.PersonalDataChecks.export;
import static com.harmony.PersonalDataChecks.find;
import static com.harmony.PersonalDataChecks.purge;
import static com.harmony.PersonalDataChecks.purged;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import com.harmony.AuthFixtures.SignedIn;
import com.harmony.PersonalDataChecks.ExportedRow;
import com.harmony.platform.PersonalData.Erased;
import com.harmony.platform.PersonalData.Person;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** Analytics' part in export, erasure and retention (P13, P21, P28). */
@QuarkusTest
class AnalyticsPersonalDataTest {

    private static final String FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0";

    @Inject
    Pool pool;

    @Inject
    AnalyticsPersonalData analytics;

    private record Visitor(UUID id, String token) {
    }

    private static Visitor visitorAllowingAnalytics() {
        Response r = given().header("X-Forwarded-For", AuthFixtures.randomClient()).post("/v1/visitors").then().statusCode(201).extract().response();
        Visitor v = new Visitor(UUID.fromString(r.path("id")), r.path("token"));
        given().header("X-Visitor-Token", v.token()).contentType(ContentType.JSON).body(Map.of("analytics", true))
                .put("/v1/cookie-preferences").then().statusCode(200);
        return v;
    }

    /** A beacon from a client address of the TEST-NET-2 range, so the stored /24 names this test's client. */
    private static RequestSpecification beacon(String client) {
        return given().header("X-Forwarded-For", client).header("User-Agent", FIREFOX_LINUX).contentType(ContentType.JSON);
    }

    private static String client() {
        return "198.51.100." + (1 + ThreadLocalRandom.current().nextInt(254));
    }

    @Test
    void visitorsAndCustomersPageViewsAreExportedAndErased_anothersStay_P13_P28() {
        Visitor v = visitorAllowingAnalytics();
        Visitor other = visitorAllowingAnalytics();
        String path = "/erasable/" + UUID.randomUUID();
        for (int i = 0; i < 2; i++) {
            beacon(client()).header("X-Visitor-Token", v.token()).body(Map.of("path", path, "time_on_page_ms", 1000 + i))
                    .post("/v1/page-views").then().statusCode(204);
        }
        beacon(client()).header("X-Visitor-Token", other.token()).body(Map.of("path", path)).post("/v1/page-views").then().statusCode(204);
        Person person = Person.visitor(v.id(), UUID.randomUUID());

        assertEquals(Map.of("page_view", 2L), find(pool, analytics, person));
        List<ExportedRow> rows = export(pool, analytics, person);
        assertEquals(2, rows.size());
        rows.forEach(r -> {
            assertEquals(path, r.json().get("path").asText());
            assertEquals("firefox", r.json().get("browser_family").asText());
            assertTrue(r.json().get("client_ip").asText().startsWith("198.51.100.0/24"), r.json()::toString);
        });

        assertEquals(List.of(Erased.deleted("page_view", 2)), erase(pool, analytics, person));
        assertEquals(0, count(pool, "select count(*) from page_view where visitor_id = $1", v.id()));
        assertEquals(1, count(pool, "select count(*) from page_view where visitor_id = $1 and path = $2", other.id(), path));
        assertEquals(List.of(Erased.deleted("page_view", 0)), erase(pool, analytics, person), "a second run finds nothing");

        SignedIn ada = AuthFixtures.customer();
        given().auth().oauth2(ada.accessToken()).contentType(ContentType.JSON).body(Map.of("analytics", true))
                .put("/v1/cookie-preferences").then().statusCode(200);
        beacon(client()).auth().oauth2(ada.accessToken()).body(Map.of("path", path)).post("/v1/page-views").then().statusCode(204);
        Person customer = Person.customer(UUID.fromString(ada.accountId()), UUID.randomUUID());
        assertEquals(Map.of("page_view", 1L), find(pool, analytics, customer));
        assertEquals(List.of(Erased.deleted("page_view", 1)), erase(pool, analytics, customer));
        assertEquals(0, count(pool, "select count(*) from page_view where account_id = $1", UUID.fromString(ada.accountId())));
        assertEquals(1, count(pool, "select count(*) from page_view where path = $1", path), "only the other visitor's view is left");
    }

    @Test
    void purgeRollsUpWholeDaysPastTheRetention_keepsNewerViews_safeTwice_P21_P28() {
        String path = "/aged/" + UUID.randomUUID();
        execute(pool, "insert into page_view (path, browser_family, os_family, client_ip, viewed_at) "
                + "values ($1, 'firefox', 'linux', '198.51.100.0/24', now() - interval '100 days')", path);
        execute(pool, "insert into page_view (path, browser_family, os_family, client_ip, viewed_at) "
                + "values ($1, 'firefox', 'linux', '198.51.100.0/24', now() - interval '80 days')", path);

        assertTrue(purged(purge(pool, analytics), "page_view") >= 1);
        assertEquals(1, count(pool, "select count(*) from page_view where path = $1", path), "the view inside the retention stays raw");
        assertEquals(1, count(pool, "select count(*) from page_view where path = $1 and viewed_at > now() - interval '90 days'", path));
        assertEquals(1, count(pool, "select views from page_view_daily where path = $1", path), "the old view is an anonymous count now");

        assertEquals(0, purged(purge(pool, analytics), "page_view"), "a second run finds nothing more");
        assertEquals(1, count(pool, "select views from page_view_daily where path = $1", path));
    }
}
