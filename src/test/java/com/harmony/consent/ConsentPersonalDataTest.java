package com.harmony.consent;

import static com.harmony.PersonalDataChecks.count;
import static com.harmony.PersonalDataChecks.erase;
import static com.harmony.PersonalDataChecks.export;
import static com.harmony.PersonalDataChecks.find;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import com.harmony.AuthFixtures.SignedIn;
import com.harmony.PersonalDataChecks.ExportedRow;
import com.harmony.platform.PersonalData.Erased;
import com.harmony.platform.PersonalData.Person;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Consent's part in export and erasure (P13, P16, P28): the history of a person's choices. */
@QuarkusTest
class ConsentPersonalDataTest {

    @Inject
    Pool pool;

    @Inject
    ConsentPersonalData consents;

    private static SignedIn customerWithChoices() {
        SignedIn c = AuthFixtures.customer();
        given().auth().oauth2(c.accessToken()).contentType(ContentType.JSON).body(Map.of("marketing_email", true, "personalisation", true))
                .patch("/v1/me/consents").then().statusCode(200);
        given().auth().oauth2(c.accessToken()).contentType(ContentType.JSON).body(Map.of("marketing_email", false))
                .patch("/v1/me/consents").then().statusCode(200);
        return c;
    }

    private static UUID visitorWithChoices() {
        Response r = given().header("X-Forwarded-For", AuthFixtures.randomClient()).post("/v1/visitors").then().statusCode(201).extract().response();
        given().header("X-Visitor-Token", (String) r.path("token")).contentType(ContentType.JSON).body(Map.of("analytics", true))
                .put("/v1/cookie-preferences").then().statusCode(200);
        return UUID.fromString(r.path("id"));
    }

    @Test
    void customersChoicesAreExportedAndErased_anothersStay_P13_P28() {
        SignedIn ada = customerWithChoices();
        SignedIn other = customerWithChoices();
        UUID id = UUID.fromString(ada.accountId());
        Person person = Person.customer(id, UUID.randomUUID());
        long held = count(pool, "select count(*) from consent_event where account_id = $1", id);
        assertTrue(held >= 3, "the two changes of marketing email and personalisation: " + held);

        assertEquals(Map.of("consent_event", held), find(pool, consents, person));
        List<ExportedRow> rows = export(pool, consents, person);
        assertEquals(held, rows.size());
        rows.forEach(r -> {
            assertEquals(ada.accountId(), r.json().get("account_id").asText());
            assertTrue(r.json().has("purpose") && r.json().has("granted") && r.json().has("source") && r.json().has("recorded_at"), r.json()::toString);
        });
        assertTrue(rows.stream().anyMatch(r -> r.json().get("purpose").asText().equals("personalisation") && r.json().get("granted").asBoolean()));

        assertEquals(List.of(Erased.deleted("consent_event", held)), erase(pool, consents, person));
        assertEquals(0, count(pool, "select count(*) from consent_event where account_id = $1", id));
        assertTrue(count(pool, "select count(*) from consent_event where account_id = $1", UUID.fromString(other.accountId())) >= 3);
        assertEquals(List.of(Erased.deleted("consent_event", 0)), erase(pool, consents, person), "a second run finds nothing");
    }

    @Test
    void visitorsChoicesAreErasedByTheVisitorId_P28() {
        UUID visitor = visitorWithChoices();
        UUID other = visitorWithChoices();
        Person person = Person.visitor(visitor, UUID.randomUUID());
        long held = count(pool, "select count(*) from consent_event where visitor_id = $1", visitor);
        assertTrue(held >= 1);
        assertEquals(held, export(pool, consents, person).size());

        assertEquals(List.of(Erased.deleted("consent_event", held)), erase(pool, consents, person));
        assertEquals(0, count(pool, "select count(*) from consent_event where visitor_id = $1", visitor));
        assertTrue(count(pool, "select count(*) from consent_event where visitor_id = $1", other) >= 1);
        assertEquals(List.of(Erased.deleted("consent_event", 0)), erase(pool, consents, person));
    }
}
