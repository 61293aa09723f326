package com.harmony.feedback;

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
import com.harmony.PersonalDataChecks.ExportedRow;
import com.harmony.platform.PersonalData.Erased;
import com.harmony.platform.PersonalData.Person;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Feedback's part in export, erasure and retention (P6, P13, P28). */
@QuarkusTest
class FeedbackPersonalDataTest {

    @Inject
    Pool pool;

    @Inject
    FeedbackPersonalData feedback;

    private static RequestSpecification client() {
        return given().header("X-Forwarded-For", AuthFixtures.randomClient()).contentType(ContentType.JSON);
    }

    private static String send(RequestSpecification who, String message, String contactEmail) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("topic", "order", "message", message));
        if (contactEmail != null) {
            body.put("contact_email", contactEmail);
        }
        return who.body(body).post("/v1/feedback").then().statusCode(201).extract().path("id");
    }

    @Test
    void customersAndVisitorsFeedbackIsExportedAndErased_withStaffNotes_anothersStays_P13_P28() {
        SignedIn ada = AuthFixtures.customer();
        SignedIn other = AuthFixtures.customer();
        String phone = "+1 217 555 " + (1000 + new java.util.Random().nextInt(9000));
        String message = "Call me on " + phone + " about order H-" + UUID.randomUUID();
        String id = send(client().auth().oauth2(ada.accessToken()), message, ada.email());
        given().auth().oauth2(AuthFixtures.admin().accessToken()).contentType(ContentType.JSON).body(Map.of("note", "Called " + phone))
                .post("/v1/admin/feedback/" + id + "/resolution").then().statusCode(200);
        send(client().auth().oauth2(other.accessToken()), "Someone else's " + UUID.randomUUID(), other.email());
        Person customer = Person.customer(UUID.fromString(ada.accountId()), UUID.randomUUID());

        assertEquals(Map.of("feedback", 1L), find(pool, feedback, customer));
        List<ExportedRow> rows = export(pool, feedback, customer);
        assertEquals(message, rows.get(0).json().get("message").asText());
        assertEquals(ada.email(), rows.get(0).json().get("contact_email").asText());
        assertEquals("Called " + phone, rows.get(0).json().get("resolution_note").asText());

        assertEquals(List.of(Erased.deleted("feedback", 1)), erase(pool, feedback, customer));
        assertEquals(0, count(pool, "select count(*) from feedback where message like '%' || $1 || '%' or resolution_note like '%' || $1 || '%' "
                + "or contact_email = $2", phone, ada.email()));
        assertEquals(1, count(pool, "select count(*) from feedback where account_id = $1", UUID.fromString(other.accountId())));
        assertEquals(List.of(Erased.deleted("feedback", 0)), erase(pool, feedback, customer), "a second run finds nothing");

        String token = given().header("X-Forwarded-For", AuthFixtures.randomClient()).post("/v1/visitors").then().statusCode(201).extract().path("token");
        send(client().header("X-Visitor-Token", token), "From a browser " + UUID.randomUUID(), null);
        Person visitor = Person.visitor(UUID.fromString(token.substring(0, 36)), UUID.randomUUID());
        assertEquals(Map.of("feedback", 1L), find(pool, feedback, visitor));
        assertEquals(List.of(Erased.deleted("feedback", 1)), erase(pool, feedback, visitor));
        assertEquals(0, count(pool, "select count(*) from feedback where visitor_id = $1", UUID.fromString(token.substring(0, 36))));
    }

    @Test
    void purgeDeletesFeedbackTwoYearsOld_anonymousToo_keepsNewer_safeTwice_P28() {
        String old = send(client(), "Old and anonymous " + UUID.randomUUID(), "old@example.com");
        String recent = send(client(), "Recent " + UUID.randomUUID(), null);
        execute(pool, "update feedback set created_at = now() - interval '2 years 1 day' where id = $1", UUID.fromString(old));
        execute(pool, "update feedback set created_at = now() - interval '2 years' + interval '1 day' where id = $1", UUID.fromString(recent));

        assertTrue(purged(purge(pool, feedback), "feedback") >= 1);
        assertEquals(0, count(pool, "select count(*) from feedback where id = $1", UUID.fromString(old)));
        assertEquals(1, count(pool, "select count(*) from feedback where id = $1", UUID.fromString(recent)));
        assertEquals(0, purged(purge(pool, feedback), "feedback"), "a second run finds nothing more");
    }
}
