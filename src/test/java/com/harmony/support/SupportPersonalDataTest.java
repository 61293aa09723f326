package com.harmony.support;

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
import com.harmony.platform.PersonalData.Erased;
import com.harmony.platform.PersonalData.Person;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Support's part in export, erasure and retention (P3, P13, P28). */
@QuarkusTest
class SupportPersonalDataTest {

    @Inject
    Pool pool;

    @Inject
    SupportPersonalData support;

    private static String record(Map<String, Object> body) {
        return given().auth().oauth2(AuthFixtures.admin().accessToken()).contentType(ContentType.JSON).body(body)
                .post("/v1/admin/support-contacts").then().statusCode(201).extract().path("id");
    }

    private static Map<String, Object> aboutAccount(String accountId, String notes) {
        return Map.of("account_id", accountId, "channel", "phone", "reason", "delivery", "notes", notes);
    }

    @Test
    void contactsAboutACustomerAreExportedAndErasedWithTheAgentsNotes_anothersStay_P13_P28() {
        SignedIn ada = AuthFixtures.customer();
        SignedIn other = AuthFixtures.customer();
        String notes = "Lives at 7 Erasable Lane, card ending 4242 " + UUID.randomUUID();
        record(aboutAccount(ada.accountId(), notes));
        record(aboutAccount(ada.accountId(), "Second call " + UUID.randomUUID()));
        record(aboutAccount(other.accountId(), "Someone else " + UUID.randomUUID()));
        Person person = Person.customer(UUID.fromString(ada.accountId()), UUID.randomUUID());

        assertEquals(Map.of("support_contact", 2L), find(pool, support, person));
        assertTrue(export(pool, support, person).stream().anyMatch(r -> r.json().get("notes").asText().equals(notes)));

        assertEquals(List.of(Erased.deleted("support_contact", 2)), erase(pool, support, person));
        assertEquals(0, count(pool, "select count(*) from support_contact where notes = $1", notes));
        assertEquals(1, count(pool, "select count(*) from support_contact where account_id = $1", UUID.fromString(other.accountId())));
        assertEquals(List.of(Erased.deleted("support_contact", 0)), erase(pool, support, person), "a second run finds nothing");
    }

    @Test
    void purgeDeletesContactsThreeYearsOld_callersToo_keepsNewer_safeTwice_P28() {
        SignedIn ada = AuthFixtures.customer();
        String old = record(Map.of("caller", Map.of("name", "Grace Oldcaller", "phone", "+1 703 555 0199"), "channel", "phone",
                "reason", "product", "notes", "Asked about mugs " + UUID.randomUUID()));
        String recent = record(aboutAccount(ada.accountId(), "Recent " + UUID.randomUUID()));
        execute(pool, "update support_contact set created_at = now() - interval '3 years 1 day' where id = $1", UUID.fromString(old));
        execute(pool, "update support_contact set created_at = now() - interval '3 years' + interval '1 day' where id = $1", UUID.fromString(recent));

        assertTrue(purged(purge(pool, support), "support_contact") >= 1);
        assertEquals(0, count(pool, "select count(*) from support_contact where id = $1", UUID.fromString(old)));
        assertEquals(1, count(pool, "select count(*) from support_contact where id = $1", UUID.fromString(recent)));
        assertEquals(0, purged(purge(pool, support), "support_contact"), "a second run finds nothing more");
    }
}
