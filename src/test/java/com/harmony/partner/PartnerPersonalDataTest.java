package com.harmony.partner;

import static com.harmony.PersonalDataChecks.count;
import static com.harmony.PersonalDataChecks.erase;
import static com.harmony.PersonalDataChecks.execute;
import static com.harmony.PersonalDataChecks.export;
import static com.harmony.PersonalDataChecks.find;
import static com.harmony.PersonalDataChecks.purge;
import static com.harmony.PersonalDataChecks.purged;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import com.harmony.PersonalDataChecks.ExportedRow;
import com.harmony.platform.DataMap;
import com.harmony.platform.PersonalData.Erased;
import com.harmony.platform.PersonalData.Person;
import io.restassured.http.ContentType;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The partner feature's part in export, erasure and retention (P28): a partner's contact, deliveries kept 30 days. */
@QuarkusTest
class PartnerPersonalDataTest {

    @Inject
    Pool pool;
    @Inject
    PartnerPersonalData partner;

    private static Person contact(String email) {
        return new Person(DataMap.Subject.PARTNER_CONTACT, null, null, email.toUpperCase(), UUID.randomUUID());
    }

    private static String subscribe(PartnerFixtures.Client c) {
        return given().auth().oauth2(PartnerFixtures.token(c)).contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:9/hook", "event_types", List.of("stock.changed"))).post("/v1/partner/webhooks")
                .then().statusCode(201).extract().path("subscription.id");
    }

    @Test
    void P28_aPartnerContactIsExportedWithoutSecrets_andErasureClearsTheEmailButKeepsTheClient() {
        PartnerFixtures.Client c = PartnerFixtures.client("catalog:read", "webhooks:manage");
        PartnerFixtures.Client other = PartnerFixtures.client("catalog:read");
        String subscription = subscribe(c);
        Person person = contact(c.contactEmail());

        assertEquals(Map.of("partner_client", 1L, "webhook_subscription", 1L), find(pool, partner, person));
        List<ExportedRow> rows = export(pool, partner, person);
        assertEquals(1, rows.size());
        assertEquals(c.contactEmail(), rows.get(0).json().get("contact_email").asText());
        assertFalse(rows.get(0).json().has("secret_hash"), "credentials are never exported");
        assertFalse(rows.get(0).json().toString().contains("whsec_"));

        Erased erased = erase(pool, partner, person).get(0);
        assertEquals("cleared", erased.action());
        assertEquals(1, erased.rows());
        assertEquals(0, count(pool, "select count(*) from partner_client where lower(contact_email) = lower($1)", c.contactEmail()));
        assertEquals(1, count(pool, "select count(*) from partner_client where lower(contact_email) = lower($1)", other.contactEmail()));
        // the partner organisation's client and subscription stay, and work
        PartnerFixtures.tokenRequest(c.id(), c.secret(), null).then().statusCode(200);
        assertEquals(1, count(pool, "select count(*) from webhook_subscription where id = $1", UUID.fromString(subscription)));
        assertEquals(Map.of("partner_client", 0L, "webhook_subscription", 0L), find(pool, partner, person));
        execute(pool, "delete from webhook_subscription where id = $1", UUID.fromString(subscription));
    }

    @Test
    void P28_customersVisitorsAndGuestBuyersReachNoPartnerRow() {
        PartnerFixtures.Client c = PartnerFixtures.client("catalog:read");
        for (Person p : List.of(Person.guestBuyer(c.contactEmail(), null, UUID.randomUUID()), Person.customer(UUID.randomUUID(), UUID.randomUUID()),
                Person.visitor(UUID.randomUUID(), UUID.randomUUID()))) {
            assertEquals(List.of(), erase(pool, partner, p));
            assertEquals(Map.of(), find(pool, partner, p));
            assertTrue(export(pool, partner, p).isEmpty());
        }
    }

    @Test
    void P28_theRetentionRunDeletesDeliveriesAndAttemptsAfter30Days_andRevokedClientsAfterAYear() {
        PartnerFixtures.Client old = PartnerFixtures.client("catalog:read", "webhooks:manage");
        String subscription = subscribe(old);
        UUID oldDelivery = UUID.randomUUID();
        UUID recentDelivery = UUID.randomUUID();
        UUID pendingDelivery = UUID.randomUUID();
        for (UUID d : List.of(oldDelivery, recentDelivery, pendingDelivery)) {
            execute(pool, "insert into webhook_delivery (id, subscription_id, event_id, event_type, payload, retry_until, status) "
                    + "values ($1, $2, $3, 'stock.changed', '{}'::jsonb, now(), $4)", d, UUID.fromString(subscription), UUID.randomUUID(),
                    d.equals(pendingDelivery) ? "pending" : "delivered");
            execute(pool, "insert into webhook_attempt (delivery_id, latency_ms, response_status) values ($1, 12, 200)", d);
        }
        execute(pool, "update webhook_delivery set created_at = now() - interval '31 days' where id = any($1)",
                (Object) new UUID[] {oldDelivery, pendingDelivery});
        execute(pool, "update webhook_attempt set attempted_at = now() - interval '31 days' where delivery_id = $1", oldDelivery);

        var first = purge(pool, partner);
        assertTrue(purged(first, "webhook_delivery") >= 1);
        assertTrue(purged(first, "webhook_attempt") >= 1);
        assertEquals(0, count(pool, "select count(*) from webhook_delivery where id = $1", oldDelivery));
        assertEquals(1, count(pool, "select count(*) from webhook_delivery where id = $1", recentDelivery));
        assertEquals(1, count(pool, "select count(*) from webhook_delivery where id = $1", pendingDelivery), "a pending delivery still has work to do");
        assertEquals(1, count(pool, "select count(*) from webhook_attempt where delivery_id = $1", recentDelivery));

        given().auth().oauth2(AuthFixtures.admin().accessToken()).post("/v1/admin/partner-clients/" + old.id() + "/revocation").then().statusCode(200);
        assertEquals(1, count(pool, "select count(*) from partner_client where id = $1", UUID.fromString(old.id())), "kept a year after revocation");
        purge(pool, partner);
        assertEquals(1, count(pool, "select count(*) from partner_client where id = $1", UUID.fromString(old.id())));
        execute(pool, "update partner_client set revoked_at = now() - interval '366 days' where id = $1", UUID.fromString(old.id()));
        assertTrue(purged(purge(pool, partner), "partner_client") >= 1);
        assertEquals(0, count(pool, "select count(*) from partner_client where id = $1", UUID.fromString(old.id())));
        assertEquals(0, count(pool, "select count(*) from webhook_subscription where id = $1", UUID.fromString(subscription)), "its subscriptions go with it");
    }
}
