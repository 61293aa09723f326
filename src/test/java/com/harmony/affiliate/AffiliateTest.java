package com.harmony.affiliate;

import static com.harmony.affiliate.AffiliateFixtures.AFFILIATE_COOKIE;
import static com.harmony.affiliate.AffiliateFixtures.BROWSER;
import static com.harmony.affiliate.AffiliateFixtures.GOOGLEBOT;
import static com.harmony.affiliate.AffiliateFixtures.PROBLEMS;
import static com.harmony.affiliate.AffiliateFixtures.PROBLEM_JSON;
import static com.harmony.affiliate.AffiliateFixtures.WAIT;
import static com.harmony.affiliate.AffiliateFixtures.application;
import static com.harmony.affiliate.AffiliateFixtures.apply;
import static com.harmony.affiliate.AffiliateFixtures.approvedAffiliate;
import static com.harmony.affiliate.AffiliateFixtures.aroundToday;
import static com.harmony.affiliate.AffiliateFixtures.campaign;
import static com.harmony.affiliate.AffiliateFixtures.clientIp;
import static com.harmony.affiliate.AffiliateFixtures.commissions;
import static com.harmony.affiliate.AffiliateFixtures.count;
import static com.harmony.affiliate.AffiliateFixtures.dashboard;
import static com.harmony.affiliate.AffiliateFixtures.decide;
import static com.harmony.affiliate.AffiliateFixtures.newVisitorToken;
import static com.harmony.affiliate.AffiliateFixtures.otherClientIp;
import static com.harmony.affiliate.AffiliateFixtures.paidOrder;
import static com.harmony.affiliate.AffiliateFixtures.referralCookie;
import static com.harmony.affiliate.AffiliateFixtures.referralHeader;
import static com.harmony.affiliate.AffiliateFixtures.termsVersion;
import static com.harmony.affiliate.AffiliateFixtures.update;
import static com.harmony.affiliate.AffiliateFixtures.uuid;
import static com.harmony.affiliate.AffiliateFixtures.visit;
import static com.harmony.affiliate.AffiliateFixtures.visitorHeader;
import static com.harmony.affiliate.AffiliateFixtures.visitorId;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import com.harmony.AuthFixtures.SignedIn;
import com.harmony.affiliate.AffiliateFixtures.Affiliate;
import com.harmony.cart.CartFixtures;
import com.harmony.platform.Idempotency;
import com.harmony.platform.OutboxWorker;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.http.Cookie;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.Test;

/**
 * Affiliate tracking through HTTP against PostgreSQL (P11, P12, P31): adult applications and staff
 * decisions, referral visits and the first-party affiliate cookie, throttling and bots, attribution
 * by last click inside the window, commissions that follow the order's own events exactly once,
 * payout runs, and dashboards that show counts and amounts but never a visitor or a buyer.
 */
@QuarkusTest
class AffiliateTest {

    private static final String CODE_PATTERN = "^[23456789ABCDEFGHJKMNPQRSTVWXYZ]{8}$";
    private static final long THIRTY_DAYS = Duration.ofDays(30).toSeconds();

    @Inject
    Pool pool;

    @Inject
    OutboxWorker outbox;

    @Inject
    CommissionLedger ledger;

    @Inject
    AffiliatePersonalData retention;

    // =============================================================================================
    // Applying and approval (P31: adults only)

    /** The affiliate role granted by hand, with no approved application behind it, shows nothing: a 404 the spec declares. */
    @Test
    void theAffiliateRoleWithoutAnApprovedApplication_findsNoDashboardOrCommissions() {
        SignedIn someone = AuthFixtures.customer();
        given().auth().oauth2(AuthFixtures.admin().accessToken()).contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("roles", List.of("customer", "affiliate"))).put("/v1/admin/accounts/" + someone.accountId() + "/roles")
                .then().statusCode(200);
        SignedIn again = AuthFixtures.signIn(someone.email(), AuthFixtures.PASSWORD);
        assertProblem(given().auth().oauth2(again.accessToken()).get("/v1/affiliate/dashboard"), 404, "not-found");
        assertProblem(given().auth().oauth2(again.accessToken()).get("/v1/affiliate/commissions"), 404, "not-found");
    }

    @Test
    void P31_underAgeApplicantsAreRefused_andNothingIsStored() {
        SignedIn teen = AuthFixtures.customer();
        Map<String, Object> seventeen = application();
        seventeen.remove("adult_confirmed");
        seventeen.put("birth_date", LocalDate.now().minusYears(17).toString());
        Map<String, Object> oneDayShort = application();
        oneDayShort.remove("adult_confirmed");
        oneDayShort.put("birth_date", LocalDate.now().minusYears(18).plusDays(1).toString());
        Map<String, Object> notConfirmed = application();
        notConfirmed.put("adult_confirmed", false);
        Map<String, Object> contradicting = application();
        contradicting.put("birth_date", LocalDate.now().minusYears(16).toString());

        for (Map<String, Object> body : List.of(seventeen, oneDayShort, notConfirmed, contradicting)) {
            assertProblem(apply(teen, body), 422, "under-age");
        }

        assertProblem(given().auth().oauth2(teen.accessToken()).get("/v1/affiliate"), 404, "not-found");
        assertEquals(0, count(pool, "select count(*) from affiliate where account_id = $1", uuid(teen.accountId())),
                "nothing of an under-age applicant is stored");
    }

    @Test
    void P31_anApplicantWhoTurns18TodayMayApply() {
        SignedIn adult = AuthFixtures.customer();
        Map<String, Object> body = application();
        body.remove("adult_confirmed");
        body.put("birth_date", LocalDate.now().minusYears(18).toString());
        apply(adult, body).then().statusCode(201)
                .body("status", equalTo("pending"))
                .body("account_id", equalTo(adult.accountId()));
    }

    @Test
    void anApplicationMustAcceptTheCurrentTermsVersion() {
        SignedIn ada = AuthFixtures.customer();
        String current = termsVersion();
        assertFalse(current.isBlank());
        Map<String, Object> old = application();
        old.put("terms_version", "1999-01");
        assertProblem(apply(ada, old), 400, "validation-failed");
        apply(ada, old).then().body("errors.field", hasItem("terms_version"));
        assertProblem(given().auth().oauth2(ada.accessToken()).get("/v1/affiliate"), 404, "not-found");

        apply(ada, application()).then().statusCode(201).body("terms_version", equalTo(current));
    }

    @Test
    void applyingTwiceIsAConflict_andKeepsTheFirstApplication() {
        SignedIn ada = AuthFixtures.customer();
        Map<String, Object> first = application();
        String id = apply(ada, first).then().statusCode(201)
                .header("Location", containsString("/v1/affiliate"))
                .body("status", equalTo("pending"))
                .body("code", nullValue())
                .body("rate_bp", equalTo(1000))
                .body("website", equalTo(first.get("website")))
                .body("payout_email", equalTo(first.get("payout_email")))
                .extract().path("id");

        assertProblem(apply(ada, application()), 409, "affiliate-already-applied");
        given().auth().oauth2(ada.accessToken()).get("/v1/affiliate").then().statusCode(200)
                .body("id", equalTo(id))
                .body("website", equalTo(first.get("website")));
        assertEquals(1, count(pool, "select count(*) from affiliate where account_id = $1", uuid(ada.accountId())));
    }

    @Test
    void onlyAnAdminApproves_andApprovalGivesACodeAndTheAffiliateRoleAtTheNextSignIn() {
        SignedIn ada = AuthFixtures.customer();
        String id = apply(ada, application()).then().statusCode(201).extract().path("id");

        // before approval the affiliate surface is closed
        assertProblem(given().auth().oauth2(ada.accessToken()).get("/v1/affiliate/dashboard"), 403, "forbidden");
        assertProblem(given().auth().oauth2(ada.accessToken()).get("/v1/affiliate/commissions"), 403, "forbidden");
        assertProblem(given().get("/v1/affiliate/dashboard"), 401, "unauthorized");

        // nobody but an admin decides
        assertProblem(decide(ada.accessToken(), id, "approve"), 403, "forbidden");
        assertProblem(decide(AuthFixtures.customer().accessToken(), id, "approve"), 403, "forbidden");
        assertProblem(decide(AuthFixtures.support().accessToken(), id, "approve"), 403, "forbidden");
        assertProblem(given().contentType(ContentType.JSON).body(Map.of()).post("/v1/admin/affiliates/" + id + "/approve"), 401,
                "unauthorized");
        assertProblem(given().auth().oauth2(ada.accessToken()).get("/v1/admin/affiliates/" + id), 403, "forbidden");
        given().auth().oauth2(ada.accessToken()).get("/v1/affiliate").then().statusCode(200).body("status", equalTo("pending"));

        String code = decide(admin(), id, "approve").then().statusCode(200)
                .body("id", equalTo(id))
                .body("status", equalTo("approved"))
                .body("code", matchesPattern(CODE_PATTERN))
                .body("decided_at", notNullValue())
                .extract().path("code");

        // roles travel in the access token: the old one still has none
        assertProblem(given().auth().oauth2(ada.accessToken()).get("/v1/affiliate/dashboard"), 403, "forbidden");

        Response again = given().contentType(ContentType.JSON).body(Map.of("email", ada.email(), "password", AuthFixtures.PASSWORD))
                .post("/v1/auth/sign-in");
        again.then().statusCode(200).body("roles", hasItem("affiliate")).body("roles", hasItem("customer"));
        String token = again.path("access_token");
        given().auth().oauth2(token).get("/v1/affiliate/dashboard").then().statusCode(200).body("visits", equalTo(0));
        given().auth().oauth2(token).get("/v1/affiliate/commissions").then().statusCode(200).body("data", empty());
        given().auth().oauth2(token).get("/v1/affiliate").then().statusCode(200)
                .body("status", equalTo("approved")).body("code", equalTo(code));
        given().auth().oauth2(admin()).get("/v1/admin/affiliates/" + id).then().statusCode(200)
                .body("code", equalTo(code)).body("account_id", equalTo(ada.accountId()));
        given().auth().oauth2(admin()).queryParam("status", "approved").queryParam("limit", 100).get("/v1/admin/affiliates")
                .then().statusCode(200).body("data.id", hasItem(id));

        // approving twice is not a decision
        assertProblem(decide(admin(), id, "approve"), 409, "illegal-affiliate-decision");
    }

    @Test
    void aRejectedApplicantNeverBecomesAnAffiliate() {
        SignedIn ada = AuthFixtures.customer();
        String id = apply(ada, application()).then().statusCode(201).extract().path("id");
        decide(admin(), id, "reject", Map.of("note", "no website content")).then().statusCode(200)
                .body("status", equalTo("rejected"))
                .body("code", nullValue())
                .body("decision_note", equalTo("no website content"));
        assertProblem(decide(admin(), id, "approve"), 409, "illegal-affiliate-decision");
        assertProblem(decide(admin(), id, "suspend"), 409, "illegal-affiliate-decision");
        assertProblem(apply(ada, application()), 409, "affiliate-already-applied");

        String token = AuthFixtures.signIn(ada.email(), AuthFixtures.PASSWORD).accessToken();
        assertProblem(given().auth().oauth2(token).get("/v1/affiliate/dashboard"), 403, "forbidden");
        given().auth().oauth2(token).get("/v1/affiliate").then().statusCode(200).body("status", equalTo("rejected"));
    }

    // =============================================================================================
    // Referral visits and the affiliate cookie (P11, P12)

    @Test
    void P12_aReferralVisitStoresIpUserAgentLandingPageAndReferrer_andSetsThe30DayAffiliateCookie() {
        Affiliate ada = approvedAffiliate();
        String ip = clientIp();
        String userAgent = BROWSER + " probe-" + UUID.randomUUID();
        Response r = AffiliateFixtures.arrival(ip, userAgent).contentType(ContentType.JSON)
                .body(Map.of("code", ada.code(), "landing_page", "/products/canvas-apron?colour=sand",
                        "referrer", "https://ada.example/blog/aprons"))
                .post("/v1/referrals");
        r.then().statusCode(201)
                .contentType(ContentType.JSON)
                .body("affiliate_id", equalTo(ada.id()))
                .body("visit_id", notNullValue())
                .body("attributable_until", notNullValue());
        String visitId = r.path("visit_id");
        String referral = r.path("referral");
        assertEquals(ada.id() + "." + visitId, referral, "the cookie carries the affiliate id and the visit id");

        Cookie cookie = r.getDetailedCookie(AFFILIATE_COOKIE);
        assertNotNull(cookie, "browsers get the harmony_affiliate cookie");
        assertEquals(referral, cookie.getValue(), "apps get the same value in the body");
        assertTrue(cookie.isHttpOnly());
        assertEquals("/", cookie.getPath());
        assertTrue(cookie.getMaxAge() > THIRTY_DAYS - 60 && cookie.getMaxAge() <= THIRTY_DAYS,
                "the cookie lives for the 30-day window, not " + cookie.getMaxAge() + " s");

        Row v = visitRow(visitId);
        assertEquals(ada.id(), v.getString("affiliate_id"));
        assertEquals(ip, v.getString("ip"), "the client address the trusted proxy reported (P12)");
        assertEquals(userAgent, v.getString("user_agent"));
        assertEquals("/products/canvas-apron?colour=sand", v.getString("landing_page"));
        assertEquals("https://ada.example/blog/aprons", v.getString("referrer"));
        assertFalse(v.getBoolean("bot"));
        assertNull(v.getString("campaign_id"));
        assertNull(v.getString("visitor_id"));
        assertNotNull(v.getString("created_at"));
        assertEquals(1, count(pool, "select count(*) from referral_visit where id = $1 "
                + "and attributable_until between now() + interval '29 days' and now() + interval '30 days 1 minute'", uuid(visitId)),
                "it can attribute an order for 30 days");

        // codes are not case-sensitive in links
        visit(ada.code().toLowerCase(Locale.ROOT), clientIp()).then().statusCode(201).body("affiliate_id", equalTo(ada.id()));
    }

    @Test
    void P11_aVisitWithAVisitorTokenIsMappedToTheVisitor_andThroughItToTheAccountThatSignsIn() {
        Affiliate ada = approvedAffiliate();
        String token = newVisitorToken();
        String byHeader = visit(ada.code(), clientIp(), BROWSER, token, null).then().statusCode(201).extract().path("visit_id");
        String byCookie = AffiliateFixtures.arrival(clientIp(), BROWSER).cookie(AffiliateFixtures.VISITOR_COOKIE, token)
                .contentType(ContentType.JSON).body(Map.of("code", ada.code())).post("/v1/referrals")
                .then().statusCode(201).extract().path("visit_id");
        assertEquals(visitorId(token), visitRow(byHeader).getString("visitor_id"));
        assertEquals(visitorId(token), visitRow(byCookie).getString("visitor_id"));

        // a token that proves nothing records the visit without a visitor
        String forged = visit(ada.code(), clientIp(), BROWSER, visitorId(token) + ".forged", null).then().statusCode(201)
                .extract().path("visit_id");
        assertNull(visitRow(forged).getString("visitor_id"), "an id without its secret maps nothing");

        String email = AuthFixtures.uniqueEmail();
        AuthFixtures.submitRegistration(email);
        String accountId = given().contentType(ContentType.JSON).header(AffiliateFixtures.VISITOR_HEADER, token)
                .body(Map.of("email", email, "password", AuthFixtures.PASSWORD)).post("/v1/auth/sign-in")
                .then().statusCode(200).extract().path("account_id");
        assertEquals(2, count(pool, "select count(*) from referral_visit v join visitor s on s.id = v.visitor_id where s.account_id = $1",
                uuid(accountId)), "the visits through the link are mapped to the user who signed in (P11)");
    }

    @Test
    void unknownCodesAnswer404_malformedCodes400_withoutACookie_andStoreNothing() {
        long before = count(pool, "select count(*) from referral_visit");
        String ip = clientIp();

        Response unknown = visit("ZZZZ" + UUID.randomUUID().toString().substring(0, 6), ip);
        assertProblem(unknown, 404, "unknown-referral-code");
        assertNoAffiliateCookie(unknown);
        unknown.then().body("detail", not(emptyOrNullString()));

        for (String malformed : List.of("a b", "x", "ab", "../etc", "<script>", "a".repeat(33), "code;drop", " ")) {
            Response r = visit(malformed, ip);
            assertProblem(r, 400, "validation-failed");
            assertNoAffiliateCookie(r);
        }
        assertEquals(before, count(pool, "select count(*) from referral_visit"), "no visit was recorded");
    }

    @Test
    void aSuspendedAffiliatesLinksStopWorking_andReinstatingRestoresThem() {
        Affiliate ada = approvedAffiliate();
        visit(ada.code(), clientIp()).then().statusCode(201);
        decide(admin(), ada.id(), "suspend").then().statusCode(200).body("status", equalTo("suspended"));
        assertProblem(decide(admin(), ada.id(), "suspend"), 409, "illegal-affiliate-decision");
        long before = visitsOf(ada);

        Response refused = visit(ada.code(), clientIp());
        assertProblem(refused, 409, "affiliate-inactive");
        assertNoAffiliateCookie(refused);
        Response link = given().redirects().follow(false).header("X-Forwarded-For", clientIp()).get("/r/" + ada.code());
        assertProblem(link, 409, "affiliate-inactive");
        assertNoAffiliateCookie(link);
        assertEquals(before, visitsOf(ada), "a suspended affiliate's links record nothing");

        // a suspended affiliate still reads the dashboard
        given().auth().oauth2(ada.token()).queryParams(aroundToday()).get("/v1/affiliate/dashboard").then().statusCode(200)
                .body("visits", equalTo(1));

        decide(admin(), ada.id(), "approve").then().statusCode(200).body("status", equalTo("approved")).body("code", equalTo(ada.code()));
        visit(ada.code(), clientIp()).then().statusCode(201);
        assertEquals(before + 1, visitsOf(ada));
    }

    @Test
    void visitsAreThrottledPerClientAddressAndCode() {
        Affiliate ada = approvedAffiliate();
        String campaign = campaign(ada);
        String ip = "203.0.113." + (1 + (int) (Math.random() * 250));
        for (int i = 0; i < 30; i++) {
            visit(ada.code(), ip).then().statusCode(201);
        }
        Response throttled = visit(ada.code(), ip);
        assertProblem(throttled, 429, "rate-limited");
        throttled.then().header("Retry-After", notNullValue());
        assertNoAffiliateCookie(throttled);
        assertEquals(30, visitsOf(ada), "the 31st visit was not recorded");

        visit(ada.code(), "198.51.100." + (1 + (int) (Math.random() * 250))).then().statusCode(201);
        visit(campaign, ip).then().statusCode(201);
        assertEquals(32, visitsOf(ada), "another address, or another code, is counted on its own");
    }

    @Test
    void botVisitsAreRecordedButNeitherCountedNorAttributed() {
        Affiliate ada = approvedAffiliate();
        String botIp = clientIp();
        Response bot = visit(ada.code(), botIp, GOOGLEBOT, null, null);
        bot.then().statusCode(201);
        Row row = visitRow(bot.path("visit_id"));
        assertTrue(row.getBoolean("bot"), "known crawlers are marked");
        assertEquals(GOOGLEBOT, row.getString("user_agent"));
        assertEquals(botIp, row.getString("ip"));
        visit(ada.code(), clientIp(), "Googlebot/2.1", null, null).then().statusCode(201);
        visit(ada.code(), clientIp(), BROWSER, null, null).then().statusCode(201);

        assertEquals(3, visitsOf(ada), "bots are recorded");
        dashboard(ada).then().body("visits", equalTo(1)).body("per_day.visits.sum()", equalTo(1));

        // a bot's referral never attributes an order
        String orderId = buyThrough(referralCookie(bot.path("referral")), 1000, 1).path("id");
        assertNull(attribution(orderId));
    }

    @Test
    void campaignCodesWorkAsReferralCodes_andShowPerCampaign() {
        Affiliate ada = approvedAffiliate();
        String campaign = "Summer-" + UUID.randomUUID().toString().substring(0, 6);
        given().auth().oauth2(ada.token()).contentType(ContentType.JSON).body(Map.of("code", campaign, "name", "Summer newsletter"))
                .post("/v1/affiliate/campaigns").then().statusCode(201)
                .body("campaigns.code", hasItem(campaign))
                .body("campaigns.name", hasItem("Summer newsletter"));
        assertProblem(given().auth().oauth2(ada.token()).contentType(ContentType.JSON)
                .body(Map.of("code", campaign.toLowerCase(Locale.ROOT), "name", "Again")).post("/v1/affiliate/campaigns"), 409,
                "campaign-code-taken");
        assertProblem(given().auth().oauth2(ada.token()).contentType(ContentType.JSON)
                .body(Map.of("code", ada.code(), "name", "My own code")).post("/v1/affiliate/campaigns"), 409, "campaign-code-taken");
        Affiliate bob = approvedAffiliate();
        assertProblem(given().auth().oauth2(bob.token()).contentType(ContentType.JSON)
                .body(Map.of("code", campaign, "name", "Taken")).post("/v1/affiliate/campaigns"), 409, "campaign-code-taken");
        assertProblem(given().auth().oauth2(bob.token()).contentType(ContentType.JSON)
                .body(Map.of("code", ada.code(), "name", "Someone's code")).post("/v1/affiliate/campaigns"), 409, "campaign-code-taken");

        String campaignVisit = visit(campaign.toUpperCase(Locale.ROOT), clientIp()).then().statusCode(201)
                .body("affiliate_id", equalTo(ada.id())).extract().path("visit_id");
        assertEquals(1, count(pool, "select count(*) from referral_visit v join affiliate_campaign c on c.id = v.campaign_id "
                + "where v.id = $1 and c.code = $2", uuid(campaignVisit), campaign));
        visit(ada.code(), clientIp()).then().statusCode(201);
        visit(ada.code(), clientIp()).then().statusCode(201);

        Response d = dashboard(ada);
        assertEquals(3, num(d, "visits"));
        Map<String, Object> summer = perCampaign(d, campaign);
        Map<String, Object> own = perCampaign(d, null);
        assertNotNull(summer, "the campaign has its own figures: " + d.asString());
        assertNotNull(own, "the affiliate's own code has its figures: " + d.asString());
        assertEquals(1, ((Number) summer.get("visits")).longValue());
        assertEquals(2, ((Number) own.get("visits")).longValue());
    }

    @Test
    void aPlainLinkRecordsTheVisitAndRedirectsToTheStorefrontWithTheCookie() {
        Affiliate ada = approvedAffiliate();
        String ip = clientIp();
        Response r = given().redirects().follow(false).header("X-Forwarded-For", ip).header("User-Agent", BROWSER)
                .header("Referer", "https://ada.example/post").queryParam("to", "/products/x").get("/r/" + ada.code());
        r.then().statusCode(302).header("Location", equalTo("http://localhost:3000/products/x"));
        Cookie cookie = r.getDetailedCookie(AFFILIATE_COOKIE);
        assertNotNull(cookie, "the link sets the affiliate cookie");
        assertTrue(cookie.isHttpOnly());
        assertTrue(cookie.getValue().startsWith(ada.id() + "."));
        Row v = visitRow(cookie.getValue().substring(ada.id().length() + 1));
        assertEquals(ip, v.getString("ip"));
        assertEquals("/products/x", v.getString("landing_page"));
        assertEquals("https://ada.example/post", v.getString("referrer"));

        given().redirects().follow(false).header("X-Forwarded-For", clientIp()).get("/r/" + ada.code()).then().statusCode(302)
                .header("Location", equalTo("http://localhost:3000/"));
        given().redirects().follow(false).header("X-Forwarded-For", clientIp()).queryParam("to", "http://localhost:5173/cart")
                .get("/r/" + ada.code()).then().statusCode(302).header("Location", equalTo("http://localhost:5173/cart"));
        // a storefront path in another script arrives percent-encoded, not as ISO-8859-1 bytes or "?"
        given().redirects().follow(false).header("X-Forwarded-For", clientIp()).queryParam("to", "/produits/été-\ud83d\ude00")
                .get("/r/" + ada.code()).then().statusCode(302).header("Location", equalTo("http://localhost:3000/produits/%C3%A9t%C3%A9-%F0%9F%98%80"));
        assertEquals(4, visitsOf(ada));

        Response unknown = given().redirects().follow(false).header("X-Forwarded-For", clientIp()).queryParam("to", "/products/x")
                .get("/r/ZZZZ" + UUID.randomUUID().toString().substring(0, 6));
        assertProblem(unknown, 404, "unknown-referral-code");
        assertNoAffiliateCookie(unknown);
        Response malformed = given().redirects().follow(false).header("X-Forwarded-For", clientIp()).get("/r/{code}", "a b");
        assertProblem(malformed, 400, "validation-failed");
        assertNoAffiliateCookie(malformed);
    }

    @Test
    void aPlainLinkNeverRedirectsOffTheStorefront_andRecordsNothing() {
        Affiliate ada = approvedAffiliate();
        long before = visitsOf(ada);
        List<String> targets = List.of("https://evil.example/", "//evil.example", "//evil.example/products/x", "///evil.example",
                "https://localhost:3000@evil.example/", "http://localhost:3000.evil.example/", "/\\evil.example", "\\\\evil.example",
                "javascript:alert(1)", "http:/evil.example", "ftp://localhost:3000/", "data:text/html,hi");
        for (String to : targets) {
            Response r = given().redirects().follow(false).header("X-Forwarded-For", clientIp()).queryParam("to", to)
                    .get("/r/" + ada.code());
            assertProblem(r, 400, "redirect-not-allowed");
            r.then().header("Location", nullValue());
            assertNoAffiliateCookie(r);
        }
        assertEquals(before, visitsOf(ada), "a refused target records no visit");
    }

    @Test
    void P12_aVisitsIpAndUserAgentAreRemovedOnceItCanNoLongerAttributeAndRetentionPassed_notEncoded() {
        Affiliate ada = approvedAffiliate();
        String oldIp = clientIp();
        String oldAgent = BROWSER + " old-" + UUID.randomUUID();
        String old = visit(ada.code(), oldIp, oldAgent, null, null).then().statusCode(201).extract().path("visit_id");
        String lately = visit(ada.code(), clientIp(), BROWSER + " lately", null, null).then().statusCode(201).extract().path("visit_id");
        String liveIp = clientIp();
        String liveAgent = BROWSER + " live-" + UUID.randomUUID();
        String live = visit(ada.code(), liveIp, liveAgent, null, null).then().statusCode(201).extract().path("visit_id");
        update(pool, "update referral_visit set attributable_until = now() - interval '400 days' where id = $1", uuid(old));
        update(pool, "update referral_visit set attributable_until = now() - interval '1 day' where id = $1", uuid(lately));

        long purged = purgeNetworkData("referral_visit");
        assertTrue(purged >= 1);

        Row gone = visitRow(old);
        assertNull(gone.getString("ip"), "the IP address is removed");
        assertNull(gone.getString("user_agent"), "the user agent is removed");
        assertNotNull(gone.getString("network_data_removed_at"));
        assertEquals(ada.id(), gone.getString("affiliate_id"), "the visit itself still counts for the affiliate");
        String whole = row("select row_to_json(v)::text as doc from referral_visit v where id = $1", uuid(old)).getString("doc");
        String agentBase64 = Base64.getEncoder().encodeToString(oldAgent.getBytes(StandardCharsets.UTF_8));
        for (String trace : List.of(oldIp, oldAgent, agentBase64, agentBase64.substring(0, 24),
                Base64.getEncoder().encodeToString(oldIp.getBytes(StandardCharsets.UTF_8)))) {
            assertFalse(whole.contains(trace), "nothing of the removed values is kept in any form: " + whole);
        }

        assertNull(gone.getString("referrer"), "free-text URLs go with the address");
        assertNull(gone.getString("landing_page"));

        Row kept = visitRow(lately);
        assertNotNull(kept.getString("ip"), "past its window but inside the retention period, the address is kept");
        Row still = visitRow(live);
        assertEquals(liveIp, still.getString("ip"), "a visit inside its window keeps its address");
        assertEquals(liveAgent, still.getString("user_agent"));
        assertNull(still.getString("network_data_removed_at"));
    }

    @Test
    void P12_aBuyersAddressIsRemovedOnceNoReturnCanReverseTheCommissionAndRetentionPassed() {
        Affiliate ada = approvedAffiliate();
        String referral = visit(ada.code(), clientIp()).then().statusCode(201).extract().path("referral");
        String recent = buyThrough(referralCookie(referral), 900, 1).path("id");
        String old = buyThrough(referralCookie(referral), 900, 1).path("id");
        update(pool, "update affiliate_order set created_at = now() - interval '400 days' where order_id = $1", uuid(old));
        purgeNetworkData("affiliate_order");
        assertNull(attribution(old).getString("buyer_ip"), "the old order's buyer address is gone");
        assertEquals(ada.id(), attribution(old).getString("affiliate_id"), "the attribution itself stays");
        assertNotNull(attribution(recent).getString("buyer_ip"), "a recent order keeps it (P12)");
    }

    // =============================================================================================
    // Attribution (P12: the order is stored with the buyer's IP address)

    @Test
    void P12_anOrderInsideTheWindowIsAttributed_andStoredWithTheBuyersIp() {
        Affiliate ada = approvedAffiliate();
        String visitorIp = clientIp();
        Response v = visit(ada.code(), visitorIp);
        SignedIn buyer = AuthFixtures.customer();
        String buyerIp = otherClientIp(visitorIp);

        String orderId = paidOrder(buyer, CartFixtures.variant(1000, 10), 1, buyerIp, Map.of(), referralCookie(v.path("referral")))
                .path("id");

        Row a = attribution(orderId);
        assertNotNull(a, "the order is attributed");
        assertEquals(ada.id(), a.getString("affiliate_id"));
        String visitId = v.path("visit_id");
        assertEquals(visitId, a.getString("visit_id"));
        assertEquals(buyer.accountId(), a.getString("buyer_account_id"));
        assertEquals(buyerIp, a.getString("buyer_ip"), "the order is stored with the buyer's IP address");
        assertEquals("attributed", a.getString("outcome"));
    }

    @Test
    void appsAttributeThroughTheReferralHeader() {
        Affiliate ada = approvedAffiliate();
        Response v = visit(ada.code(), clientIp(), "HarmonyApp/2.3 (iOS 17.5)", null, null);
        String buyerIp = clientIp();
        String orderId = buyThrough(referralHeader(v.path("referral")), buyerIp, 1000, 1).path("id");
        Row a = attribution(orderId);
        assertNotNull(a);
        assertEquals(ada.id(), a.getString("affiliate_id"));
        assertEquals(buyerIp, a.getString("buyer_ip"));
        assertEquals("attributed", a.getString("outcome"));
    }

    @Test
    void lastClick_theVisitorsLatestVisitWinsTheOrder() {
        Affiliate ada = approvedAffiliate();
        Affiliate bob = approvedAffiliate();
        String token = newVisitorToken();
        String ip = clientIp();
        Response adaVisit = visit(ada.code(), ip, BROWSER, token, null);
        adaVisit.then().statusCode(201);
        String bobVisit = visit(bob.code(), ip, BROWSER, token, null).then().statusCode(201).extract().path("visit_id");

        // the app still holds Ada's older referral, but the visitor's latest click was Bob's
        Map<String, String> headers = new HashMap<>(visitorHeader(token));
        headers.putAll(referralHeader(adaVisit.path("referral")));
        String orderId = buyThrough(headers, clientIp(), 1500, 2).path("id");
        Row a = attribution(orderId);
        assertNotNull(a);
        assertEquals(bob.id(), a.getString("affiliate_id"));
        assertEquals(bobVisit, a.getString("visit_id"));

        drain();
        assertEquals(300, amount(onlyLine(bob)));
        commissions(ada).then().body("data", empty());
    }

    @Test
    void lastClick_aNewVisitReplacesTheCookie_andTheLatestCookieWins() {
        Affiliate ada = approvedAffiliate();
        Affiliate bob = approvedAffiliate();
        String ip = clientIp();
        String adaReferral = visit(ada.code(), ip).then().statusCode(201).extract().path("referral");
        Response bobVisit = visit(bob.code(), ip, BROWSER, null, adaReferral);
        bobVisit.then().statusCode(201).body("affiliate_id", equalTo(bob.id()));
        String bobReferral = bobVisit.path("referral");
        assertNotEquals(adaReferral, bobReferral);
        assertEquals(bobReferral, bobVisit.getDetailedCookie(AFFILIATE_COOKIE).getValue(), "the browser now holds Bob's referral");

        String orderId = buyThrough(referralCookie(bobReferral), 1000, 1).path("id");
        assertEquals(bob.id(), attribution(orderId).getString("affiliate_id"));
    }

    @Test
    void anOrderOutsideTheWindowIsNotAttributed() {
        Affiliate ada = approvedAffiliate();
        String token = newVisitorToken();
        Response v = visit(ada.code(), clientIp(), BROWSER, token, null);
        update(pool, "update referral_visit set attributable_until = now() - interval '400 days' where id = $1", uuid(v.path("visit_id")));

        Map<String, String> headers = new HashMap<>(visitorHeader(token));
        headers.putAll(referralHeader(v.path("referral")));
        String orderId = buyThrough(headers, clientIp(), 1000, 1).path("id");
        assertNull(attribution(orderId), "an expired referral attributes nothing");
        drain();
        commissions(ada).then().body("data", empty());
        dashboard(ada).then().body("conversions", equalTo(0));
    }

    @Test
    void anOrderWithAForgedOrForeignReferralIsPlacedUnattributed() {
        Affiliate ada = approvedAffiliate();
        Affiliate bob = approvedAffiliate();
        String adaVisit = visit(ada.code(), clientIp()).then().statusCode(201).extract().path("visit_id");
        List<String> forged = List.of("garbage", bob.id() + "." + adaVisit, ada.id() + "." + UUID.randomUUID(), ada.id(),
                "x".repeat(500));
        for (String referral : forged) {
            String orderId = buyThrough(referralCookie(referral), 800, 1).path("id");
            assertNull(attribution(orderId), "attributed through " + referral);
        }
    }

    @Test
    void selfReferral_isRecordedWithItsReason_andEarnsNothing() {
        Affiliate ada = approvedAffiliate();
        String referral = visit(ada.code(), clientIp()).then().statusCode(201).extract().path("referral");
        String orderId = paidOrder(ada.who(), CartFixtures.variant(2000, 10), 1, clientIp(), Map.of(), referralCookie(referral)).path("id");

        Row a = attribution(orderId);
        assertNotNull(a, "the order is recorded with the reason it earns nothing");
        assertEquals(ada.id(), a.getString("affiliate_id"));
        assertEquals("self_referral", a.getString("outcome"));

        drain();
        commissions(ada).then().body("data", empty());
        dashboard(ada).then().body("conversions", equalTo(0)).body("commissions.pending", equalTo(0));
        assertEquals(0, count(pool, "select count(*) from commission where order_id = $1", uuid(orderId)));
    }

    @Test
    void aSuspendedAffiliatesEarlierVisit_isRecordedWithItsReason_andEarnsNothing() {
        Affiliate ada = approvedAffiliate();
        String referral = visit(ada.code(), clientIp()).then().statusCode(201).extract().path("referral");
        decide(admin(), ada.id(), "suspend").then().statusCode(200);

        String orderId = buyThrough(referralCookie(referral), 1200, 1).path("id");
        Row a = attribution(orderId);
        assertNotNull(a);
        assertEquals("affiliate_suspended", a.getString("outcome"));

        drain();
        commissions(ada).then().body("data", empty());
        assertEquals(0, count(pool, "select count(*) from commission where order_id = $1", uuid(orderId)));
    }

    // =============================================================================================
    // Commissions follow the order's events, exactly once

    @Test
    void aCommissionIsCreatedOnceWhenTheOrderIsPaid_atTheDefaultRateOfTenPercent() {
        Affiliate ada = approvedAffiliate();
        String referral = visit(ada.code(), clientIp()).then().statusCode(201).extract().path("referral");
        Response order = buyThrough(referralCookie(referral), 1250, 2);
        String orderId = order.path("id");
        assertEquals(2500, num(order, "total.amount_minor"));
        commissions(ada).then().body("data", empty());

        drain();
        Map<String, Object> line = onlyLine(ada);
        assertEquals(250, amount(line), "10% of the order");
        assertEquals("USD", ((Map<?, ?>) line.get("amount")).get("currency"));
        assertPendingOrApproved(line);
        assertNotNull(line.get("date"));
        assertNotEquals(orderId, line.get("reference"), "the reference is opaque, not the order");

        drain();
        assertEquals(250, amount(onlyLine(ada)), "publishing again changes nothing");
        dashboard(ada).then().body("conversions", equalTo(1)).body("visits", equalTo(1));
        assertEquals(1, count(pool, "select count(*) from commission where order_id = $1", uuid(orderId)));
    }

    @Test
    void aDuplicateDeliveryOfThePaidEvent_stillMakesOneCommissionWithTheSameAmount() {
        Affiliate ada = approvedAffiliate();
        String referral = visit(ada.code(), clientIp()).then().statusCode(201).extract().path("referral");
        String orderId = buyThrough(referralCookie(referral), 1000, 3).path("id");
        drain();
        assertEquals(300, amount(onlyLine(ada)));

        Row paid = row("select id, topic, payload::text as payload from outbox where aggregate_id = $1 and topic = 'order.paid'",
                uuid(orderId));
        assertNotNull(paid, "the order.paid event is in the outbox");
        UUID eventId = paid.getUUID("id");
        JsonObject payload = new JsonObject(paid.getString("payload"));
        ledger.handle(eventId, paid.getString("topic"), payload.copy()).await().atMost(WAIT);
        ledger.handle(eventId, paid.getString("topic"), payload.copy()).await().atMost(WAIT);

        List<Map<String, Object>> lines = commissions(ada).jsonPath().getList("data");
        assertEquals(1, lines.size(), "one commission however often the event arrives");
        assertEquals(300, amount(lines.get(0)));
        assertEquals(1, count(pool, "select count(*) from commission where order_id = $1", uuid(orderId)));
    }

    @Test
    void aCommissionIsEarnedAtTheAffiliatesOwnRate() {
        Affiliate ada = approvedAffiliate(admin(), 2500);
        given().auth().oauth2(ada.token()).get("/v1/affiliate").then().statusCode(200).body("rate_bp", equalTo(2500));
        String referral = visit(ada.code(), clientIp()).then().statusCode(201).extract().path("referral");
        buyThrough(referralCookie(referral), 1000, 2);
        drain();
        assertEquals(500, amount(onlyLine(ada)), "25% of 2000");
    }

    @Test
    void cancellingTheOrderReversesTheCommission() {
        Affiliate ada = approvedAffiliate();
        String referral = visit(ada.code(), clientIp()).then().statusCode(201).extract().path("referral");
        SignedIn buyer = AuthFixtures.customer();
        String orderId = paidOrder(buyer, CartFixtures.variant(1000, 10), 2, clientIp(), Map.of(), referralCookie(referral)).path("id");
        drain();
        assertEquals(200, amount(onlyLine(ada)));

        given().auth().oauth2(buyer.accessToken()).post("/v1/me/orders/" + orderId + "/cancel").then().statusCode(200)
                .body("status", equalTo("cancelled"));
        drain();
        Map<String, Object> line = onlyLine(ada);
        assertEquals(0, amount(line));
        assertEquals("reversed", line.get("status"));
        dashboard(ada).then()
                .body("commissions.reversed", equalTo(1))
                .body("commissions.pending", equalTo(0))
                .body("commissions.approved", equalTo(0))
                .body("commissions.paid", equalTo(0));
    }

    @Test
    void aPartialRefundReducesTheCommissionProportionally() {
        Affiliate ada = approvedAffiliate();
        String referral = visit(ada.code(), clientIp()).then().statusCode(201).extract().path("referral");
        String orderId = buyThrough(referralCookie(referral), 1000, 2).path("id");
        drain();
        assertEquals(200, amount(onlyLine(ada)));

        partialRefund(orderId, 1).then().statusCode(201).body("status", equalTo("succeeded"))
                .body("amount.amount_minor", equalTo(1000));
        drain();
        Map<String, Object> line = onlyLine(ada);
        assertEquals(100, amount(line), "half the goods were refunded, half the commission remains");
        assertPendingOrApproved(line);

        partialRefund(orderId, 1).then().statusCode(201);
        drain();
        line = onlyLine(ada);
        assertEquals(0, amount(line));
        assertEquals("reversed", line.get("status"), "everything was refunded");
    }

    @Test
    void aReturnRefundReducesTheCommissionLikewise() {
        Affiliate ada = approvedAffiliate();
        String referral = visit(ada.code(), clientIp()).then().statusCode(201).extract().path("referral");
        SignedIn buyer = AuthFixtures.customer();
        String orderId = paidOrder(buyer, CartFixtures.variant(1000, 10), 2, clientIp(), Map.of(), referralCookie(referral)).path("id");
        drain();
        assertEquals(200, amount(onlyLine(ada)));

        String support = AuthFixtures.support().accessToken();
        deliver(orderId);
        String returnId = given().auth().oauth2(buyer.accessToken()).header("Idempotency-Key", UUID.randomUUID().toString())
                .contentType(ContentType.JSON)
                .body(Map.of("lines", List.of(Map.of("line_no", 1, "quantity", 1)), "resolution", "refund", "reason", "too small"))
                .post("/v1/me/orders/" + orderId + "/returns").then().statusCode(201).extract().path("id");
        given().auth().oauth2(support).header("Idempotency-Key", UUID.randomUUID().toString()).contentType(ContentType.JSON)
                .body(Map.of("note", "ok")).post("/v1/admin/returns/" + returnId + "/approve").then().statusCode(200)
                .body("status", equalTo("refunded"));
        drain();
        Map<String, Object> line = onlyLine(ada);
        assertEquals(100, amount(line), "one of two units came back");
        assertPendingOrApproved(line);
    }

    /**
     * Staff asking for "refunded" once everything not replaced was paid back moves no money: the commission keeps what the
     * buyer kept (the exchanged unit), until a cancelled replacement pays that back too.
     */
    @Test
    void anOrderRefundedWithNothingLeftToPay_keepsTheCommissionOnWhatTheBuyerKept() {
        Affiliate ada = approvedAffiliate();
        String referral = visit(ada.code(), clientIp()).then().statusCode(201).extract().path("referral");
        SignedIn buyer = AuthFixtures.customer();
        String orderId = paidOrder(buyer, CartFixtures.variant(1000, 10), 2, clientIp(), Map.of(), referralCookie(referral)).path("id");
        String support = AuthFixtures.support().accessToken();
        deliver(orderId);
        partialRefund(orderId, 1).then().statusCode(201).body("status", equalTo("succeeded"));
        String returnId = given().auth().oauth2(buyer.accessToken()).header("Idempotency-Key", UUID.randomUUID().toString())
                .contentType(ContentType.JSON)
                .body(Map.of("lines", List.of(Map.of("line_no", 1, "quantity", 1)), "resolution", "exchange", "reason", "too small"))
                .post("/v1/me/orders/" + orderId + "/returns").then().statusCode(201).extract().path("id");
        String replacement = given().auth().oauth2(support).header("Idempotency-Key", UUID.randomUUID().toString()).contentType(ContentType.JSON)
                .body(Map.of("note", "ok")).post("/v1/admin/returns/" + returnId + "/approve").then().statusCode(200)
                .extract().path("exchange_order_id");
        given().auth().oauth2(support).contentType(ContentType.JSON).body(Map.of("to", "refunded"))
                .post("/v1/admin/orders/" + orderId + "/transitions").then().statusCode(200).body("status", equalTo("refunded"))
                .body("refunded.amount_minor", equalTo(1000));
        drain();
        assertEquals(100, amount(onlyLine(ada)), "the exchanged unit was kept: no money moved");

        given().auth().oauth2(buyer.accessToken()).post("/v1/me/orders/" + replacement + "/cancel").then().statusCode(200);
        drain();
        assertEquals(0, amount(onlyLine(ada)), "the replacement's cancel paid that unit back too");
    }

    @Test
    void aCommissionApprovedAfterItsPeriodsRun_isPaidByTheNextRun() {
        Affiliate ada = approvedAffiliate();
        String referral = visit(ada.code(), clientIp()).then().statusCode(201).extract().path("referral");
        String orderId = buyThrough(referralCookie(referral), 1000, 1).path("id");
        drain();
        // still inside its return window when the run for its period comes
        update(pool, "update commission set status = 'pending', approve_after = now() + interval '10 days' where order_id = $1", uuid(orderId));
        LocalDate today = LocalDate.now();
        Map<String, Object> thisPeriod = Map.of("period_from", today.minusDays(2).toString(), "period_to", today.plusDays(2).toString());
        assertNull(payoutLine(payout(UUID.randomUUID().toString(), thisPeriod), ada), "a pending commission is not paid");
        // the window passes; the next period's run pays it although the order belongs to the period before
        update(pool, "update commission set approve_after = now() - interval '1 second' where order_id = $1", uuid(orderId));
        Map<String, Object> nextPeriod = Map.of("period_from", today.plusDays(3).toString(), "period_to", today.plusDays(33).toString());
        Map<String, Object> line = payoutLine(payout(UUID.randomUUID().toString(), nextPeriod), ada);
        assertNotNull(line, "the late approval is paid by the next run");
        assertEquals(100, amount(line));
        assertEquals("paid", onlyLine(ada).get("status"));
    }

    @Test
    void campaignsAreCappedAtAHundredPerAffiliate() {
        Affiliate ada = approvedAffiliate();
        String prefix = "c" + UUID.randomUUID().toString().substring(0, 6) + "-";
        for (int i = 0; i < 100; i++) {
            given().auth().oauth2(ada.token()).contentType(ContentType.JSON).body(Map.of("code", prefix + i, "name", "n" + i))
                    .post("/v1/affiliate/campaigns").then().statusCode(201);
        }
        assertProblem(given().auth().oauth2(ada.token()).contentType(ContentType.JSON).body(Map.of("code", prefix + "x", "name", "one more"))
                .post("/v1/affiliate/campaigns"), 409, "campaign-code-taken");
    }

    @Test
    void aPayoutRunPaysApprovedCommissionsOnce_replaysItsKey_andReportsTheAffiliatesAmount() {
        Affiliate ada = approvedAffiliate();
        String referral = visit(ada.code(), clientIp()).then().statusCode(201).extract().path("referral");
        buyThrough(referralCookie(referral), 1000, 2);
        drain();
        assertEquals(200, amount(onlyLine(ada)));

        String key = UUID.randomUUID().toString();
        Map<String, Object> run = payoutPeriod();
        Response first = payout(key, run);
        first.then().statusCode(201)
                .header(Idempotency.REPLAYED, nullValue())
                .header("Location", containsString("/v1/admin/affiliate-payouts/"))
                .body("id", notNullValue())
                .body("period_from", equalTo(run.get("period_from")))
                .body("period_to", equalTo(run.get("period_to")))
                .body("total.currency", equalTo("USD"));
        Map<String, Object> line = payoutLine(first, ada);
        assertNotNull(line, "the report has a line for the affiliate: " + first.asString());
        assertEquals(200, amount(line));
        assertEquals(1, ((Number) line.get("commissions")).intValue());
        assertEquals(ada.code(), line.get("affiliate_code"));
        long sum = 0;
        for (Map<String, Object> l : first.jsonPath().<Map<String, Object>>getList("lines")) {
            sum += amount(l);
        }
        assertEquals(sum, num(first, "total.amount_minor"), "the total is the sum of the lines");

        Map<String, Object> paid = onlyLine(ada);
        assertEquals("paid", paid.get("status"));
        assertEquals(200, amount(paid));
        dashboard(ada).then().body("commissions.paid", equalTo(200)).body("commissions.approved", equalTo(0))
                .body("commissions.pending", equalTo(0));

        // the same key replays the same run
        Response replay = payout(key, run);
        String firstId = first.path("id");
        replay.then().statusCode(201).header(Idempotency.REPLAYED, "true").body("id", equalTo(firstId));
        assertEquals(200, amount(payoutLine(replay, ada)));

        // a new run pays nothing more for them
        Response second = payout(UUID.randomUUID().toString(), run);
        second.then().statusCode(201);
        assertNull(payoutLine(second, ada), "already paid: " + second.asString());
        assertEquals("paid", onlyLine(ada).get("status"));

        String id = first.path("id");
        given().auth().oauth2(admin()).get("/v1/admin/affiliate-payouts/" + id).then().statusCode(200)
                .body("id", equalTo(id))
                .body("lines.find { it.affiliate_id == '" + ada.id() + "' }.amount.amount_minor", equalTo(200));
        given().auth().oauth2(admin()).queryParam("limit", 100).get("/v1/admin/affiliate-payouts").then().statusCode(200)
                .body("data.id", hasItem(id));
        assertProblem(given().auth().oauth2(ada.token()).get("/v1/admin/affiliate-payouts/" + id), 403, "forbidden");
    }

    @Test
    void aCancelAfterThePayoutIsClawedBackInTheNextRun() {
        Affiliate ada = approvedAffiliate();
        String referral = visit(ada.code(), clientIp()).then().statusCode(201).extract().path("referral");
        SignedIn buyer = AuthFixtures.customer();
        String orderId = paidOrder(buyer, CartFixtures.variant(1000, 10), 2, clientIp(), Map.of(), referralCookie(referral)).path("id");
        drain();
        assertEquals(200, amount(payoutLine(payout(UUID.randomUUID().toString(), payoutPeriod()), ada)));

        given().auth().oauth2(buyer.accessToken()).post("/v1/me/orders/" + orderId + "/cancel").then().statusCode(200);
        drain();
        assertEquals(0, amount(onlyLine(ada)), "nothing is earned on a cancelled order");

        Map<String, Object> clawback = payoutLine(payout(UUID.randomUUID().toString(), payoutPeriod()), ada);
        assertNotNull(clawback, "the next run takes back what was paid");
        assertEquals(-200, amount(clawback));
        assertNull(payoutLine(payout(UUID.randomUUID().toString(), payoutPeriod()), ada), "and only once");
    }

    // =============================================================================================
    // Dashboard

    @Test
    void theDashboardAggregatesVisitsConversionsRateAndCommissionsPerCampaignAndPerDay() {
        Affiliate ada = approvedAffiliate();
        String campaign = campaign(ada);
        String converts = visit(ada.code(), clientIp()).then().statusCode(201).extract().path("referral");
        visit(ada.code(), clientIp()).then().statusCode(201);
        String campaignConverts = visit(campaign, clientIp()).then().statusCode(201).extract().path("referral");
        visit(ada.code(), clientIp(), GOOGLEBOT, null, null).then().statusCode(201);
        buyThrough(referralCookie(converts), 1000, 1);
        buyThrough(referralCookie(campaignConverts), 1500, 2);
        drain();
        // approve what is due now, so the hourly approval job cannot move amounts between the two reads compared below
        ledger.approveDueNow().await().atMost(WAIT);

        Response d = dashboard(ada);
        Map<String, String> period = aroundToday();
        d.then()
                .body("from", equalTo(period.get("from")))
                .body("to", equalTo(period.get("to")))
                .body("visits", equalTo(3))
                .body("conversions", equalTo(2))
                .body("commissions.paid", equalTo(0))
                .body("commissions.reversed", equalTo(0))
                .body("commissions.currency", equalTo("USD"));
        assertEquals(2.0 / 3.0, d.jsonPath().getDouble("conversion_rate"), 0.0001);
        assertEquals(400, num(d, "commissions.pending") + num(d, "commissions.approved"), "100 + 300");

        Map<String, Object> own = perCampaign(d, null);
        Map<String, Object> camp = perCampaign(d, campaign);
        assertNotNull(own, d.asString());
        assertNotNull(camp, d.asString());
        assertEquals(2, ((Number) own.get("visits")).longValue());
        assertEquals(1, ((Number) own.get("conversions")).longValue());
        assertEquals(100, ((Number) own.get("commission_minor")).longValue());
        assertEquals(1, ((Number) camp.get("visits")).longValue());
        assertEquals(1, ((Number) camp.get("conversions")).longValue());
        assertEquals(300, ((Number) camp.get("commission_minor")).longValue());

        long visits = 0;
        long conversions = 0;
        long commission = 0;
        for (Map<String, Object> day : d.jsonPath().<Map<String, Object>>getList("per_day")) {
            assertNotNull(day.get("date"));
            visits += ((Number) day.get("visits")).longValue();
            conversions += ((Number) day.get("conversions")).longValue();
            commission += ((Number) day.get("commission_minor")).longValue();
        }
        assertEquals(3, visits);
        assertEquals(2, conversions);
        assertEquals(400, commission);

        // admins see the same figures per affiliate
        Response admins = given().auth().oauth2(admin()).queryParams(period).get("/v1/admin/affiliates/" + ada.id() + "/dashboard")
                .then().statusCode(200).extract().response();
        assertEquals(d.jsonPath().getMap(""), admins.jsonPath().getMap(""));

        // commission lines are cursor-paged, newest first
        Response page1 = given().auth().oauth2(ada.token()).queryParam("limit", 1).get("/v1/affiliate/commissions")
                .then().statusCode(200).body("data", hasSize(1)).body("has_more", equalTo(true))
                .body("next_cursor", not(emptyOrNullString())).extract().response();
        Response page2 = given().auth().oauth2(ada.token()).queryParam("limit", 1).queryParam("cursor", (String) page1.path("next_cursor"))
                .get("/v1/affiliate/commissions").then().statusCode(200).body("data", hasSize(1)).body("has_more", equalTo(false))
                .body("next_cursor", nullValue()).extract().response();
        Set<Long> amounts = new HashSet<>(List.of(num(page1, "data[0].amount.amount_minor"), num(page2, "data[0].amount.amount_minor")));
        assertEquals(Set.of(100L, 300L), amounts);
        assertNotEquals((String) page1.path("data[0].reference"), (String) page2.path("data[0].reference"));
    }

    @Test
    void P12_dashboardsAndCommissionLinesNeverShowTheVisitorOrTheBuyer() {
        Affiliate ada = approvedAffiliate();
        String campaign = campaign(ada);
        String visitorIp = clientIp();
        String userAgent = "PrivacyProbe/4.2 (probe-" + UUID.randomUUID() + ")";
        String token = newVisitorToken();
        Response v = visit(campaign, visitorIp, userAgent, token, null);
        v.then().statusCode(201);
        String visitId = v.path("visit_id");

        SignedIn buyer = AuthFixtures.customer();
        String buyerIp = otherClientIp(visitorIp);
        Map<String, String> headers = new HashMap<>(visitorHeader(token));
        headers.putAll(referralHeader(v.path("referral")));
        Response order = paidOrder(buyer, CartFixtures.variant(1100, 10), 2, buyerIp, headers, Map.of());
        String orderId = order.path("id");
        String number = order.path("number");
        String sku = order.path("lines[0].sku");
        String orderEmail = order.path("email");
        assertNotNull(sku);
        // and a second, partly refunded order of the same buyer, so several lines show
        String secondReferral = visit(ada.code(), visitorIp, userAgent, null, null).then().statusCode(201).extract().path("referral");
        String second = paidOrder(buyer, CartFixtures.variant(900, 10), 2, buyerIp, Map.of(), referralCookie(secondReferral)).path("id");
        partialRefund(second, 1).then().statusCode(201);
        drain();
        Row a = attribution(orderId);
        assertEquals(buyerIp, a.getString("buyer_ip"), "the service keeps the buyer's IP with the order (P12)...");

        List<String> forbidden = List.of(visitorIp, buyerIp, userAgent, "PrivacyProbe", buyer.email(), orderEmail, buyer.accountId(),
                orderId, number, sku, second, visitorId(token), visitId);
        Map<String, Response> seen = new HashMap<>();
        seen.put("dashboard", given().auth().oauth2(ada.token()).get("/v1/affiliate/dashboard").then().statusCode(200).extract().response());
        Response d = dashboard(ada);
        assertEquals(2, num(d, "conversions"), "...and the dashboard has something to show");
        seen.put("dashboard for the period", d);
        seen.put("admin dashboard", given().auth().oauth2(admin()).queryParams(aroundToday())
                .get("/v1/admin/affiliates/" + ada.id() + "/dashboard").then().statusCode(200).extract().response());
        seen.put("my affiliate account", given().auth().oauth2(ada.token()).get("/v1/affiliate").then().statusCode(200).extract().response());
        seen.put("commission lines", commissions(ada));
        String cursor = null;
        int pages = 0;
        do {
            RequestSpecification request = given().auth().oauth2(ada.token()).queryParam("limit", 1);
            if (cursor != null) {
                request = request.queryParam("cursor", cursor);
            }
            Response page = request.get("/v1/affiliate/commissions").then().statusCode(200).extract().response();
            seen.put("commission page " + pages, page);
            cursor = page.path("next_cursor");
            pages++;
        } while (cursor != null && pages < 10);
        assertEquals(2, pages, "two commission lines, one per page");

        for (Map.Entry<String, Response> e : seen.entrySet()) {
            String body = e.getValue().asString().toLowerCase(Locale.ROOT);
            for (String secret : forbidden) {
                assertFalse(body.contains(secret.toLowerCase(Locale.ROOT)), e.getKey() + " shows '" + secret + "': " + body);
            }
        }
    }

    // =============================================================================================
    // Bad input: a problem document, never a 500, nothing stored

    @Test
    void badInputOnTheVisitAndLinkEndpoints_isAProblem_andStoresNothing() {
        Affiliate ada = approvedAffiliate();
        long before = count(pool, "select count(*) from referral_visit");
        String ip = clientIp();
        List<Response> answers = new ArrayList<>();
        answers.add(referralBody("{\"code\": ", ip));
        answers.add(referralBody("{}", ip));
        answers.add(referralBody("[]", ip));
        answers.add(referralBody("{\"code\": null}", ip));
        answers.add(referralBody("{\"code\": 12}", ip));
        answers.add(referralBody("{\"code\": [\"" + ada.code() + "\"]}", ip));
        answers.add(referralBody("{\"code\": \"" + "x".repeat(65) + "\"}", ip));
        answers.add(referralBody("{\"code\": \"" + ada.code() + "\", \"landing_page\": \"/" + "a".repeat(2001) + "\"}", ip));
        answers.add(referralBody("{\"code\": \"" + ada.code() + "\", \"referrer\": \"https://x.example/" + "a".repeat(2001) + "\"}", ip));
        answers.add(referralBody("{\"code\": \"" + ada.code() + "\", \"affiliate_id\": \"" + ada.id() + "\"}", ip));
        answers.add(referralBody("{\"code\": \"\\u0000abc\"}", ip));
        answers.add(given().header("X-Forwarded-For", ip).contentType(ContentType.TEXT).body(ada.code()).post("/v1/referrals"));
        answers.add(given().header("X-Forwarded-For", ip).contentType(ContentType.JSON).post("/v1/referrals"));
        answers.add(given().redirects().follow(false).header("X-Forwarded-For", ip).get("/r/{code}", "x".repeat(300)));
        for (int i = 0; i < answers.size(); i++) {
            Response r = answers.get(i);
            assertClientProblem(r, "answer " + i);
            assertNoAffiliateCookie(r);
        }
        assertEquals(before, count(pool, "select count(*) from referral_visit"), "no visit was recorded");
    }

    @Test
    void badInputOnTheAffiliateEndpoints_isAProblem_andStoresNothing() {
        SignedIn ada = AuthFixtures.customer();
        List<Map<String, Object>> applications = new ArrayList<>();
        for (String[] change : new String[][] {{"website", "ftp://ada.example"}, {"website", "not a url"}, {"website", ""},
                {"website", "https://" + "a".repeat(500) + ".example"}, {"payout_email", "not-an-email"}, {"payout_email", ""},
                {"terms_version", ""}, {"terms_version", "x".repeat(41)}, {"birth_date", LocalDate.now().plusDays(1).toString()}}) {
            Map<String, Object> body = application();
            body.put(change[0], change[1]);
            applications.add(body);
        }
        Map<String, Object> neither = application();
        neither.remove("adult_confirmed");
        applications.add(neither);
        Map<String, Object> missingWebsite = application();
        missingWebsite.remove("website");
        applications.add(missingWebsite);
        for (Map<String, Object> body : applications) {
            assertProblem(apply(ada, body), 400, "validation-failed");
        }
        List<Response> answers = new ArrayList<>();
        answers.add(applyRaw(ada, "{\"website\": "));
        answers.add(applyRaw(ada, "{\"website\":\"https://a.example\",\"payout_email\":\"a@example.com\",\"terms_version\":\"x\","
                + "\"birth_date\":\"yesterday\"}"));
        answers.add(applyRaw(ada, "{\"website\":\"https://a.example\",\"payout_email\":\"a@example.com\",\"terms_version\":\"x\","
                + "\"adult_confirmed\":\"perhaps\"}"));
        answers.add(applyRaw(ada, "{\"website\":\"https://a.example\",\"payout_email\":\"a@example.com\",\"terms_version\":\"x\","
                + "\"adult_confirmed\":true,\"status\":\"approved\"}"));
        answers.add(applyRaw(ada, "{\"website\":\"https://a.example\",\"payout_email\":\"a@example.com\",\"terms_version\":\"x\","
                + "\"adult_confirmed\":true,\"rate_bp\":10000}"));
        answers.add(given().auth().oauth2(ada.accessToken()).contentType(ContentType.TEXT).body("apply").post("/v1/affiliate/application"));
        for (int i = 0; i < answers.size(); i++) {
            assertClientProblem(answers.get(i), "application " + i);
        }
        assertProblem(given().contentType(ContentType.JSON).body(application()).post("/v1/affiliate/application"), 401, "unauthorized");
        assertProblem(given().auth().oauth2(ada.accessToken()).get("/v1/affiliate"), 404, "not-found");
        assertEquals(0, count(pool, "select count(*) from affiliate where account_id = $1", uuid(ada.accountId())));

        Affiliate bob = approvedAffiliate();
        List<Response> more = new ArrayList<>();
        for (Map<String, String> body : List.of(Map.of("code", "a b", "name", "x"), Map.of("code", "x", "name", "x"),
                Map.of("code", "ok-code-" + UUID.randomUUID().toString().substring(0, 4), "name", ""),
                Map.of("code", "ok-code-" + UUID.randomUUID().toString().substring(0, 4), "name", "n".repeat(201)),
                Map.of("name", "no code"), Map.of("code", "a".repeat(33), "name", "long"))) {
            more.add(given().auth().oauth2(bob.token()).contentType(ContentType.JSON).body(body).post("/v1/affiliate/campaigns"));
        }
        more.add(given().auth().oauth2(bob.token()).contentType(ContentType.JSON).body("{\"code\":").post("/v1/affiliate/campaigns"));
        LocalDate today = LocalDate.now();
        for (Map<String, String> q : List.of(Map.of("from", "2026-13-01"), Map.of("to", "yesterday"),
                Map.of("from", today.toString(), "to", today.minusDays(1).toString()),
                Map.of("from", today.minusDays(400).toString(), "to", today.toString()))) {
            more.add(given().auth().oauth2(bob.token()).queryParams(q).get("/v1/affiliate/dashboard"));
        }
        for (String limit : List.of("0", "101", "-1", "abc", "1e3")) {
            more.add(given().auth().oauth2(bob.token()).queryParam("limit", limit).get("/v1/affiliate/commissions"));
        }
        String otherSort = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("affiliates\u001f2026-01-01 00:00:00+00\u001f" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
        String badKey = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("commissions\u001fnot-a-time\u001f" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
        String badId = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("commissions\u001f2026-01-01 00:00:00+00\u001fnot-a-uuid".getBytes(StandardCharsets.UTF_8));
        for (String cursor : List.of("garbage!", "====", otherSort, badKey, badId, "x".repeat(501))) {
            more.add(given().auth().oauth2(bob.token()).queryParam("cursor", cursor).get("/v1/affiliate/commissions"));
        }
        for (int i = 0; i < more.size(); i++) {
            assertClientProblem(more.get(i), "affiliate request " + i);
        }
        assertEquals(0, count(pool, "select count(*) from affiliate_campaign c join affiliate a on a.id = c.affiliate_id where a.id = $1",
                uuid(bob.id())), "no campaign was created");
    }

    @Test
    void badInputOnTheAdminAffiliateEndpoints_isAProblem() {
        SignedIn applicant = AuthFixtures.customer();
        String pending = apply(applicant, application()).then().statusCode(201).extract().path("id");
        Affiliate approved = approvedAffiliate();
        String admin = admin();

        assertProblem(decide(admin, UUID.randomUUID().toString(), "approve"), 404, "not-found");
        assertProblem(decide(admin, pending, "suspend"), 409, "illegal-affiliate-decision");
        assertProblem(decide(admin, approved.id(), "reject"), 409, "illegal-affiliate-decision");
        List<Response> answers = new ArrayList<>();
        answers.add(decide(admin, pending, "approve", Map.of("rate_bp", 10001)));
        answers.add(decide(admin, pending, "approve", Map.of("rate_bp", -1)));
        answers.add(decide(admin, pending, "approve", Map.of("note", "n".repeat(501))));
        answers.add(decide(admin, pending, "approve", Map.of("rate_bp", "lots")));
        answers.add(decide(admin, pending, "approve", Map.of("status", "approved")));
        answers.add(given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"note\":").post("/v1/admin/affiliates/" + pending + "/approve"));
        answers.add(decide(admin, "not-a-uuid", "approve"));
        answers.add(given().auth().oauth2(admin).get("/v1/admin/affiliates/not-a-uuid"));
        answers.add(given().auth().oauth2(admin).get("/v1/admin/affiliates/" + UUID.randomUUID()));
        answers.add(given().auth().oauth2(admin).queryParam("status", "bogus").get("/v1/admin/affiliates"));
        answers.add(given().auth().oauth2(admin).queryParam("limit", "0").get("/v1/admin/affiliates"));
        answers.add(given().auth().oauth2(admin).queryParam("cursor", "garbage!").get("/v1/admin/affiliates"));
        answers.add(given().auth().oauth2(admin).queryParam("from", "soon").get("/v1/admin/affiliates/" + approved.id() + "/dashboard"));
        answers.add(given().auth().oauth2(admin).queryParams(aroundToday()).get("/v1/admin/affiliates/" + UUID.randomUUID() + "/dashboard"));
        answers.add(given().auth().oauth2(admin).get("/v1/admin/affiliate-payouts/" + UUID.randomUUID()));
        answers.add(given().auth().oauth2(admin).queryParam("cursor", "garbage!").get("/v1/admin/affiliate-payouts"));
        for (int i = 0; i < answers.size(); i++) {
            assertClientProblem(answers.get(i), "admin request " + i);
        }
        given().auth().oauth2(admin).get("/v1/admin/affiliates/" + pending).then().statusCode(200)
                .body("status", equalTo("pending")).body("rate_bp", equalTo(1000)).body("code", nullValue());

        // payout runs
        assertProblem(payout(null, payoutPeriod()), 400, "idempotency-key-missing");
        LocalDate today = LocalDate.now();
        Map<String, Object> backwards = new HashMap<>(payoutPeriod());
        backwards.put("period_from", today.plusDays(1).toString());
        backwards.put("period_to", today.minusDays(1).toString());
        assertProblem(payout(UUID.randomUUID().toString(), backwards), 400, "validation-failed");
        Map<String, Object> noFrom = new HashMap<>(payoutPeriod());
        noFrom.remove("period_from");
        assertProblem(payout(UUID.randomUUID().toString(), noFrom), 400, "validation-failed");
        Map<String, Object> lowerCurrency = new HashMap<>(payoutPeriod());
        lowerCurrency.put("currency", "usd");
        assertProblem(payout(UUID.randomUUID().toString(), lowerCurrency), 400, "validation-failed");
        Map<String, Object> badDate = new HashMap<>(payoutPeriod());
        badDate.put("period_from", "2026-02-30");
        assertClientProblem(payout(UUID.randomUUID().toString(), badDate), "impossible date");
        assertClientProblem(given().auth().oauth2(admin).header("Idempotency-Key", UUID.randomUUID().toString())
                .contentType(ContentType.JSON).body("{\"period_from\":").post("/v1/admin/affiliate-payouts"), "malformed payout");
        assertProblem(given().auth().oauth2(approved.token()).header("Idempotency-Key", UUID.randomUUID().toString())
                .contentType(ContentType.JSON).body(payoutPeriod()).post("/v1/admin/affiliate-payouts"), 403, "forbidden");
        assertProblem(given().header("Idempotency-Key", UUID.randomUUID().toString()).contentType(ContentType.JSON).body(payoutPeriod())
                .post("/v1/admin/affiliate-payouts"), 401, "unauthorized");

        // reusing a key for another request is refused
        String key = UUID.randomUUID().toString();
        payout(key, payoutPeriod()).then().statusCode(201);
        Map<String, Object> other = new HashMap<>(payoutPeriod());
        other.put("period_from", today.minusDays(10).toString());
        assertProblem(payout(key, other), 422, "idempotency-key-reused");
    }

    // =============================================================================================
    // Helpers

    private static String admin() {
        return AuthFixtures.admin().accessToken();
    }

    private void drain() {
        AffiliateFixtures.drain(outbox);
    }

    /** A new customer buys units at price, presenting what the referral left (a cookie or a header), from a client address. */
    private static Response buyThrough(Map<String, String> presented, long price, int quantity) {
        return buyThrough(presented, clientIp(), price, quantity);
    }

    private static Response buyThrough(Map<String, String> presented, String buyerIp, long price, int quantity) {
        SignedIn buyer = AuthFixtures.customer();
        Map<String, String> headers = new HashMap<>();
        Map<String, String> cookies = new HashMap<>();
        for (Map.Entry<String, String> e : presented.entrySet()) {
            if (e.getKey().startsWith("__Host-harmony_")) {
                cookies.put(e.getKey(), e.getValue());
            } else {
                headers.put(e.getKey(), e.getValue());
            }
        }
        return paidOrder(buyer, CartFixtures.variant(price, quantity + 10), quantity, buyerIp, headers, cookies);
    }

    /** Support moves a paid order on to delivered. */
    private static void deliver(String orderId) {
        String support = AuthFixtures.support().accessToken();
        for (String to : List.of("fulfilled", "shipped", "delivered")) {
            given().auth().oauth2(support).contentType(ContentType.JSON).body(Map.of("to", to))
                    .post("/v1/admin/orders/" + orderId + "/transitions").then().statusCode(200);
        }
    }

    private Response partialRefund(String orderId, int quantity) {
        Map<String, Object> line = new HashMap<>();
        line.put("line_no", 1);
        line.put("quantity", quantity);
        return given().auth().oauth2(AuthFixtures.support().accessToken()).header("Idempotency-Key", UUID.randomUUID().toString())
                .contentType(ContentType.JSON).body(Map.of("lines", List.of(line), "note", "damaged"))
                .post("/v1/admin/orders/" + orderId + "/refunds");
    }

    /** Runs the feature's retention rules; answers the rows of the table's first rule (its network data). */
    private long purgeNetworkData(String table) {
        return pool.withTransaction(conn -> retention.purge(conn)).await().atMost(WAIT).stream().filter(p -> p.table().equals(table))
                .findFirst().orElseThrow().rows();
    }

    private static Map<String, Object> payoutPeriod() {
        LocalDate today = LocalDate.now();
        return Map.of("period_from", today.minusDays(2).toString(), "period_to", today.plusDays(2).toString(), "currency", "USD");
    }

    private static Response payout(String key, Map<String, Object> body) {
        RequestSpecification request = given().auth().oauth2(admin()).contentType(ContentType.JSON).body(body);
        if (key != null) {
            request = request.header("Idempotency-Key", key);
        }
        return request.post("/v1/admin/affiliate-payouts");
    }

    /** The payout report's line for this affiliate, or null. */
    private static Map<String, Object> payoutLine(Response payout, Affiliate affiliate) {
        payout.then().statusCode(201);
        for (Map<String, Object> line : payout.jsonPath().<Map<String, Object>>getList("lines")) {
            if (affiliate.id().equals(line.get("affiliate_id"))) {
                return line;
            }
        }
        return null;
    }

    /** The affiliate's one commission line (there must be exactly one). */
    private static Map<String, Object> onlyLine(Affiliate affiliate) {
        List<Map<String, Object>> lines = commissions(affiliate).jsonPath().getList("data");
        assertEquals(1, lines.size(), "commission lines: " + lines);
        return lines.get(0);
    }

    private static long amount(Map<String, Object> line) {
        assertNotNull(line);
        return ((Number) ((Map<?, ?>) line.get("amount")).get("amount_minor")).longValue();
    }

    /** Commissions wait for returns (pending) and the hourly job approves them when the return window (0 in tests) has passed. */
    private static void assertPendingOrApproved(Map<String, Object> line) {
        Matcher<Object> open = anyOf(equalTo("pending"), equalTo("approved"));
        assertTrue(open.matches(line.get("status")), "status " + line.get("status"));
    }

    private static long num(Response r, String path) {
        Number n = r.path(path);
        assertNotNull(n, path + " in " + r.asString());
        return n.longValue();
    }

    /** The per-campaign figures of this campaign code (null: the affiliate's own code), or null. */
    private static Map<String, Object> perCampaign(Response dashboard, String code) {
        for (Map<String, Object> c : dashboard.jsonPath().<Map<String, Object>>getList("per_campaign")) {
            Object shown = c.get("campaign_code");
            if (code == null ? shown == null : code.equalsIgnoreCase(String.valueOf(shown))) {
                return c;
            }
        }
        return null;
    }

    private Row attribution(String orderId) {
        return row("select affiliate_id::text as affiliate_id, visit_id::text as visit_id, buyer_account_id::text as buyer_account_id, "
                + "buyer_ip, outcome from affiliate_order where order_id = $1", uuid(orderId));
    }

    private Row visitRow(String visitId) {
        Row r = row("select affiliate_id::text as affiliate_id, campaign_id::text as campaign_id, visitor_id::text as visitor_id, ip, "
                + "user_agent, landing_page, referrer, bot, created_at::text as created_at, "
                + "network_data_removed_at::text as network_data_removed_at from referral_visit where id = $1", uuid(visitId));
        assertNotNull(r, "visit " + visitId + " is stored");
        return r;
    }

    private long visitsOf(Affiliate affiliate) {
        return count(pool, "select count(*) from referral_visit where affiliate_id = $1", uuid(affiliate.id()));
    }

    private Row row(String sql, Object... params) {
        return AffiliateFixtures.row(pool, sql, params);
    }

    private static Response referralBody(String json, String ip) {
        return given().header("X-Forwarded-For", ip).contentType(ContentType.JSON).body(json).post("/v1/referrals");
    }

    private static Response applyRaw(SignedIn who, String json) {
        return given().auth().oauth2(who.accessToken()).contentType(ContentType.JSON).body(json).post("/v1/affiliate/application");
    }

    private static void assertProblem(Response r, int status, String type) {
        r.then().statusCode(status).contentType(PROBLEM_JSON).body("type", equalTo(PROBLEMS + type));
    }

    /** A 4xx problem document: bad input is the client's, never a 500, and never a stack trace. */
    private static void assertClientProblem(Response r, String what) {
        int status = r.statusCode();
        assertTrue(status >= 400 && status < 500, what + " answered " + status + ": " + r.asString());
        assertTrue(String.valueOf(r.contentType()).startsWith(PROBLEM_JSON), what + " is not a problem document: " + r.contentType());
        Object type = r.path("type");
        assertTrue(String.valueOf(type).startsWith(PROBLEMS), what + ": " + r.asString());
        assertFalse(r.asString().contains("Exception"), what + " leaks a class name: " + r.asString());
    }

    private static void assertNoAffiliateCookie(Response r) {
        assertFalse(r.getDetailedCookies().hasCookieWithName(AFFILIATE_COOKIE), "no harmony_affiliate cookie on " + r.statusCode());
    }
}
