package com.harmony.affiliate;

import static com.harmony.affiliate.AffiliateFixtures.AFFILIATE_COOKIE;
import static com.harmony.affiliate.AffiliateFixtures.BROWSER;
import static com.harmony.affiliate.AffiliateFixtures.approvedAffiliate;
import static com.harmony.affiliate.AffiliateFixtures.clientIp;
import static com.harmony.affiliate.AffiliateFixtures.commissions;
import static com.harmony.affiliate.AffiliateFixtures.count;
import static com.harmony.affiliate.AffiliateFixtures.dashboard;
import static com.harmony.affiliate.AffiliateFixtures.newVisitorToken;
import static com.harmony.affiliate.AffiliateFixtures.paidOrder;
import static com.harmony.affiliate.AffiliateFixtures.referralCookie;
import static com.harmony.affiliate.AffiliateFixtures.referralHeader;
import static com.harmony.affiliate.AffiliateFixtures.update;
import static com.harmony.affiliate.AffiliateFixtures.uuid;
import static com.harmony.affiliate.AffiliateFixtures.visit;
import static com.harmony.affiliate.AffiliateFixtures.visitorHeader;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.harmony.AuthFixtures;
import com.harmony.AuthFixtures.SignedIn;
import com.harmony.affiliate.AffiliateFixtures.Affiliate;
import com.harmony.platform.OutboxWorker;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Attribution configured as first click (harmony.affiliate.attribution=first_click): the earliest live
 * visit a buyer's client can present wins the order, and a browser already holding a live referral
 * keeps it when it follows another affiliate's link.
 *
 * <p>A test profile restarts the service on a clean database, so this class signs its own admin in
 * and creates its products with that token instead of using the fixtures' cached admin.
 */
@QuarkusTest
@TestProfile(FirstClickAttributionTest.FirstClick.class)
class FirstClickAttributionTest {

    /** The test configuration with first-click attribution. */
    public static class FirstClick implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("harmony.affiliate.attribution", "first_click");
        }
    }

    @Inject
    Pool pool;

    @Inject
    OutboxWorker outbox;

    private String admin;

    @BeforeEach
    void signInTheAdmin() {
        admin = AuthFixtures.signIn(AuthFixtures.ADMIN_EMAIL, AuthFixtures.ADMIN_PASSWORD).accessToken();
    }

    @Test
    void firstClick_theVisitorsEarliestVisitWinsTheOrder() {
        Affiliate ada = approvedAffiliate(admin);
        Affiliate bob = approvedAffiliate(admin);
        String token = newVisitorToken();
        String ip = clientIp();
        String adaVisit = visit(ada.code(), ip, BROWSER, token, null).then().statusCode(201).extract().path("visit_id");
        String bobReferral = visit(bob.code(), ip, BROWSER, token, null).then().statusCode(201).extract().path("referral");

        // even presenting Bob's later referral, the visitor's first click was Ada's
        Map<String, String> headers = new HashMap<>(visitorHeader(token));
        headers.putAll(referralHeader(bobReferral));
        String orderId = buy(headers, Map.of(), 1000, 2).path("id");

        Row a = attribution(orderId);
        assertNotNull(a, "the order is attributed");
        assertEquals(ada.id(), a.getString("affiliate_id"));
        assertEquals(adaVisit, a.getString("visit_id"));
        assertEquals("attributed", a.getString("outcome"));

        AffiliateFixtures.drain(outbox);
        commissions(ada).then().body("data", hasSize(1)).body("data[0].amount.amount_minor", equalTo(200));
        commissions(bob).then().body("data", empty());
    }

    @Test
    void firstClick_aBrowserHoldingALiveReferralKeepsIt_whileTheOtherVisitIsStillRecorded() {
        Affiliate ada = approvedAffiliate(admin);
        Affiliate bob = approvedAffiliate(admin);
        String ip = clientIp();
        Response first = visit(ada.code(), ip);
        first.then().statusCode(201);
        String adaReferral = first.path("referral");
        String adaVisit = first.path("visit_id");

        Response second = visit(bob.code(), ip, BROWSER, null, adaReferral);
        second.then().statusCode(201)
                .body("referral", equalTo(adaReferral))
                .body("affiliate_id", equalTo(ada.id()))
                .body("visit_id", equalTo(adaVisit));
        assertEquals(adaReferral, second.getDetailedCookie(AFFILIATE_COOKIE).getValue(), "the browser keeps Ada's referral");
        assertEquals(1, count(pool, "select count(*) from referral_visit where affiliate_id = $1", uuid(bob.id())),
                "Bob's visit is recorded all the same");
        dashboard(bob).then().body("visits", equalTo(1)).body("conversions", equalTo(0));

        String orderId = buy(Map.of(), referralCookie(second.getDetailedCookie(AFFILIATE_COOKIE).getValue()), 1500, 1).path("id");
        assertEquals(ada.id(), attribution(orderId).getString("affiliate_id"));
        AffiliateFixtures.drain(outbox);
        commissions(ada).then().body("data", hasSize(1)).body("data[0].amount.amount_minor", equalTo(150));
        commissions(bob).then().body("data", empty());
    }

    @Test
    void firstClick_anExpiredReferralGivesWayToTheNextVisit() {
        Affiliate ada = approvedAffiliate(admin);
        Affiliate bob = approvedAffiliate(admin);
        String ip = clientIp();
        Response first = visit(ada.code(), ip);
        String adaReferral = first.then().statusCode(201).extract().path("referral");
        String adaVisit = first.path("visit_id");
        update(pool, "update referral_visit set attributable_until = now() - interval '400 days' where id = $1", uuid(adaVisit));

        Response second = visit(bob.code(), ip, BROWSER, null, adaReferral);
        second.then().statusCode(201).body("affiliate_id", equalTo(bob.id()));
        String bobReferral = second.path("referral");
        assertNotEquals(adaReferral, bobReferral);
        assertEquals(bobReferral, second.getDetailedCookie(AFFILIATE_COOKIE).getValue());

        String orderId = buy(Map.of(), referralCookie(bobReferral), 1000, 1).path("id");
        assertEquals(bob.id(), attribution(orderId).getString("affiliate_id"));
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers

    /** A new customer buys units of a new product, presenting these headers and cookies. */
    private Response buy(Map<String, String> headers, Map<String, String> cookies, long price, int quantity) {
        SignedIn buyer = AuthFixtures.customer();
        String variant = AffiliateFixtures.variant(admin, price, quantity + 10);
        return paidOrder(buyer, variant, quantity, clientIp(), headers, cookies);
    }

    private Row attribution(String orderId) {
        return AffiliateFixtures.row(pool, "select affiliate_id::text as affiliate_id, visit_id::text as visit_id, outcome "
                + "from affiliate_order where order_id = $1", uuid(orderId));
    }
}
