package com.harmony.legal;

import static com.harmony.PersonalDataChecks.count;
import static com.harmony.PersonalDataChecks.erase;
import static com.harmony.PersonalDataChecks.execute;
import static com.harmony.PersonalDataChecks.export;
import static com.harmony.PersonalDataChecks.find;
import static com.harmony.PersonalDataChecks.purge;
import static com.harmony.PersonalDataChecks.purged;
import static com.harmony.PersonalDataChecks.query;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import com.harmony.PersonalDataChecks.ExportedRow;
import com.harmony.platform.DataMap;
import com.harmony.platform.PersonalData.Erased;
import com.harmony.platform.PersonalData.Person;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Legal's part in export, erasure and retention (P27, P28): a notice is kept as a record, with its complainant removed. */
@QuarkusTest
class LegalPersonalDataTest {

    @Inject
    Pool pool;

    @Inject
    LegalPersonalData legal;

    /** A complainant whose every value is theirs alone. */
    private record Complainant(String email, String signature, String owner, String phone, String street, String city, String postalCode) {

        static Complainant unique() {
            String s = UUID.randomUUID().toString().substring(0, 8);
            return new Complainant(AuthFixtures.uniqueEmail(), "Jane Erasable " + s, "Studio " + s + " LLC",
                    // seven random digits: four alone met another test's notice now and then, and the search counts every notice
                    "+1 212 " + (200 + new java.util.Random().nextInt(800)) + " " + (1000 + new java.util.Random().nextInt(9000)),
                    s + " Lake Road", "Lakeside " + s, "Z" + s.substring(0, 6));
        }

        Person person() {
            return new Person(DataMap.Subject.COMPLAINANT, null, null, email.toUpperCase(), UUID.randomUUID());
        }

        List<String> values() {
            return List.of(email, signature, owner, phone, street, city, postalCode);
        }
    }

    private static String file(Complainant c) {
        Map<String, Object> address = new HashMap<>(Map.of("name", c.signature(), "line1", c.street(), "city", c.city(),
                "postal_code", c.postalCode(), "country", "US"));
        Map<String, Object> body = new HashMap<>();
        body.put("signature", c.signature());
        body.put("copyright_owner", c.owner());
        body.put("copyrighted_work", "Photograph \"Lake at Dawn\" by " + c.signature() + " for " + c.owner());
        body.put("infringing_material", "The main image of the Lakeside mug; ask " + c.signature());
        body.put("infringing_urls", List.of("https://theharmonycompany.com/products/lakeside-mug"));
        body.put("address", address);
        body.put("phone", c.phone());
        body.put("email", c.email());
        body.put("good_faith_statement", true);
        body.put("accuracy_statement", true);
        return given().header("X-Forwarded-For", AuthFixtures.randomClient()).contentType(ContentType.JSON).body(body)
                .post("/v1/copyright-notices").then().statusCode(202).extract().path("id");
    }

    /** Every text of the notice row, so a search for a value finds it wherever it was put. */
    private long noticesHolding(String value) {
        return count(pool, "select count(*) from copyright_notice t where strpos(lower(to_jsonb(t)::text), lower($1)) > 0", value);
    }

    @Test
    void complainantsNoticeIsKeptAsTheRecord_withSignatureOwnerAddressPhoneAndEmailRemoved_P27_P28() {
        Complainant jane = Complainant.unique();
        Complainant other = Complainant.unique();
        String id = file(jane);
        file(other);
        given().auth().oauth2(AuthFixtures.admin().accessToken()).contentType(ContentType.JSON)
                .body(Map.of("outcome", "removed", "note", "Image replaced; " + jane.signature() + " told on " + jane.phone()))
                .post("/v1/admin/copyright-notices/" + id + "/handling").then().statusCode(200);
        Person person = jane.person();

        assertEquals(Map.of("copyright_notice", 1L), find(pool, legal, person), "reached by the notice's email, whatever its case");
        List<ExportedRow> rows = export(pool, legal, person);
        assertEquals(1, rows.size());
        assertEquals(jane.signature(), rows.get(0).json().get("signature").asText());
        assertEquals(jane.street(), rows.get(0).json().get("line1").asText());

        OffsetDateTime received = query(pool, "select received_at from copyright_notice where id = $1", UUID.fromString(id)).get(0)
                .getOffsetDateTime("received_at");
        Erased erased = erase(pool, legal, person).get(0);
        assertEquals("kept", erased.action());
        assertEquals(1, erased.rows());
        assertEquals(DataMap.load().table("copyright_notice").retention().rule(), erased.rule());
        assertEquals(received.plusYears(3).truncatedTo(ChronoUnit.SECONDS), erased.keptUntil().truncatedTo(ChronoUnit.SECONDS));
        assertTrue(erased.columns().containsAll(List.of("signature", "copyright_owner", "addressee", "line1", "city", "postal_code", "phone",
                "email", "handling_note")), erased.columns()::toString);

        for (String value : jane.values()) {
            assertEquals(0, noticesHolding(value), value + " is gone from every column");
        }
        Row kept = query(pool, "select email, status, outcome, infringing_urls, copyrighted_work, handling_note from copyright_notice where id = $1",
                UUID.fromString(id)).get(0);
        assertEquals("erased-" + id + "@erased.invalid", kept.getString("email"), "not the person's pseudonym: nothing links it to their other records");
        assertEquals("handled", kept.getString("status"));
        assertEquals("removed", kept.getString("outcome"));
        assertEquals("https://theharmonycompany.com/products/lakeside-mug", kept.getArrayOfStrings("infringing_urls")[0]);
        assertTrue(kept.getString("copyrighted_work").startsWith("Photograph \"Lake at Dawn\" by [erased]"), kept.getString("copyrighted_work"));
        assertTrue(kept.getString("handling_note").startsWith("Image replaced; "), "what was done stays: " + kept.getString("handling_note"));
        for (String value : other.values()) {
            assertEquals(1, noticesHolding(value), value + " of another complainant stays");
        }

        assertEquals(0, erase(pool, legal, person).get(0).rows(), "a second run finds nothing");
    }

    @Test
    void aCustomerWhoFiledWithTheAccountsEmailReachesTheNotice_andItsErasureAnonymisesIt_P27_P28() {
        Complainant jane = Complainant.unique();
        String id = file(jane);
        Person customer = new Person(DataMap.Subject.CUSTOMER, UUID.randomUUID(), null, jane.email().toUpperCase(), UUID.randomUUID());

        assertEquals(Map.of("copyright_notice", 1L), find(pool, legal, customer));
        assertEquals(1, export(pool, legal, customer).size());
        assertEquals(1, erase(pool, legal, customer).get(0).rows());
        for (String value : jane.values()) {
            assertEquals(0, noticesHolding(value), value + " is gone from every column");
        }
        Row kept = query(pool, "select postal_code, country from copyright_notice where id = $1", UUID.fromString(id)).get(0);
        assertEquals("ERASED", kept.getString("postal_code"));
        assertEquals("ZZ", kept.getString("country"));
    }

    @Test
    void visitorsGuestBuyersAndCustomersOfAnotherAddressReachNoNotice_P28() {
        Complainant jane = Complainant.unique();
        file(jane);
        for (Person p : List.of(Person.guestBuyer(jane.email(), null, UUID.randomUUID()), Person.customer(UUID.randomUUID(), UUID.randomUUID()),
                Person.visitor(UUID.randomUUID(), UUID.randomUUID()))) {
            assertEquals(List.of(), erase(pool, legal, p));
            assertEquals(Map.of(), find(pool, legal, p));
            assertTrue(export(pool, legal, p).isEmpty());
        }
        assertEquals(1, noticesHolding(jane.signature()));
    }

    @Test
    void purgeDeletesNoticesThreeYearsAfterReceipt_keepsNewer_safeTwice_P28() {
        Complainant old = Complainant.unique();
        Complainant recent = Complainant.unique();
        String oldId = file(old);
        String recentId = file(recent);
        execute(pool, "update copyright_notice set received_at = now() - interval '3 years 1 day' where id = $1", UUID.fromString(oldId));
        execute(pool, "update copyright_notice set received_at = now() - interval '3 years' + interval '1 day' where id = $1", UUID.fromString(recentId));

        assertTrue(purged(purge(pool, legal), "copyright_notice") >= 1);
        assertEquals(0, count(pool, "select count(*) from copyright_notice where id = $1", UUID.fromString(oldId)));
        assertEquals(1, count(pool, "select count(*) from copyright_notice where id = $1", UUID.fromString(recentId)));
        assertEquals(0, purged(purge(pool, legal), "copyright_notice"), "a second run finds nothing more");
        assertEquals(1, noticesHolding(recent.email()));
    }
}
