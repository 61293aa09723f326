package com.harmony.affiliate;

import static io.restassured.RestAssured.given;

import com.harmony.AuthFixtures;
import com.harmony.AuthFixtures.SignedIn;
import com.harmony.cart.CartFixtures;
import com.harmony.order.OrderFixtures;
import com.harmony.platform.OutboxWorker;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Affiliates, referral visits and attributed orders made through the HTTP API the way clients make
 * them, plus the few database reads the tests need to see what was stored (P12).
 */
public final class AffiliateFixtures {

    public static final String PROBLEMS = "https://harmony.example/problems/";
    public static final String PROBLEM_JSON = "application/problem+json";
    public static final Duration WAIT = Duration.ofSeconds(30);
    public static final String AFFILIATE_COOKIE = "__Host-harmony_affiliate";
    public static final String REFERRAL_HEADER = "X-Affiliate-Referral";
    public static final String VISITOR_COOKIE = "__Host-harmony_visitor";
    public static final String VISITOR_HEADER = "X-Visitor-Token";
    public static final String BROWSER =
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";
    public static final String GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

    private AffiliateFixtures() {
    }

    /** An approved affiliate, signed in again after approval so its token carries role {@code affiliate}. */
    public record Affiliate(SignedIn who, String id, String code) {

        public String token() {
            return who.accessToken();
        }
    }

    // ------------------------------------------------------------------ applying and deciding

    public static String termsVersion() {
        return given().get("/v1/affiliate/terms").then().statusCode(200).extract().path("version");
    }

    /** A complete application of an adult (adult_confirmed) accepting the current terms. */
    public static Map<String, Object> application() {
        String site = UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> body = new HashMap<>();
        body.put("website", "https://" + site + ".example/blog");
        body.put("payout_email", "payouts-" + site + "@example.com");
        body.put("terms_version", termsVersion());
        body.put("adult_confirmed", true);
        return body;
    }

    public static Response apply(SignedIn who, Map<String, Object> body) {
        return given().auth().oauth2(who.accessToken()).contentType(ContentType.JSON).body(body).post("/v1/affiliate/application");
    }

    /** An admin decision: approve, reject or suspend. */
    public static Response decide(String adminToken, String affiliateId, String decision) {
        return decide(adminToken, affiliateId, decision, Map.of("note", "decided by a test"));
    }

    public static Response decide(String adminToken, String affiliateId, String decision, Map<String, ?> body) {
        return given().auth().oauth2(adminToken).contentType(ContentType.JSON).body(body)
                .post("/v1/admin/affiliates/" + affiliateId + "/" + decision);
    }

    /** A new customer who applied and was approved by the bootstrap admin, at the default rate. */
    public static Affiliate approvedAffiliate() {
        return approvedAffiliate(AuthFixtures.admin().accessToken(), null);
    }

    /** The same, decided by this admin (a test profile restarts the service, so it signs its own admin in). */
    public static Affiliate approvedAffiliate(String adminToken) {
        return approvedAffiliate(adminToken, null);
    }

    public static Affiliate approvedAffiliate(String adminToken, Integer rateBp) {
        SignedIn applicant = AuthFixtures.customer();
        String id = apply(applicant, application()).then().statusCode(201).extract().path("id");
        Map<String, Object> decision = new HashMap<>();
        decision.put("note", "welcome");
        if (rateBp != null) {
            decision.put("rate_bp", rateBp);
        }
        String code = decide(adminToken, id, "approve", decision).then().statusCode(200).extract().path("code");
        return new Affiliate(AuthFixtures.signIn(applicant.email(), AuthFixtures.PASSWORD), id, code);
    }

    /** A new campaign code of the affiliate; returns the code. */
    public static String campaign(Affiliate affiliate) {
        String code = "camp-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(affiliate.token()).contentType(ContentType.JSON).body(Map.of("code", code, "name", "Newsletter " + code))
                .post("/v1/affiliate/campaigns").then().statusCode(201);
        return code;
    }

    // ------------------------------------------------------------------ visitors and visits

    /** A client address from the documentation ranges, as the trusted proxy reports it. */
    public static String clientIp() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String[] nets = {"192.0.2.", "198.51.100.", "203.0.113."};
        return nets[r.nextInt(nets.length)] + (1 + r.nextInt(254));
    }

    /** Another client address than this one. */
    public static String otherClientIp(String than) {
        String ip;
        do {
            ip = clientIp();
        } while (ip.equals(than));
        return ip;
    }

    /** A new visitor's token (what an app keeps and a browser holds in harmony_visitor). */
    public static String newVisitorToken() {
        return given().header("X-Forwarded-For", com.harmony.AuthFixtures.randomClient()).post("/v1/visitors").then().statusCode(201).extract().path("token");
    }

    /** The visitor id is the token's part before the dot. */
    public static String visitorId(String token) {
        return token.substring(0, token.indexOf('.'));
    }

    /** A browser arriving from clientIp through a link with this code. */
    public static Response visit(String code, String clientIp) {
        return visit(code, clientIp, BROWSER, null, null);
    }

    /**
     * An arrival reported by the frontend: from clientIp with this user agent, holding a visitor token
     * (header) and an earlier referral (cookie) when not null.
     */
    public static Response visit(String code, String clientIp, String userAgent, String visitorToken, String heldReferral) {
        RequestSpecification request = arrival(clientIp, userAgent);
        if (visitorToken != null) {
            request = request.header(VISITOR_HEADER, visitorToken);
        }
        if (heldReferral != null) {
            request = request.cookie(AFFILIATE_COOKIE, heldReferral);
        }
        Map<String, Object> body = new HashMap<>();
        body.put("code", code);
        body.put("landing_page", "/products/canvas-apron");
        body.put("referrer", "https://blog.example/aprons");
        return request.contentType(ContentType.JSON).body(body).post("/v1/referrals");
    }

    /** A request from clientIp (through the trusted proxy) with this user agent. */
    public static RequestSpecification arrival(String clientIp, String userAgent) {
        return given().header("X-Forwarded-For", clientIp).header("User-Agent", userAgent);
    }

    // ------------------------------------------------------------------ orders

    /** A new purchasable variant (USD) created with this admin token. */
    @SuppressWarnings("unchecked")
    public static String variant(String adminToken, long price, int stock) {
        String slug = "p-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> variant = Map.of("sku", ("SKU-" + UUID.randomUUID().toString().substring(0, 8)).toUpperCase(), "title", "Apron",
                "options", Map.of("size", "M"), "price_minor", price, "currency", "USD", "stock_on_hand", stock);
        Map<String, Object> body = Map.of("slug", slug, "title", "Canvas apron", "description", "An apron", "variants", List.of(variant),
                "images", List.of("https://img.example/" + slug + ".jpg"));
        Map<String, Object> product = given().auth().oauth2(adminToken).contentType(ContentType.JSON).body(body)
                .post("/v1/admin/products").then().statusCode(201).extract().jsonPath().getMap("");
        return (String) ((List<Map<String, Object>>) product.get("variants")).get(0).get("id");
    }

    /**
     * A checkout of quantity units of the variant from clientIp, presenting these headers and cookies
     * (the referral, the visitor token). Answers the raw response.
     */
    public static Response order(SignedIn buyer, String variantId, int quantity, String clientIp, Map<String, String> headers,
            Map<String, String> cookies) {
        String cartId = CartFixtures.myCartWith(buyer, variantId, quantity);
        Map<String, Object> body = OrderFixtures.checkout(cartId);
        if (buyer.email() != null) {
            body.put("email", buyer.email());
        }
        RequestSpecification request = given().auth().oauth2(buyer.accessToken()).header("Idempotency-Key", UUID.randomUUID().toString())
                .header("X-Forwarded-For", clientIp);
        for (Map.Entry<String, String> h : headers.entrySet()) {
            request = request.header(h.getKey(), h.getValue());
        }
        for (Map.Entry<String, String> c : cookies.entrySet()) {
            request = request.cookie(c.getKey(), c.getValue());
        }
        return request.contentType(ContentType.JSON).body(body).post("/v1/me/orders");
    }

    /** The same, which must succeed: the paid order's document. */
    public static Response paidOrder(SignedIn buyer, String variantId, int quantity, String clientIp, Map<String, String> headers,
            Map<String, String> cookies) {
        Response r = order(buyer, variantId, quantity, clientIp, headers, cookies);
        r.then().statusCode(201);
        return r;
    }

    public static Map<String, String> referralCookie(String referral) {
        return Map.of(AFFILIATE_COOKIE, referral);
    }

    public static Map<String, String> referralHeader(String referral) {
        return Map.of(REFERRAL_HEADER, referral);
    }

    public static Map<String, String> visitorHeader(String token) {
        return Map.of(VISITOR_HEADER, token);
    }

    // ------------------------------------------------------------------ what the affiliate reads

    /** A period around today wide enough for any time zone the database runs in. */
    public static Map<String, String> aroundToday() {
        LocalDate today = LocalDate.now();
        return Map.of("from", today.minusDays(2).toString(), "to", today.plusDays(2).toString());
    }

    public static Response dashboard(Affiliate affiliate) {
        return given().auth().oauth2(affiliate.token()).queryParams(aroundToday()).get("/v1/affiliate/dashboard")
                .then().statusCode(200).extract().response();
    }

    public static Response commissions(Affiliate affiliate) {
        return given().auth().oauth2(affiliate.token()).queryParam("limit", 100).get("/v1/affiliate/commissions")
                .then().statusCode(200).extract().response();
    }

    // ------------------------------------------------------------------ workers and the database

    /** Publishes every due outbox event (the test profile never runs the worker by itself); commissions follow. */
    public static void drain(OutboxWorker outbox) {
        for (int round = 0; round < 10_000; round++) {
            if (outbox.publishDue().await().atMost(WAIT) == 0) {
                return;
            }
        }
    }

    /** The first row of a query, or null. */
    public static Row row(Pool pool, String sql, Object... params) {
        RowSet<Row> rows = pool.preparedQuery(sql).execute(Tuple.from(params)).await().atMost(WAIT);
        Iterator<Row> it = rows.iterator();
        return it.hasNext() ? it.next() : null;
    }

    public static long count(Pool pool, String sql, Object... params) {
        return row(pool, sql, params).getLong(0);
    }

    public static int update(Pool pool, String sql, Object... params) {
        return pool.preparedQuery(sql).execute(Tuple.from(params)).await().atMost(WAIT).rowCount();
    }

    public static UUID uuid(String id) {
        return UUID.fromString(id);
    }
}
