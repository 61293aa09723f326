package com.harmony.analytics;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import com.harmony.AuthFixtures.SignedIn;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Page views (P21): recorded only while the requester's cookie preferences allow analytics and no
 * Global Privacy Control signal is sent, otherwise dropped without a trace and without a different
 * answer; only the path, browser and OS families and a truncated address are kept; raw rows become
 * anonymous daily counts after the retention period.
 */
@QuarkusTest
class PageViewTest {

    private static final String PROBLEMS = "https://harmony.example/problems/";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String CHROME_WINDOWS =
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

    @Inject
    Pool pool;

    @Inject
    AnalyticsPersonalData analytics;

    // ---------------------------------------------------------------------------------------------
    // Consent decides

    @Test
    void P21_pageViewRecordedOnlyWhenAnalyticsAllowed() {
        String visitor = newVisitor();
        setAnalytics(given().header("X-Visitor-Token", visitor), true);

        String path = "/products/" + unique();
        beacon(visitor, Map.of("path", path, "time_on_page_ms", 1234)).then().statusCode(204).body(emptyString());

        List<Row> rows = rows("select visitor_id, account_id, path, browser_family, os_family, time_on_page_ms, viewed_at "
                + "from page_view where visitor_id = $1", visitorId(visitor));
        assertEquals(1, rows.size(), "one view, recorded for the visitor");
        Row row = rows.get(0);
        assertNull(row.getUUID("account_id"), "nobody is signed in");
        assertEquals(path, row.getString("path"));
        assertEquals("chrome", row.getString("browser_family"));
        assertEquals("windows", row.getString("os_family"));
        assertEquals(1234, row.getInteger("time_on_page_ms"));

        // withdrawn: the next view is answered the same and not stored
        setAnalytics(given().header("X-Visitor-Token", visitor), false);
        beacon(visitor, Map.of("path", "/after-withdrawal")).then().statusCode(204).body(emptyString());
        assertEquals(1, count("select count(*) from page_view where visitor_id = $1", visitorId(visitor)));
    }

    @Test
    void P21_sendBeaconsTextPlainBodyIsRecordedLikeJson() {
        String visitor = newVisitor();
        setAnalytics(given().header("X-Visitor-Token", visitor), true);
        String path = "/beacon/" + unique();

        given().header("X-Forwarded-For", AuthFixtures.randomClient()).header("User-Agent", CHROME_WINDOWS)
                .header("X-Visitor-Token", visitor)
                .contentType("text/plain;charset=UTF-8").body("{\"path\":\"" + path + "\",\"time_on_page_ms\":42}")
                .post("/v1/page-views").then().statusCode(204);

        Row row = rows("select path, time_on_page_ms from page_view where visitor_id = $1", visitorId(visitor)).get(0);
        assertEquals(path, row.getString("path"));
        assertEquals(42, row.getInteger("time_on_page_ms"));
    }

    @Test
    void P21_refusedQuietlyWithoutConsent_nothingStored() {
        String path = "/quiet/" + unique();

        // nobody known: no visitor token, no account
        beacon(null, Map.of("path", path)).then().statusCode(204).body(emptyString());
        // a visitor token that proves nothing
        beacon(UUID.randomUUID() + ".not-a-secret", Map.of("path", path)).then().statusCode(204).body(emptyString());
        // a visitor that never chose (optional cookies are off until chosen)
        String undecided = newVisitor();
        beacon(undecided, Map.of("path", path)).then().statusCode(204).body(emptyString());
        // a visitor that refused
        String refused = newVisitor();
        setAnalytics(given().header("X-Visitor-Token", refused), false);
        beacon(refused, Map.of("path", path, "time_on_page_ms", 10)).then().statusCode(204).body(emptyString());

        assertEquals(0, count("select count(*) from page_view where path = $1", path), "nothing about these views is stored");
        assertEquals(0, count("select count(*) from page_view where visitor_id = any($1)",
                (Object) new UUID[] {visitorId(undecided), visitorId(refused)}));
    }

    @Test
    void P21_aSignedInCustomersOwnChoiceDecides() {
        SignedIn customer = AuthFixtures.customer();
        String visitor = newVisitor();
        // the browser's visitor allowed analytics before signing in; the account never did
        setAnalytics(given().header("X-Visitor-Token", visitor), true);
        String path = "/signed-in/" + unique();

        beacon(visitor, Map.of("path", path), customer.accessToken()).then().statusCode(204);
        assertEquals(0, count("select count(*) from page_view where path = $1", path), "the account's choice (none yet) decides");

        setAnalytics(given().auth().oauth2(customer.accessToken()), true);
        beacon(visitor, Map.of("path", path), customer.accessToken()).then().statusCode(204);
        Row row = rows("select account_id, visitor_id from page_view where path = $1", path).get(0);
        assertEquals(UUID.fromString(customer.accountId()), row.getUUID("account_id"));
        assertEquals(visitorId(visitor), row.getUUID("visitor_id"));
    }

    @Test
    void P21_aSignedInBrowserSendsItsCsrfToken_aBareBeaconIsRefused() {
        String email = AuthFixtures.uniqueEmail();
        String accountId = AuthFixtures.register(email);
        Response signIn = given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", AuthFixtures.PASSWORD, "use_cookies", true)).post("/v1/auth/sign-in");
        signIn.then().statusCode(200);
        Map<String, String> cookies = signIn.getCookies();
        String csrf = signIn.path("csrf_token");
        setAnalytics(given().cookies(cookies).header("X-CSRF-Token", csrf), true);
        String path = "/browser/" + unique();

        // navigator.sendBeacon cannot add headers: with the session cookie it is refused like any unsafe request without the token
        given().spec(beaconRequest(null, null)).cookies(cookies).contentType("text/plain;charset=UTF-8")
                .body("{\"path\":\"" + path + "\"}").post("/v1/page-views").then().statusCode(403)
                .body("type", equalTo(PROBLEMS + "csrf-failed"));
        assertEquals(0, count("select count(*) from page_view where path = $1", path));

        // fetch with keepalive sends the token and is recorded for the account
        given().spec(beaconRequest(null, null)).cookies(cookies).header("X-CSRF-Token", csrf).body(Map.of("path", path))
                .post("/v1/page-views").then().statusCode(204);
        assertEquals(UUID.fromString(accountId), rows("select account_id from page_view where path = $1", path).get(0).getUUID("account_id"));
    }

    @Test
    void P21_gpcMeansNothingRecorded() {
        String visitor = newVisitor();
        setAnalytics(given().header("X-Visitor-Token", visitor), true);
        String path = "/gpc/" + unique();

        given().spec(beaconRequest(visitor, null)).header("Sec-GPC", "1").body(Map.of("path", path, "time_on_page_ms", 500))
                .post("/v1/page-views").then().statusCode(204).body(emptyString());

        assertEquals(0, count("select count(*) from page_view where path = $1", path), "Global Privacy Control: nothing is recorded");
        assertEquals(0, count("select count(*) from page_view where visitor_id = $1", visitorId(visitor)));
    }

    /**
     * A beacon with a token that is not valid is 401 before anything else (GPC or not), and its browser's Global Privacy
     * Control is still recorded as that browser's opt-out: the stale token fails the operation, never the signal.
     */
    @Test
    void P21_P23_aStaleBearerToken_is401_yetTheBrowsersGpcOptOutIsRecorded() {
        String visitor = newVisitor();
        setAnalytics(given().header("X-Visitor-Token", visitor), true);
        String path = "/stale/" + unique();
        given().spec(beaconRequest(visitor, null)).auth().oauth2("not-a-token").header("Sec-GPC", "1").body(Map.of("path", path))
                .post("/v1/page-views").then().statusCode(401).contentType("application/problem+json");
        given().spec(beaconRequest(visitor, null)).auth().oauth2("not-a-token").body(Map.of("path", path))
                .post("/v1/page-views").then().statusCode(401);
        assertEquals(0, count("select count(*) from page_view where path = $1", path));
        given().header("X-Visitor-Token", visitor).get("/v1/cookie-preferences").then().statusCode(200).body("analytics", equalTo(false));
    }

    // ---------------------------------------------------------------------------------------------
    // What is kept

    @Test
    void P21_ipIsTruncatedAndQueryStripped() {
        String visitor = newVisitor();
        setAnalytics(given().header("X-Visitor-Token", visitor), true);
        int host = ThreadLocalRandom.current().nextInt(1, 255);
        String v4 = "192.0.2." + host;
        String v6 = "2001:db8:abcd:12:3456:789a:bcde:" + Integer.toHexString(host);
        String page = "/search/" + unique();

        given().spec(beaconRequest(visitor, null)).header("X-Forwarded-For", v4)
                .body(Map.of("path", page + "?q=jane.doe%40example.com&token=s3cr3t#reset-jane")).post("/v1/page-views").then().statusCode(204);
        given().spec(beaconRequest(visitor, null)).header("X-Forwarded-For", v6)
                .body(Map.of("path", page + "#section-jane")).post("/v1/page-views").then().statusCode(204);

        List<Row> rows = rows("select path, client_ip::text as ip, row_to_json(p)::text as doc from page_view p where visitor_id = $1 order by id",
                visitorId(visitor));
        assertEquals(2, rows.size());
        assertEquals(page, rows.get(0).getString("path"), "the query string and fragment are removed");
        assertEquals(page, rows.get(1).getString("path"));
        assertEquals("192.0.2.0/24", rows.get(0).getString("ip"), "IPv4 kept to its /24");
        assertEquals("2001:db8:abcd::/48", rows.get(1).getString("ip"), "IPv6 kept to its /48");
        for (Row r : rows) {
            String doc = r.getString("doc");
            for (String secret : List.of("jane", "s3cr3t", "reset", "section", v4, "789a:bcde")) {
                assertFalse(doc.contains(secret), () -> "the stored row holds " + secret + ": " + doc);
            }
        }
    }

    @Test
    void addressesAreCutToTheirNetworkBeforeStorage() {
        assertEquals("203.0.113.0/24", PageViewService.network("203.0.113.200", 24, 48));
        assertEquals("203.0.112.0/20", PageViewService.network("203.0.113.200", 20, 48));
        assertEquals("203.0.113.200/32", PageViewService.network("203.0.113.200", 32, 48));
        assertEquals("2001:db8:abcd:0:0:0:0:0/48", PageViewService.network("2001:db8:abcd:12::1", 24, 48));
        assertEquals("2001:db8:abcd:10:0:0:0:0/60", PageViewService.network("2001:db8:abcd:1f::1", 24, 60));
        assertEquals("198.51.100.0/24", PageViewService.network("::ffff:198.51.100.7", 24, 48), "an IPv4-mapped address is IPv4");
        assertNull(PageViewService.network("203.0.113.200", 0, 48), "prefix 0 keeps no address");
        assertNull(PageViewService.network("unknown", 24, 48));
        assertNull(PageViewService.network("cafe", 24, 48), "never resolved as a host name");
    }

    @Test
    void P21_browserAndOsFamiliesParsed() {
        String visitor = newVisitor();
        setAnalytics(given().header("X-Visitor-Token", visitor), true);
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put(CHROME_WINDOWS, "chrome windows");
        expected.put("Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0", "firefox linux");
        expected.put("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
                "safari macos");
        expected.put("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 "
                + "Mobile/15E148 Safari/604.1", "safari ios");
        expected.put("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                + "CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1", "chrome ios");
        expected.put("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 "
                + "Edg/124.0.0.0", "edge windows");
        expected.put("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 "
                + "Safari/537.36 OPR/109.0.0.0", "opera macos");
        expected.put("Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 "
                + "Chrome/117.0.0.0 Mobile Safari/537.36", "samsung_internet android");
        expected.put("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 "
                + "Mobile Safari/537.36", "chrome android");
        expected.put("Mozilla/5.0 (Linux; Android 10; CUBOT X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
                + "Mobile Safari/537.36", "chrome android");
        expected.put("Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0", "firefox android");
        expected.put("Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
                "chrome chromeos");
        expected.put("Lynx/2.9.0dev.12 libwww-FM/2.14 SSL-MM/1.4.1 GNUTLS/3.7.8", "other other");

        List<String> paths = new ArrayList<>();
        for (String ua : expected.keySet()) {
            String path = "/ua/" + unique();
            paths.add(path);
            given().spec(beaconRequest(visitor, null, ua)).body(Map.of("path", path))
                    .post("/v1/page-views").then().statusCode(204);
        }
        List<String> stored = new ArrayList<>();
        for (String path : paths) {
            Row r = rows("select browser_family || ' ' || os_family as families from page_view where path = $1", path).get(0);
            stored.add(r.getString("families"));
        }
        assertEquals(new ArrayList<>(expected.values()), stored);
        assertEquals(0, count("select count(*) from page_view where visitor_id = $1 and browser_family not in "
                + "('chrome', 'firefox', 'safari', 'edge', 'opera', 'samsung_internet', 'other')", visitorId(visitor)));
    }

    @Test
    void P21_botsAreNotRecorded() {
        String visitor = newVisitor();
        setAnalytics(given().header("X-Visitor-Token", visitor), true);
        String path = "/bots/" + unique();
        List<String> bots = List.of(
                "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
                "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.91 "
                        + "Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
                "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36",
                "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36",
                "curl/8.5.0",
                "");
        for (String ua : bots) {
            given().spec(beaconRequest(visitor, null, ua)).body(Map.of("path", path))
                    .post("/v1/page-views").then().statusCode(204).body(emptyString());
        }
        assertEquals(0, count("select count(*) from page_view where visitor_id = $1", visitorId(visitor)), "no bot view is stored");

        // the same visitor in a browser is counted, so the refusals above were the bots'
        beacon(visitor, Map.of("path", path)).then().statusCode(204);
        assertEquals(1, count("select count(*) from page_view where visitor_id = $1", visitorId(visitor)));
    }

    // ---------------------------------------------------------------------------------------------
    // Abuse and bad input

    @Test
    void P21_throttledPerClient() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String net = "2001:db8:21:" + Integer.toHexString(r.nextInt(1, 0xffff)) + ":";
        String client = net + "1:2:3:4";
        for (int i = 0; i < 120; i++) {
            given().spec(beaconRequest(null, client)).body(Map.of("path", "/busy")).post("/v1/page-views").then().statusCode(204);
        }
        given().spec(beaconRequest(null, client)).body(Map.of("path", "/busy")).post("/v1/page-views").then().statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", matchesPattern("[1-9][0-9]*"))
                .body("type", equalTo(PROBLEMS + "rate-limited"));
        // counted per /64: another address of the same subscriber is the same client
        given().spec(beaconRequest(null, net + "ffff::9")).body(Map.of("path", "/busy")).post("/v1/page-views").then().statusCode(429);
        // another client is not affected
        given().spec(beaconRequest(null, "2001:db8:22:" + Integer.toHexString(r.nextInt(1, 0xffff)) + "::1")).body(Map.of("path", "/busy"))
                .post("/v1/page-views").then().statusCode(204);
    }

    @Test
    void badInputIsAProblem_andNothingIsStored() {
        String visitor = newVisitor();
        setAnalytics(given().header("X-Visitor-Token", visitor), true);

        given().spec(beaconRequest(visitor, null)).body("{\"path\": ").post("/v1/page-views").then().statusCode(400)
                .contentType("application/problem+json").body("type", equalTo(PROBLEMS + "malformed-request"));
        given().spec(beaconRequest(visitor, null)).contentType("text/plain").body("path=/x").post("/v1/page-views").then().statusCode(400)
                .body("type", equalTo(PROBLEMS + "malformed-request"));
        given().spec(beaconRequest(visitor, null)).body(Map.of("path", "/x", "referrer", "https://elsewhere.example/")).post("/v1/page-views")
                .then().statusCode(400).body("type", equalTo(PROBLEMS + "malformed-request")).body("errors[0].field", equalTo("referrer"));
        given().spec(beaconRequest(visitor, null)).body(Map.of("path", "/x", "time_on_page_ms", "long")).post("/v1/page-views")
                .then().statusCode(400).body("errors[0].field", equalTo("time_on_page_ms"));
        given().spec(beaconRequest(visitor, null)).body("").post("/v1/page-views").then().statusCode(400)
                .body("type", equalTo(PROBLEMS + "validation-failed"));

        invalid(visitor, Map.of("time_on_page_ms", 5), "path");
        invalid(visitor, Map.of("path", "products/x"), "path");
        invalid(visitor, Map.of("path", "https://shop.example/products/x"), "path");
        invalid(visitor, Map.of("path", "?q=only-a-query"), "path");
        invalid(visitor, Map.of("path", "/" + "a".repeat(300)), "path");
        invalid(visitor, Map.of("path", "/with space"), "path");
        invalid(visitor, Map.of("path", "/x", "time_on_page_ms", -1), "time_on_page_ms");
        invalid(visitor, Map.of("path", "/x", "time_on_page_ms", 86_400_001), "time_on_page_ms");
        given().spec(beaconRequest(visitor, null)).contentType("application/xml").body("<path>/x</path>").post("/v1/page-views")
                .then().statusCode(415).body("type", equalTo(PROBLEMS + "unsupported-media-type"));
        // a body must be UTF-8 as sent, sendBeacon's text/plain as well as JSON: C0 AF is an overlong "/" that a lenient
        // decoder reads as /a/b (or two replacement characters), so the path stored would not be the one sent
        byte[] overlong = "{\"path\": \"/a\u00c0\u00afb\"}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        for (String type : List.of("application/json", "text/plain;charset=UTF-8")) {
            given().spec(beaconRequest(visitor, null)).contentType(type).body(overlong).post("/v1/page-views").then().statusCode(400)
                    .contentType("application/problem+json").body("type", equalTo(PROBLEMS + "malformed-request"))
                    .body("detail", equalTo("The body is not valid UTF-8."));
        }

        assertEquals(0, count("select count(*) from page_view where visitor_id = $1", visitorId(visitor)), "nothing invalid is stored");

        // the limits hold for what is stored: a long query string is removed first, the edges of the range are fine
        beacon(visitor, Map.of("path", "/" + "a".repeat(299) + "?" + "q".repeat(1000), "time_on_page_ms", 86_400_000)).then().statusCode(204);
        beacon(visitor, Map.of("path", "/", "time_on_page_ms", 0)).then().statusCode(204);
        assertEquals(2, count("select count(*) from page_view where visitor_id = $1", visitorId(visitor)));
    }

    // ---------------------------------------------------------------------------------------------
    // The admin report and retention

    @Test
    void P21_adminReportMedianPerPathPerDay() {
        String visitor = newVisitor();
        setAnalytics(given().header("X-Visitor-Token", visitor), true);
        String a = "/report-a/" + unique();
        String b = "/report-b/" + unique();
        for (Integer ms : new Integer[] {1000, 100, null, 300}) {
            beacon(visitor, ms == null ? Map.of("path", a) : Map.of("path", a, "time_on_page_ms", ms)).then().statusCode(204);
        }
        beacon(visitor, Map.of("path", b, "time_on_page_ms", 50)).then().statusCode(204);
        LocalDate today = rows("select (viewed_at at time zone 'UTC')::date as day from page_view where path = $1", a).get(0).getLocalDate("day");
        // an older day of the same path, already rolled up
        LocalDate older = today.minusDays(40);
        execute("insert into page_view_daily (day, path, views, median_time_on_page_ms) values ($1, $2, 7, 500)", older, a);

        String admin = AuthFixtures.admin().accessToken();
        Response report = given().auth().oauth2(admin).queryParam("from", older.minusDays(1).toString()).queryParam("to", today.toString())
                .queryParam("path", a).get("/v1/admin/page-views/daily");
        report.then().statusCode(200).contentType(ContentType.JSON).header("ETag", notNullValue())
                .body("from", equalTo(older.minusDays(1).toString()))
                .body("to", equalTo(today.toString()))
                .body("path", equalTo(a))
                .body("days.size()", equalTo(2))
                .body("days[0].date", equalTo(older.toString()))
                .body("days[0].views", equalTo(7))
                .body("days[0].median_time_on_page_ms", equalTo(500))
                .body("days[1].date", equalTo(today.toString()))
                .body("days[1].path", equalTo(a))
                .body("days[1].views", equalTo(4))
                .body("days[1].median_time_on_page_ms", equalTo(300));
        given().auth().oauth2(admin).header("If-None-Match", report.header("ETag")).queryParam("from", older.minusDays(1).toString())
                .queryParam("to", today.toString()).queryParam("path", a).get("/v1/admin/page-views/daily").then().statusCode(304);

        // every path by default, over the last 30 days: both paths today, the 40-day-old roll-up outside
        Response all = given().auth().oauth2(admin).get("/v1/admin/page-views/daily");
        all.then().statusCode(200).body("path", nullValue()).body("to", equalTo(LocalDate.now(java.time.ZoneOffset.UTC).toString()))
                .body("days.path", hasItem(a)).body("days.path", hasItem(b));
        assertEquals(Map.of("date", today.toString(), "path", b, "views", 1, "median_time_on_page_ms", 50), dayOf(all, b));
        assertEquals(1, all.jsonPath().getList("days.findAll { it.path == '" + a + "' }").size());
        // counts and medians, nothing about who viewed
        assertEquals(java.util.Set.of("from", "to", "path", "days"), all.jsonPath().getMap("$").keySet());
        for (Map<String, Object> day : all.jsonPath().<Map<String, Object>>getList("days")) {
            assertEquals(java.util.Set.of("date", "path", "views", "median_time_on_page_ms"), day.keySet());
        }
    }

    @Test
    void theReportIsForAdminsOnly_andChecksItsPeriod() {
        given().get("/v1/admin/page-views/daily").then().statusCode(401).body("type", equalTo(PROBLEMS + "unauthorized"));
        given().auth().oauth2(AuthFixtures.customer().accessToken()).get("/v1/admin/page-views/daily").then().statusCode(403)
                .body("type", equalTo(PROBLEMS + "forbidden"));

        String admin = AuthFixtures.admin().accessToken();
        badReport(admin, Map.of("from", "2026-13-01"), "from");
        badReport(admin, Map.of("to", "yesterday"), "to");
        badReport(admin, Map.of("from", "2026-03-02", "to", "2026-03-01"), "to");
        badReport(admin, Map.of("from", "2025-01-01", "to", "2026-01-02"), "from"); // 367 days
        badReport(admin, Map.of("path", "no-slash"), "path");
        given().auth().oauth2(admin).queryParam("from", "2025-01-01").queryParam("to", "2026-01-01").get("/v1/admin/page-views/daily")
                .then().statusCode(200).body("from", equalTo("2025-01-01")); // 366 days
        given().auth().oauth2(admin).queryParam("from", "2024-01-01").queryParam("to", "2024-12-31").get("/v1/admin/page-views/daily")
                .then().statusCode(200).body("to", equalTo("2024-12-31")); // a leap year: 366 days
    }

    @Test
    void P21_P28_rawRowsRolledUpAfterRetention() {
        String path = "/rollup/" + unique();
        // retention is 90 days: the day 120 days ago and the one 95 days ago are wholly past it
        LocalDate today = rows("select (now() at time zone 'UTC')::date as day").get(0).getLocalDate("day");
        LocalDate d120 = today.minusDays(120);
        LocalDate d95 = today.minusDays(95);
        String old = "insert into page_view (path, browser_family, os_family, client_ip, time_on_page_ms, viewed_at) "
                + "values ($1, 'chrome', 'windows', '192.0.2.0/24', $2, $3::date + $4 * interval '1 hour')";
        execute(old, path, 100, d120, 1);
        execute(old, path, 200, d120, 12);
        execute(old, path, null, d120, 23);
        execute(old, path, 10, d95, 6);
        // the day retention ends in is not whole yet: it stays raw, like everything newer
        execute("insert into page_view (path, browser_family, os_family, time_on_page_ms, viewed_at) values ($1, 'safari', 'ios', 1, "
                + "date_trunc('day', (now() - interval '90 days') at time zone 'UTC') at time zone 'UTC')", path);
        execute("insert into page_view (path, browser_family, os_family, time_on_page_ms, viewed_at) values ($1, 'safari', 'ios', 2, "
                + "now() - interval '89 days')", path);

        long removed = rollUp();

        assertTrue(removed >= 4, "the four old rows went (and any other test's old ones): " + removed);
        assertEquals(List.of(1, 2), rows("select time_on_page_ms from page_view where path = $1 order by time_on_page_ms", path).stream()
                .map(r -> r.getInteger("time_on_page_ms")).toList(), "only the rows of whole days past the retention are gone");
        List<Row> daily = rows("select day, views, median_time_on_page_ms from page_view_daily where path = $1 order by day", path);
        assertEquals(2, daily.size());
        assertEquals(d120, daily.get(0).getLocalDate("day"));
        assertEquals(3, daily.get(0).getLong("views"));
        assertEquals(150, daily.get(0).getInteger("median_time_on_page_ms"), "the median of 100 and 200; a view without a time only counts");
        assertEquals(d95, daily.get(1).getLocalDate("day"));
        assertEquals(1, daily.get(1).getLong("views"));
        assertEquals(10, daily.get(1).getInteger("median_time_on_page_ms"));

        // again (another instance, the next hour): nothing changes
        rollUp();
        assertEquals(2, count("select count(*) from page_view_daily where path = $1", path));
        assertEquals(3, count("select views from page_view_daily where path = $1 and day = $2", path, d120));
        assertEquals(2, count("select count(*) from page_view where path = $1", path));

        // the report reads the rolled-up days and the raw ones alike
        given().auth().oauth2(AuthFixtures.admin().accessToken()).queryParam("from", d120.toString()).queryParam("to", today.toString())
                .queryParam("path", path).get("/v1/admin/page-views/daily").then().statusCode(200)
                .body("days.date", equalTo(List.of(d120.toString(), d95.toString(), today.minusDays(90).toString(), today.minusDays(89).toString())))
                .body("days.views", equalTo(List.of(3, 1, 1, 1)));
    }

    // ---------------------------------------------------------------------------------------------

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 13);
    }

    /** The retention run's page view rule; answers how many raw rows it deleted. */
    private long rollUp() {
        return pool.withTransaction(conn -> analytics.purge(conn)).await().atMost(WAIT).get(0).rows();
    }

    private static String newVisitor() {
        return given().header("X-Forwarded-For", AuthFixtures.randomClient()).post("/v1/visitors").then().statusCode(201).extract().path("token");
    }

    private static UUID visitorId(String token) {
        return UUID.fromString(token.substring(0, token.indexOf('.')));
    }

    /** The cookie banner's choice, as the storefront sends it. */
    private static void setAnalytics(RequestSpecification who, boolean allowed) {
        who.contentType(ContentType.JSON).body(Map.of("analytics", allowed)).put("/v1/cookie-preferences").then().statusCode(200)
                .body("analytics", equalTo(allowed));
    }

    /** A browser's beacon: a browser User-Agent, its own client address unless one is given, the visitor token when there is one. */
    private static RequestSpecification beaconRequest(String visitorToken, String client) {
        return beaconRequest(visitorToken, client, CHROME_WINDOWS);
    }

    private static RequestSpecification beaconRequest(String visitorToken, String client, String userAgent) {
        RequestSpecification r = given().header("X-Forwarded-For", client != null ? client : AuthFixtures.randomClient())
                .header("User-Agent", userAgent).contentType(ContentType.JSON);
        return visitorToken == null ? r : r.header("X-Visitor-Token", visitorToken);
    }

    private static Response beacon(String visitorToken, Map<String, ?> body) {
        return given().spec(beaconRequest(visitorToken, null)).body(body).post("/v1/page-views");
    }

    private static Response beacon(String visitorToken, Map<String, ?> body, String bearer) {
        return given().spec(beaconRequest(visitorToken, null)).auth().oauth2(bearer).body(body).post("/v1/page-views");
    }

    private static void invalid(String visitor, Map<String, ?> body, String field) {
        given().spec(beaconRequest(visitor, null)).body(body).post("/v1/page-views").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "validation-failed"))
                .body("errors[0].field", equalTo(field));
    }

    private static void badReport(String admin, Map<String, ?> query, String field) {
        given().auth().oauth2(admin).queryParams(query).get("/v1/admin/page-views/daily").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "validation-failed"))
                .body("errors[0].field", equalTo(field));
    }

    private static Map<String, Object> dayOf(Response report, String path) {
        List<Map<String, Object>> days = report.jsonPath().getList("days.findAll { it.path == '" + path + "' }");
        assertEquals(1, days.size(), "one entry for " + path);
        return days.get(0);
    }

    private List<Row> rows(String sql, Object... params) {
        List<Row> out = new ArrayList<>();
        pool.preparedQuery(sql).execute(Tuple.from(params)).await().atMost(WAIT).forEach(out::add);
        return out;
    }

    private long count(String sql, Object... params) {
        return rows(sql, params).get(0).getLong(0);
    }

    private void execute(String sql, Object... params) {
        pool.preparedQuery(sql).execute(Tuple.from(params)).await().atMost(WAIT);
    }
}
