package com.harmony.marketing;

import static com.harmony.PersonalDataChecks.count;
import static com.harmony.PersonalDataChecks.erase;
import static com.harmony.PersonalDataChecks.execute;
import static com.harmony.PersonalDataChecks.export;
import static com.harmony.PersonalDataChecks.exported;
import static com.harmony.PersonalDataChecks.find;
import static com.harmony.PersonalDataChecks.of;
import static com.harmony.PersonalDataChecks.purge;
import static com.harmony.PersonalDataChecks.purged;
import static com.harmony.PersonalDataChecks.query;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import com.harmony.AuthFixtures.SignedIn;
import com.harmony.PersonalDataChecks.ExportedRow;
import com.harmony.platform.OutboxWorker;
import com.harmony.platform.PersonalData.Erased;
import com.harmony.platform.PersonalData.Person;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Marketing's part in export, erasure and retention (P7, P13, P16, P28). */
@QuarkusTest
class MarketingPersonalDataTest {

    @Inject
    Pool pool;

    @Inject
    OutboxWorker outbox;

    @Inject
    MarketingPersonalData marketing;

    private static SignedIn subscriberWithAttributes(String interest) {
        SignedIn c = AuthFixtures.customer();
        given().auth().oauth2(c.accessToken()).contentType(ContentType.JSON).body(Map.of("marketing_email", true))
                .patch("/v1/me/consents").then().statusCode(200);
        given().auth().oauth2(AuthFixtures.admin().accessToken()).contentType(ContentType.JSON)
                .body(Map.of("source", "Acme Data Co", "received_at", "2026-11-01T10:00:00Z", "attributes", Map.of("interest", interest)))
                .put("/v1/admin/accounts/" + c.accountId() + "/partner-attributes").then().statusCode(200);
        return c;
    }

    /** Sends a campaign to everyone who allows marketing email and delivers it. */
    private UUID campaign() {
        String subject = "Winter offers " + UUID.randomUUID();
        given().auth().oauth2(AuthFixtures.admin().accessToken()).contentType(ContentType.JSON)
                .body(Map.of("subject", subject, "body", "Everything is warm this week.")).post("/v1/admin/marketing/emails").then().statusCode(202);
        for (int i = 0; i < 50 && outbox.publishDue().await().atMost(Duration.ofSeconds(30)) > 0; i++) {
            // until the outbox is drained
        }
        return query(pool, "select id from marketing_campaign where subject = $1", subject).get(0).getUUID("id");
    }

    @Test
    void attributesAreErased_andDeliveriesLoseTheirAccount_theCampaignsCountStays_P13_P28() {
        String interest = "knitting-" + UUID.randomUUID().toString().substring(0, 8);
        SignedIn ada = subscriberWithAttributes(interest);
        SignedIn other = subscriberWithAttributes("sailing");
        UUID campaign = campaign();
        UUID id = UUID.fromString(ada.accountId());
        Person person = Person.customer(id, UUID.randomUUID());
        long sentToAda = count(pool, "select count(*) from marketing_delivery where account_id = $1", id);
        long sentInCampaign = count(pool, "select count(*) from marketing_delivery where campaign_id = $1", campaign);
        assertEquals(1, count(pool, "select count(*) from marketing_delivery where account_id = $1 and campaign_id = $2", id, campaign));

        assertEquals(Map.of("partner_attribute", 1L, "marketing_delivery", sentToAda), find(pool, marketing, person));
        List<ExportedRow> rows = export(pool, marketing, person);
        assertEquals(interest, exported(rows, "partner_attribute").get(0).json().get("value").asText());
        assertEquals("Acme Data Co", exported(rows, "partner_attribute").get(0).json().get("source").asText());
        assertEquals(sentToAda, exported(rows, "marketing_delivery").size());

        List<Erased> erased = erase(pool, marketing, person);
        assertEquals(Erased.deleted("partner_attribute", 1), of(erased, "partner_attribute"));
        assertEquals(Erased.cleared("marketing_delivery", sentToAda, List.of("account_id")), of(erased, "marketing_delivery"));
        assertEquals(0, count(pool, "select count(*) from partner_attribute where value = $1", interest));
        assertEquals(0, count(pool, "select count(*) from marketing_delivery where account_id = $1", id));
        assertEquals(sentInCampaign, count(pool, "select count(*) from marketing_delivery where campaign_id = $1", campaign),
                "the anonymous delivery stays, so a redelivered event still sends nothing twice");
        assertEquals(1, count(pool, "select count(*) from partner_attribute where account_id = $1", UUID.fromString(other.accountId())));
        assertEquals(1, count(pool, "select count(*) from marketing_delivery where account_id = $1 and campaign_id = $2",
                UUID.fromString(other.accountId()), campaign));

        List<Erased> again = erase(pool, marketing, person);
        again.forEach(e -> assertEquals(0, e.rows(), "a second run finds nothing: " + e));
    }

    @Test
    void purgeDeletesDeliveriesTwoYearsOld_keepsNewerOnes_safeTwice_P28() {
        SignedIn ada = subscriberWithAttributes("chess");
        UUID old = campaign();
        UUID recent = campaign();
        UUID id = UUID.fromString(ada.accountId());
        execute(pool, "update marketing_delivery set delivered_at = now() - interval '2 years 1 day' where campaign_id = $1", old);
        execute(pool, "update marketing_delivery set delivered_at = now() - interval '2 years' + interval '1 day' where campaign_id = $1", recent);

        assertTrue(purged(purge(pool, marketing), "marketing_delivery") >= 1);
        assertEquals(0, count(pool, "select count(*) from marketing_delivery where campaign_id = $1", old));
        assertEquals(1, count(pool, "select count(*) from marketing_delivery where campaign_id = $1 and account_id = $2", recent, id));

        assertEquals(0, purged(purge(pool, marketing), "marketing_delivery"), "a second run finds nothing more");
        assertEquals(1, count(pool, "select count(*) from partner_attribute where account_id = $1", id), "attributes stay while the account does");
    }
}
