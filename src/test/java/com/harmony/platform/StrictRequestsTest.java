package com.harmony.platform;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import com.harmony.AuthFixtures.SignedIn;
import com.harmony.cart.CartFixtures;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A request means exactly what it says or is refused with a problem before anything is stored: no value
 * read twice, rounded, or coerced from another type, nothing after the body, no header that is not what it
 * claims; and concurrent edits of one account apply one after the other instead of failing.
 */
@QuarkusTest
class StrictRequestsTest {

    private static final String PROBLEMS = "https://harmony.example/problems/";

    @TestHTTPResource("/")
    URI root;

    private static RequestSpecification as(SignedIn who) {
        return given().auth().oauth2(who.accessToken()).contentType(ContentType.JSON);
    }

    private static int stock(String admin, String variantId) {
        return given().auth().oauth2(admin).get("/v1/admin/variants/" + variantId).then().statusCode(200)
                .extract().path("stock_on_hand");
    }

    @Test
    void aFieldSentTwiceIsRefusedAsMalformedNeverA500() {
        given().contentType(ContentType.JSON).body("{\"email\":\"a@example.com\",\"email\":\"b@example.com\"}")
                .post("/v1/auth/password-reset")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE).body("type", equalTo(PROBLEMS + "malformed-request"));
        SignedIn who = AuthFixtures.customer();
        as(who).body("{\"name\":\"First\",\"name\":\"Second\"}").patch("/v1/me").then().statusCode(400);
        given().auth().oauth2(who.accessToken()).get("/v1/me").then().body("name", equalTo("Ada Lovelace"));
    }

    @Test
    void textAfterTheBodyIsRefusedAndNothingChanges() {
        SignedIn who = AuthFixtures.customer();
        String before = given().auth().oauth2(who.accessToken()).get("/v1/me").then().extract().path("name");
        as(who).body("{\"name\":\"Changed\"} trailing").patch("/v1/me").then().statusCode(400)
                .body("type", equalTo(PROBLEMS + "malformed-request"));
        as(who).body("{\"name\":\"Changed\"}{\"name\":\"Again\"}").patch("/v1/me").then().statusCode(400);
        given().auth().oauth2(who.accessToken()).get("/v1/me").then().body("name", equalTo(before));
    }

    @Test
    void numbersAreNeitherRoundedNorReadFromTextAndStockStaysAsItWas() {
        String admin = AuthFixtures.admin().accessToken();
        String variant = CartFixtures.variant(500, 10);
        for (String delta : List.of("1.5", "\"-5\"", "1e2", "true")) {
            given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"delta\":" + delta + ",\"reason\":\"x\"}")
                    .post("/v1/admin/variants/" + variant + "/stock-adjustments")
                    .then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        }
        assertEquals(10, stock(admin, variant));
        CartFixtures.GuestCart cart = CartFixtures.guestCart();
        for (String quantity : List.of("1.9", "\"2\"")) {
            given().header("X-Cart-Token", cart.token()).contentType(ContentType.JSON)
                    .body("{\"variant_id\":\"" + variant + "\",\"quantity\":" + quantity + "}")
                    .post("/v1/carts/" + cart.id() + "/items").then().statusCode(400);
        }
        given().header("X-Cart-Token", cart.token()).get("/v1/carts/" + cart.id()).then().statusCode(200).body("lines.size()", equalTo(0));
    }

    @Test
    void aNumberIsNeitherTextNorADate() {
        SignedIn who = AuthFixtures.customer();
        as(who).body("{\"name\":42}").patch("/v1/me").then().statusCode(400).body("type", equalTo(PROBLEMS + "malformed-request"));
        String admin = AuthFixtures.admin().accessToken();
        // an order status by its name only: 3 or "3" is not the fourth status (the body is refused before the order is looked up)
        for (String to : List.of("3", "\"3\"")) {
            given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"to\":" + to + "}")
                    .post("/v1/admin/orders/" + java.util.UUID.randomUUID() + "/transitions")
                    .then().statusCode(400).body("type", equalTo(PROBLEMS + "malformed-request"));
        }
        given().auth().oauth2(admin).contentType(ContentType.JSON).header("Idempotency-Key", java.util.UUID.randomUUID().toString())
                .body("{\"period_from\":42,\"period_to\":\"2026-01-31\"}")
                .post("/v1/admin/affiliate-payouts").then().statusCode(400).body("type", equalTo(PROBLEMS + "malformed-request"));
    }

    @Test
    void aTimestampInABodyIsAnRfc3339StringWithAFourDigitYear_notANumberQuotedOrNotNorAYearPast9999() {
        String admin = AuthFixtures.admin().accessToken();
        String closes = "\"closes_at\":\"2031-01-01T00:00:00Z\"";
        List<String> refused = List.of("{\"title\":\"t\",\"rules\":\"r\",\"opens_at\":123," + closes + ",\"entries_per_person\":1,\"winners\":1}",
                "{\"title\":\"t\",\"rules\":\"r\",\"opens_at\":1.5e9," + closes + ",\"entries_per_person\":1,\"winners\":1}",
                "{\"title\":\"t\",\"rules\":\"r\",\"opens_at\":\"123\"," + closes + ",\"entries_per_person\":1,\"winners\":1}",
                "{\"title\":\"t\",\"rules\":\"r\",\"opens_at\":\"1500000000.5\"," + closes + ",\"entries_per_person\":1,\"winners\":1}",
                "{\"title\":\"t\",\"rules\":\"r\",\"closes_at\":\"0000-01-01T00:00:00Z\",\"entries_per_person\":1,\"winners\":1}",
                "{\"title\":\"t\",\"rules\":\"r\",\"closes_at\":\"+999999999-01-01T00:00:00Z\",\"entries_per_person\":1,\"winners\":1}",
                "{\"title\":\"t\",\"rules\":\"r\",\"closes_at\":\"+10000-01-01T00:00:00Z\",\"entries_per_person\":1,\"winners\":1}",
                // four digits as written, the year 10000 in UTC, as it is stored and shown
                "{\"title\":\"t\",\"rules\":\"r\",\"closes_at\":\"9999-12-31T23:59:59-14:00\",\"entries_per_person\":1,\"winners\":1}",
                "{\"title\":\"t\",\"rules\":\"r\",\"opens_at\":\"0001-01-01T00:00:00+14:00\"," + closes + ",\"entries_per_person\":1,\"winners\":1}");
        for (String body : refused) {
            given().auth().oauth2(admin).contentType(ContentType.JSON).body(body).post("/v1/admin/contests")
                    .then().statusCode(400).body("type", equalTo(PROBLEMS + "malformed-request"));
        }
        given().auth().oauth2(admin).contentType(ContentType.JSON).header("Idempotency-Key", java.util.UUID.randomUUID().toString())
                .body("{\"period_from\":\"-0001-01-01\",\"period_to\":\"2026-01-31\"}")
                .post("/v1/admin/affiliate-payouts").then().statusCode(400).body("type", equalTo(PROBLEMS + "malformed-request"));
        // the same contest with a real timestamp is made
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"title\":\"t\",\"rules\":\"r\",\"opens_at\":\"2030-06-01T08:00:00+02:00\"," + closes + ",\"entries_per_person\":1,\"winners\":1}")
                .post("/v1/admin/contests").then().statusCode(201).body("opens_at", equalTo("2030-06-01T06:00:00.000000Z"));
    }

    /** A date field takes a full-date only: a timestamp is refused, not cut to the day it has in some zone. */
    @Test
    void aDateInABodyIsAFullDate_notATimestampCutToItsDay() {
        String admin = AuthFixtures.admin().accessToken();
        for (String from : List.of("2026-01-01T00:00:00Z", "2026-01-01T10:00:00", "2026-01-01 ", " 2026-01-01", "2026-01-01Z")) {
            given().auth().oauth2(admin).contentType(ContentType.JSON).header("Idempotency-Key", java.util.UUID.randomUUID().toString())
                    .body(Map.of("period_from", from, "period_to", "2026-01-31"))
                    .post("/v1/admin/affiliate-payouts").then().statusCode(400).body("type", equalTo(PROBLEMS + "malformed-request"));
        }
        Map<String, Object> registration = AuthFixtures.registration(AuthFixtures.uniqueEmail());
        registration.put("birth_date", "1990-01-01T10:00:00Z");
        given().header("X-Forwarded-For", AuthFixtures.randomClient()).contentType(ContentType.JSON).body(registration).post("/v1/accounts")
                .then().statusCode(400).body("type", equalTo(PROBLEMS + "malformed-request")).body("errors[0].field", equalTo("birth_date"));
        registration.put("birth_date", "1990-01-01");
        given().header("X-Forwarded-For", AuthFixtures.randomClient()).contentType(ContentType.JSON).body(registration).post("/v1/accounts")
                .then().statusCode(202);
    }

    @Test
    void datesBeyondFourDigitYearsAreRefusedNamingTheParameter() {
        String admin = AuthFixtures.admin().accessToken();
        given().auth().oauth2(admin).queryParam("to", "-999999999-01-01").get("/v1/admin/page-views/daily")
                .then().statusCode(400).body("type", equalTo(PROBLEMS + "validation-failed")).body("errors[0].field", equalTo("to"));
        given().auth().oauth2(admin).queryParam("from", "+10000-01-01").get("/v1/admin/page-views/daily")
                .then().statusCode(400).body("errors[0].field", equalTo("from"));
    }

    /** Only the spec's paths answer: a trailing slash, an empty segment or a ';' parameter is 404, not the operation it resembles. */
    @Test
    void aPathTheSpecDoesNotWrite_isNotFound_evenWhenItResemblesOne() throws Exception {
        String slug = (String) com.harmony.catalog.CatalogFixtures.product(null, "Path mug", 900, 3).get("slug");
        HttpClient http = HttpClient.newHttpClient();
        assertEquals(200, http.send(HttpRequest.newBuilder(root.resolve("v1/products/" + slug)).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode());
        for (String path : List.of("v1/products/", "v1/products//" + slug, "v1/products/" + slug + ";jsessionid=1", "v1/products;x=1",
                "v1//products", "v1/products/" + slug + "/")) {
            // URI.create, not resolve: resolving normalises the path and would send the empty segments as one slash
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(root + path)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, r.statusCode(), path);
            assertEquals(Problem.MEDIA_TYPE, r.headers().firstValue("Content-Type").orElse(""), path);
            assertTrue(r.body().contains(PROBLEMS + "not-found"), r.body());
        }
    }

    /** A request target in absolute form (RFC 9112, 3.2.2: servers accept it) names the path after its authority. */
    @Test
    void anAbsoluteFormRequestTarget_isAnsweredByItsPath() throws Exception {
        String authority = root.getHost() + ":" + root.getPort();
        String host = "Host: " + authority + "\r\n";
        String ping = exchange("GET http://" + authority + "/v1/ping HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n");
        assertTrue(ping.startsWith("HTTP/1.1 200"), ping);
        String slashed = exchange("GET http://" + authority + "/v1/ping/ HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n");
        assertTrue(slashed.startsWith("HTTP/1.1 404"), slashed);
    }

    @Test
    void aContentTypeThatIsNoMediaTypeIs415EvenWhereAnyTypeIsAccepted() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : List.of("v1/auth/refresh", "v1/carts", "v1/auth/sign-in")) {
            for (String type : List.of("garbage", "a/b/c", ";;;")) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(root.resolve(path)).header("Content-Type", type)
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(415, r.statusCode(), path + " with " + type);
                assertEquals(Problem.MEDIA_TYPE, r.headers().firstValue("Content-Type").orElse(""));
                assertTrue(r.body().contains(PROBLEMS + "unsupported-media-type"), r.body());
                assertTrue(r.headers().firstValue(RequestIds.HEADER).isPresent(), "the problem carries the request id");
            }
        }
        // without a body the header describes nothing: the request is answered as if it had not been sent
        HttpResponse<String> read = http.send(HttpRequest.newBuilder(root.resolve("v1/products?limit=1")).header("Content-Type", "garbage")
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, read.statusCode());
        HttpResponse<String> refresh = http.send(HttpRequest.newBuilder(root.resolve("v1/auth/refresh")).header("Content-Type", "a/b/c")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, refresh.statusCode(), "no refresh cookie or token: " + refresh.body());
        assertTrue(refresh.body().contains(PROBLEMS + "refresh-rejected"), refresh.body());
    }

    @Test
    void http2ClientsAreAnsweredAsHttp11OnesAre() throws Exception {
        // java.net.http's default: HTTP/2, reached over plain http by an h2c upgrade on the first request
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        HttpResponse<String> read = http.send(HttpRequest.newBuilder(root.resolve("v1/products?limit=1")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, read.statusCode(), read.body());
        assertEquals(HttpClient.Version.HTTP_2, read.version());
        HttpResponse<String> cart = http.send(HttpRequest.newBuilder(root.resolve("v1/carts")).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, cart.statusCode(), cart.body());
        HttpResponse<String> signIn = http.send(HttpRequest.newBuilder(root.resolve("v1/auth/sign-in")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"nobody@example.com\",\"password\":\"not the password\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, signIn.statusCode(), signIn.body());
        assertTrue(signIn.body().contains(PROBLEMS + "invalid-credentials"), signIn.body());
    }

    /** Everything the server sends back on one connection that carries these bytes, until it closes (or 10 s pass). */
    private String exchange(String bytes) throws Exception {
        try (java.net.Socket socket = new java.net.Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(bytes.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(got);
            } catch (java.net.SocketTimeoutException stillOpen) {
                return got.toString(java.nio.charset.StandardCharsets.ISO_8859_1) + "<still open>";
            }
            return got.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * Request smuggling (RFC 9112, 6.1): a request framed both by Content-Length and as chunked is read as chunked and its
     * connection closed; one with a transfer coding this server does not decode, or an HTTP/1.0 one with any, is refused
     * and its connection closed; and what is framed after a chunked body on its
     * connection is never answered as a request of its own (a proxy reading Content-Length would have sent it as body).
     */
    @Test
    void twoFramingsOrAnUnknownTransferCodingAreRefused_andNothingFramedAfterAChunkedBodyIsAnswered() throws Exception {
        String host = "Host: " + root.getHost() + ":" + root.getPort() + "\r\n";
        String ping = "GET /v1/ping HTTP/1.1\r\n" + host + "\r\n";
        String smuggled = exchange("POST /v1/carts HTTP/1.1\r\n" + host + "Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + ping);
        assertEquals(1, smuggled.split("HTTP/1.1 ", -1).length - 1, smuggled);
        assertFalse(smuggled.endsWith("<still open>"), smuggled);
        String coded = exchange("POST /v1/carts HTTP/1.1\r\n" + host + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n" + ping);
        assertTrue(coded.startsWith("HTTP/1.1 400"), coded);
        assertTrue(coded.contains(PROBLEMS + "malformed-request"), coded);
        assertEquals(1, coded.split("HTTP/1.1 ", -1).length - 1, coded);
        String old = exchange("POST /v1/carts HTTP/1.0\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + ping);
        assertTrue(old.startsWith("HTTP/1.0 400") && old.contains(PROBLEMS + "malformed-request"), old);
        assertFalse(old.contains("HTTP/1.1 200"), "nothing after it is answered: " + old);
        String chunked = exchange("POST /v1/carts HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + ping);
        assertTrue(chunked.startsWith("HTTP/1.1 201"), chunked);
        assertEquals(1, chunked.split("HTTP/1.1 ", -1).length - 1, chunked);
        // a connection without a chunked body keeps answering what comes after
        String kept = exchange(ping + "GET /v1/ping HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n");
        assertEquals(2, kept.split("HTTP/1.1 200", -1).length - 1, kept);
    }

    @Test
    void aProductTitleOfUnicodeWhitespaceAlone_orTextWithAC1ControlCharacter_isRefusedAndNothingChanges() {
        String admin = AuthFixtures.admin().accessToken();
        String cat = com.harmony.catalog.CatalogFixtures.category(null);
        String id = (String) com.harmony.catalog.CatalogFixtures.product(cat, "steady", 1, 1).get("id");
        for (String title : List.of("\u3000", "\u00a0\u2003", "\ufeff")) {
            given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("title", title)).patch("/v1/admin/products/" + id)
                    .then().statusCode(400).body("type", equalTo(PROBLEMS + "validation-failed")).body("errors[0].field", equalTo("title"));
        }
        for (String title : List.of("A\u0085B", "A\u009fB", "A\u007fB")) {
            given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("title", title)).patch("/v1/admin/products/" + id)
                    .then().statusCode(400).body("type", equalTo(PROBLEMS + "malformed-request"));
        }
        given().auth().oauth2(admin).get("/v1/admin/products/" + id).then().statusCode(200).body("title", equalTo("steady"));
    }

    @Test
    void aNameOfWhitespaceAloneIsRefusedUnicodeWhitespaceToo() {
        SignedIn who = AuthFixtures.customer();
        for (String blank : List.of("\u3000\u3000", "\u00a0\u202f")) {
            as(who).body(Map.of("name", blank)).patch("/v1/me").then().statusCode(400)
                    .body("type", equalTo(PROBLEMS + "validation-failed")).body("errors[0].field", equalTo("name"));
        }
        given().auth().oauth2(who.accessToken()).get("/v1/me").then().body("name", equalTo("Ada Lovelace"));
    }

    @Test
    void aBrokenFormAtTheTokenEndpointIsAnOAuthInvalidRequest() {
        for (String form : List.of("grant_type=%ZZ", "%%%&&&==")) {
            given().contentType("application/x-www-form-urlencoded").body(form).post("/v1/oauth/token")
                    .then().statusCode(400).contentType(ContentType.JSON).body("error", equalTo("invalid_request"));
        }
    }

    @Test
    void concurrentEditsOfOneAccountAllApplyOneAfterTheOther() throws Exception {
        SignedIn who = AuthFixtures.customer();
        int n = 8;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Callable<Integer>> edits = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String name = "Name " + i;
                edits.add(() -> as(who).body(Map.of("name", name)).patch("/v1/me").statusCode());
            }
            for (Future<Integer> f : pool.invokeAll(edits)) {
                assertEquals(200, f.get(), "every edit applies; none fails on the row's version");
            }
            String last = given().auth().oauth2(who.accessToken()).get("/v1/me").then().extract().path("name");
            assertTrue(last.startsWith("Name "), last);

            List<Callable<Integer>> adds = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Map<String, Object> address = new java.util.HashMap<>(AuthFixtures.address());
                address.put("line1", i + " Parallel Street");
                adds.add(() -> as(who).body(Map.of("address", address, "default_shipping", true)).post("/v1/me/addresses").statusCode());
            }
            for (Future<Integer> f : pool.invokeAll(adds)) {
                assertEquals(201, f.get(), "every address is added; none conflicts with another's default");
            }
        } finally {
            pool.shutdownNow();
        }
        String admin = AuthFixtures.admin().accessToken();
        ExecutorService staff = Executors.newFixedThreadPool(n);
        try {
            List<Callable<Integer>> roleChanges = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                List<String> roles = i % 2 == 0 ? List.of("customer") : List.of("customer", "support");
                roleChanges.add(() -> given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("roles", roles))
                        .put("/v1/admin/accounts/" + who.accountId() + "/roles").statusCode());
            }
            for (Future<Integer> f : staff.invokeAll(roleChanges)) {
                assertEquals(200, f.get(), "staff changing one account's roles at once: each change applies");
            }
        } finally {
            staff.shutdownNow();
        }
        Response book = given().auth().oauth2(AuthFixtures.signIn(who.email(), AuthFixtures.PASSWORD).accessToken()).get("/v1/me/addresses");
        List<Boolean> defaults = book.path("data.default_shipping");
        Set<String> lines = new HashSet<>(book.path("data.address.line1"));
        assertEquals(1, defaults.stream().filter(Boolean::booleanValue).count(), "exactly one default shipping address");
        assertTrue(lines.containsAll(List.of("0 Parallel Street", "7 Parallel Street")), lines.toString());
    }

    @jakarta.inject.Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    /**
     * A quality of 0 rules a media type out (RFC 9110 12.5.1): an Accept header that rules out JSON, however it is
     * worded, is 406 and the operation does not run; one that still leaves JSON some quality gets JSON.
     */
    @Test
    void anAcceptHeaderGivingJsonQualityZero_is406_aContentTypeRange_is415_andTheOperationDoesNotRun() {
        for (String accept : List.of("application/json;q=0", "*/*;q=0", "application/json; q=0.000, */*", "application/*;q=0",
                "text/html, application/json;Q=0")) {
            given().header("Accept", accept).get("/v1/products").then().statusCode(406).contentType("application/problem+json")
                    .body("type", equalTo("https://harmony.example/problems/not-acceptable"));
        }
        for (String accept : List.of("application/json;q=0.5, */*;q=0", "application/*;q=0, application/json;q=0.1", "*/*;q=0.001")) {
            given().header("Accept", accept).get("/v1/products").then().statusCode(200).contentType("application/json");
        }
        // a body labelled with a range of media types is not JSON either, whatever it holds
        for (String type : List.of("*/*", "application/*", "*/*; charset=utf-8")) {
            given().header("X-Forwarded-For", AuthFixtures.randomClient()).contentType(type)
                    .body("{\"topic\":\"website\",\"message\":\"hi\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .post("/v1/feedback").then().statusCode(415).body("type", equalTo("https://harmony.example/problems/unsupported-media-type"));
        }
        String message = "Refused by its Accept header " + java.util.UUID.randomUUID();
        given().header("X-Forwarded-For", AuthFixtures.randomClient()).header("Accept", "application/json;q=0").contentType(ContentType.JSON)
                .body(Map.of("topic", "website", "message", message)).post("/v1/feedback").then().statusCode(406);
        long filed = pool.preparedQuery("select count(*) from feedback where message = $1").execute(io.vertx.mutiny.sqlclient.Tuple.of(message))
                .await().atMost(java.time.Duration.ofSeconds(10)).iterator().next().getLong(0);
        assertEquals(0, filed, "the operation did not run");
    }
}
