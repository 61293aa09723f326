package com.harmony.affiliate;

import static com.harmony.affiliate.AffiliateFixtures.BROWSER;
import static com.harmony.affiliate.AffiliateFixtures.WAIT;
import static com.harmony.affiliate.AffiliateFixtures.approvedAffiliate;
import static com.harmony.affiliate.AffiliateFixtures.campaign;
import static com.harmony.affiliate.AffiliateFixtures.clientIp;
import static com.harmony.affiliate.AffiliateFixtures.newVisitorToken;
import static com.harmony.affiliate.AffiliateFixtures.paidOrder;
import static com.harmony.affiliate.AffiliateFixtures.referralCookie;
import static com.harmony.affiliate.AffiliateFixtures.visit;
import static com.harmony.affiliate.AffiliateFixtures.visitorId;
import static io.restassured.RestAssured.given;
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
import com.harmony.platform.OutboxWorker;
import com.harmony.platform.PersonalData.Erased;
import com.harmony.platform.PersonalData.Exported;
import com.harmony.platform.PersonalData.Person;
import com.harmony.platform.PersonalData.Purged;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The affiliate feature's part in access, erasure and retention (P12, P28). */
@QuarkusTest
class AffiliatePersonalDataTest {

    @Inject
    Pool pool;

    @Inject
    OutboxWorker outbox;

    @Inject
    CommissionLedger ledger;

    @Inject
    AffiliatePersonalData affiliates;

    /** An affiliate with a campaign, a visitor's visit through its link, and an order that visit brought, paid out. */
    private record Scene(Affiliate affiliate, String campaign, String visitorToken, String visitId, String buyerIp, SignedIn buyer, String orderId) {
    }

    private Scene scene() {
        Affiliate ada = approvedAffiliate();
        String campaign = campaign(ada);
        String token = newVisitorToken();
        String visitorIp = clientIp();
        var visit = visit(campaign, visitorIp, BROWSER + " scene-" + UUID.randomUUID(), token, null).then().statusCode(201).extract();
        SignedIn buyer = AuthFixtures.customer();
        String buyerIp = clientIp();
        String orderId = paidOrder(buyer, CartFixtures.variant(1000, 10), 1, buyerIp, Map.of(), referralCookie(visit.path("referral")))
                .path("id");
        AffiliateFixtures.drain(outbox);
        ledger.approveDueNow().await().atMost(WAIT);
        LocalDate today = LocalDate.now();
        given().auth().oauth2(AuthFixtures.admin().accessToken()).contentType(ContentType.JSON)
                .body(Map.of("period_from", today.minusDays(2).toString(), "period_to", today.plusDays(2).toString(), "currency", "USD"))
                .header("Idempotency-Key", UUID.randomUUID().toString()).post("/v1/admin/affiliate-payouts").then().statusCode(201);
        return new Scene(ada, campaign, token, visit.path("visit_id"), buyerIp, buyer, orderId);
    }

    @Test
    void findAndExportHoldTheAffiliatesMembershipCampaignsVisitsOrdersCommissionsAndPayouts_P13() {
        Scene s = scene();
        Person person = Person.customer(UUID.fromString(s.affiliate().who().accountId()), UUID.randomUUID());
        Map<String, Long> found = tx(conn -> affiliates.find(conn, person));
        assertEquals(Map.of("affiliate", 1L, "affiliate_campaign", 1L, "referral_visit", 1L, "affiliate_order", 1L, "commission", 1L,
                "affiliate_payout_line", 1L), found);
        List<Exported> exported = tx(conn -> affiliates.export(conn, person).collect().asList());
        assertEquals(found, exported.stream().collect(Collectors.groupingBy(Exported::table, Collectors.counting())));
        String membership = exported.stream().filter(e -> e.table().equals("affiliate")).findFirst().orElseThrow().json();
        assertTrue(membership.contains("payout_email") && membership.contains(s.affiliate().code()), membership);
        // the affiliate learns that its link brought a visit and an order, never who the visitor or the buyer was
        JsonObject visit = new JsonObject(exported.stream().filter(e -> e.table().equals("referral_visit")).findFirst().orElseThrow().json());
        for (String theirs : List.of("visitor_id", "ip", "user_agent", "landing_page", "referrer")) {
            assertFalse(visit.containsKey(theirs), theirs + " is the visitor's: " + visit);
        }
        assertTrue(visit.containsKey("created_at") && visit.containsKey("affiliate_id"), visit.encode());
        JsonObject order = new JsonObject(exported.stream().filter(e -> e.table().equals("affiliate_order")).findFirst().orElseThrow().json());
        assertFalse(order.containsKey("buyer_ip") || order.containsKey("buyer_account_id"), "the buyer's identity: " + order);
        assertFalse(order.encode().contains(s.buyerIp()) || order.encode().contains(s.buyer().accountId()), order.encode());

        Person buyer = Person.customer(UUID.fromString(s.buyer().accountId()), UUID.randomUUID());
        Map<String, Long> bought = tx(conn -> affiliates.find(conn, buyer));
        assertEquals(1L, bought.get("affiliate_order"), "the buyer reaches the attributed order: " + bought);
        assertEquals(0L, bought.get("commission"), "the commission is the affiliate's, not the buyer's");
        String boughtOrder = tx(conn -> affiliates.export(conn, buyer).collect().asList()).stream()
                .filter(e -> e.table().equals("affiliate_order")).findFirst().orElseThrow().json();
        assertTrue(new JsonObject(boughtOrder).containsKey("buyer_ip"), "the buyer's own export shows everything: " + boughtOrder);
        assertEquals(1L, tx(conn -> affiliates.find(conn, Person.visitor(UUID.fromString(visitorId(s.visitorToken())), UUID.randomUUID())))
                .get("referral_visit"));
    }

    @Test
    void erasureOfAnAffiliatePseudonymisesTheMembershipAndCampaigns_andKeepsTheAccountingRecords_P28() {
        Scene s = scene();
        Scene other = scene();
        UUID pseudonym = UUID.randomUUID();
        Person person = Person.customer(UUID.fromString(s.affiliate().who().accountId()), pseudonym);
        UUID affiliateId = UUID.fromString(s.affiliate().id());
        Row before = row("select website, payout_email from affiliate where id = $1", affiliateId);

        Map<String, Erased> erased = tx(conn -> affiliates.erase(conn, person)).stream().collect(Collectors.toMap(Erased::table, e -> e));
        assertEquals(1, erased.get("affiliate").rows());
        assertEquals("pseudonymised", erased.get("affiliate").action());
        assertEquals(1, erased.get("affiliate_campaign").rows());
        assertEquals("kept", erased.get("commission").action());
        assertEquals(1, erased.get("commission").rows());
        assertEquals(OffsetDateTime.now().getYear() + 7, erased.get("commission").keptUntil().getYear());
        assertEquals(1, erased.get("affiliate_payout_line").rows());

        Row after = row("select account_id, code, website, payout_email, decision_note, status, row_to_json(a)::text as doc from affiliate a where id = $1",
                affiliateId);
        assertEquals(pseudonym, after.getUUID("account_id"));
        assertEquals(person.pseudonymEmail(), after.getString("payout_email"));
        assertEquals("suspended", after.getString("status"), "the links stop earning");
        assertNull(after.getString("decision_note"));
        String doc = after.getString("doc");
        for (String trace : List.of(s.affiliate().who().accountId(), s.affiliate().code(), before.getString("website"),
                before.getString("payout_email"), "welcome")) {
            assertFalse(doc.contains(trace), trace + " left in " + doc);
        }
        Row campaign = row("select code, name from affiliate_campaign where affiliate_id = $1", affiliateId);
        assertNotEquals(s.campaign(), campaign.getString("code"));
        assertFalse(campaign.getString("name").contains(s.campaign()));
        assertEquals(1, count("select count(*) from commission where affiliate_id = $1", affiliateId), "the commission stays");
        assertEquals(s.buyerIp(), row("select buyer_ip from affiliate_order where order_id = $1", UUID.fromString(s.orderId())).getString("buyer_ip"),
                "the buyer's data is the buyer's: an affiliate's erasure leaves it to its own rule");
        given().header("X-Forwarded-For", clientIp()).contentType(ContentType.JSON).body(Map.of("code", s.affiliate().code()))
                .post("/v1/referrals").then().statusCode(404);

        Row untouched = row("select account_id::text as account, code from affiliate where id = $1", UUID.fromString(other.affiliate().id()));
        assertEquals(other.affiliate().who().accountId(), untouched.getString("account"));
        assertEquals(other.affiliate().code(), untouched.getString("code"));

        assertTrue(tx(conn -> affiliates.erase(conn, person)).stream().allMatch(e -> e.rows() == 0), "a second erasure finds nothing");
    }

    @Test
    void erasureOfABuyerPseudonymisesTheAttributedOrderAndClearsTheIpAddress_P28() {
        Scene s = scene();
        Scene other = scene();
        UUID pseudonym = UUID.randomUUID();
        Person buyer = Person.customer(UUID.fromString(s.buyer().accountId()), pseudonym);

        Erased order = tx(conn -> affiliates.erase(conn, buyer)).stream().filter(e -> e.table().equals("affiliate_order")).findFirst().orElseThrow();
        assertEquals("kept", order.action());
        assertEquals(1, order.rows());
        assertEquals(List.of("buyer_account_id", "buyer_ip"), order.columns());
        Row kept = row("select buyer_account_id, buyer_ip, affiliate_id::text as affiliate from affiliate_order where order_id = $1",
                UUID.fromString(s.orderId()));
        assertEquals(pseudonym, kept.getUUID("buyer_account_id"));
        assertNull(kept.getString("buyer_ip"));
        assertEquals(s.affiliate().id(), kept.getString("affiliate"), "the commission's basis stays");
        assertEquals(other.buyerIp(), row("select buyer_ip from affiliate_order where order_id = $1", UUID.fromString(other.orderId()))
                .getString("buyer_ip"));
        assertEquals(s.affiliate().code(), row("select code from affiliate where id = $1", UUID.fromString(s.affiliate().id())).getString("code"),
                "the affiliate is someone else");
        assertTrue(tx(conn -> affiliates.erase(conn, buyer)).stream().allMatch(e -> e.rows() == 0));
    }

    @Test
    void erasureOfAVisitorClearsItsVisits_whichStayAsAnonymousCounts_P28() {
        Scene s = scene();
        Scene other = scene();
        Person visitor = Person.visitor(UUID.fromString(visitorId(s.visitorToken())), UUID.randomUUID());

        Erased visits = tx(conn -> affiliates.erase(conn, visitor)).stream().filter(e -> e.table().equals("referral_visit")).findFirst()
                .orElseThrow();
        assertEquals("cleared", visits.action());
        assertEquals(1, visits.rows());
        Row cleared = row("select visitor_id, ip, user_agent, landing_page, referrer, affiliate_id::text as affiliate, network_data_removed_at "
                + "from referral_visit where id = $1", UUID.fromString(s.visitId()));
        for (String column : List.of("visitor_id", "ip", "user_agent", "landing_page", "referrer")) {
            assertNull(cleared.getValue(column), column);
        }
        assertNotNull(cleared.getValue("network_data_removed_at"));
        assertEquals(s.affiliate().id(), cleared.getString("affiliate"), "the visit still counts for the affiliate");
        Row kept = row("select visitor_id::text as visitor, ip from referral_visit where id = $1", UUID.fromString(other.visitId()));
        assertEquals(visitorId(other.visitorToken()), kept.getString("visitor"));
        assertNotNull(kept.getString("ip"));
        assertTrue(tx(conn -> affiliates.erase(conn, visitor)).stream().allMatch(e -> e.rows() == 0));
    }

    @Test
    void theRetentionRunDeletesAccountingRecordsAfterSevenYears_visitsAfterTwo_andEndsOldMemberships_onlyOnce_P28() {
        Scene old = scene();
        Scene young = scene();
        UUID oldOrder = UUID.fromString(old.orderId());
        update("update commission set created_at = now() - interval '8 years' where order_id = $1", oldOrder);
        update("update affiliate_order set created_at = now() - interval '8 years' where order_id = $1", oldOrder);
        update("update referral_visit set created_at = now() - interval '8 years' where id = $1", UUID.fromString(old.visitId()));
        update("update affiliate_payout set created_at = now() - interval '8 years' where id in "
                + "(select payout_id from affiliate_payout_line where affiliate_id = $1)", UUID.fromString(old.affiliate().id()));
        // a visit that brought no order goes after two years; one of the young scene's orders stays with its visit
        String lone = visit(young.affiliate().code(), clientIp()).then().statusCode(201).extract().path("visit_id");
        update("update referral_visit set created_at = now() - interval '2 years 1 day' where id = any($1)",
                (Object) new UUID[] {UUID.fromString(lone), UUID.fromString(young.visitId())});
        UUID event = UUID.randomUUID();
        update("insert into affiliate_event_applied (event_id, applied_at) values ($1, now() - interval '91 days')", event);
        // an application rejected eight years ago loses its identity; a recent rejection keeps it
        SignedIn former = AuthFixtures.customer();
        String formerId = AffiliateFixtures.apply(former, AffiliateFixtures.application()).then().statusCode(201).extract().path("id");
        AffiliateFixtures.decide(AuthFixtures.admin().accessToken(), formerId, "reject").then().statusCode(200);
        update("update affiliate set applied_at = now() - interval '8 years', decided_at = now() - interval '8 years' where id = $1",
                UUID.fromString(formerId));
        SignedIn recent = AuthFixtures.customer();
        String recentId = AffiliateFixtures.apply(recent, AffiliateFixtures.application()).then().statusCode(201).extract().path("id");
        AffiliateFixtures.decide(AuthFixtures.admin().accessToken(), recentId, "reject").then().statusCode(200);

        List<Purged> first = tx(conn -> affiliates.purge(conn));
        assertEquals(0, count("select count(*) from commission where order_id = $1", oldOrder), first.toString());
        assertEquals(0, count("select count(*) from affiliate_order where order_id = $1", oldOrder));
        assertEquals(0, count("select count(*) from referral_visit where id = $1", UUID.fromString(old.visitId())),
                "the visit goes once no order rests on it");
        assertEquals(0, count("select count(*) from affiliate_payout_line where affiliate_id = $1", UUID.fromString(old.affiliate().id())));
        assertEquals(0, count("select count(*) from referral_visit where id = $1", UUID.fromString(lone)));
        assertEquals(1, count("select count(*) from referral_visit where id = $1", UUID.fromString(young.visitId())),
                "a visit an attributed order rests on stays");
        assertEquals(1, count("select count(*) from commission where order_id = $1", UUID.fromString(young.orderId())));
        assertEquals(0, count("select count(*) from affiliate_event_applied where event_id = $1", event));
        Row gone = row("select account_id::text as account, payout_email, website from affiliate where id = $1", UUID.fromString(formerId));
        assertNotEquals(former.accountId(), gone.getString("account"));
        assertTrue(gone.getString("payout_email").endsWith("@erased.invalid"));
        assertEquals(recent.accountId(), row("select account_id::text as account from affiliate where id = $1", UUID.fromString(recentId))
                .getString("account"));
        assertEquals(old.affiliate().who().accountId(), row("select account_id::text as account from affiliate where id = $1",
                UUID.fromString(old.affiliate().id())).getString("account"), "an approved affiliate keeps its membership");

        List<Purged> second = tx(conn -> affiliates.purge(conn));
        assertTrue(second.stream().allMatch(p -> p.rows() == 0), "a second run finds nothing: " + second);
        assertEquals(gone.getString("account"), row("select account_id::text as account from affiliate where id = $1", UUID.fromString(formerId))
                .getString("account"));
    }

    private <T> T tx(Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(work).await().atMost(WAIT);
    }

    private Row row(String sql, Object... params) {
        return AffiliateFixtures.row(pool, sql, params);
    }

    private long count(String sql, Object... params) {
        return AffiliateFixtures.count(pool, sql, params);
    }

    private void update(String sql, Object... params) {
        pool.preparedQuery(sql).execute(Tuple.from(params)).await().atMost(WAIT);
    }
}
