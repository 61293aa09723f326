package com.harmony.visitor;

import static com.harmony.PersonalDataChecks.count;
import static com.harmony.PersonalDataChecks.erase;
import static com.harmony.PersonalDataChecks.execute;
import static com.harmony.PersonalDataChecks.export;
import static com.harmony.PersonalDataChecks.find;
import static com.harmony.PersonalDataChecks.of;
import static com.harmony.PersonalDataChecks.purge;
import static com.harmony.PersonalDataChecks.purged;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
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

/** The visitor's part in export, erasure and retention (P11, P13, P28). */
@QuarkusTest
class VisitorPersonalDataTest {

    @Inject
    Pool pool;

    @Inject
    VisitorPersonalData visitors;

    private record Visitor(UUID id, String token) {
    }

    private static Visitor newVisitor() {
        Response r = given().header("X-Forwarded-For", AuthFixtures.randomClient()).post("/v1/visitors").then().statusCode(201).extract().response();
        return new Visitor(UUID.fromString(r.path("id")), r.path("token"));
    }

    private static void allowAnalytics(Visitor v) {
        given().header("X-Visitor-Token", v.token()).contentType(ContentType.JSON).body(Map.of("analytics", true))
                .put("/v1/cookie-preferences").then().statusCode(200);
    }

    /** Registers and signs in with the visitor token, which links the visitor to the new account. */
    private static UUID linkedAccount(Visitor v) {
        String email = AuthFixtures.uniqueEmail();
        AuthFixtures.submitRegistration(email);
        return UUID.fromString(given().contentType(ContentType.JSON).header("X-Visitor-Token", v.token())
                .body(Map.of("email", email, "password", AuthFixtures.PASSWORD)).post("/v1/auth/sign-in").then().statusCode(200)
                .extract().path("account_id"));
    }

    @Test
    void visitorsErasureDeletesItsRowAndWhatHangsOnIt_anotherVisitorIsUntouched_P13_P28() {
        Visitor v = newVisitor();
        Visitor other = newVisitor();
        allowAnalytics(v);
        allowAnalytics(other);
        Person person = Person.visitor(v.id(), UUID.randomUUID());

        assertEquals(Map.of("visitor", 1L), find(pool, visitors, person));
        List<ExportedRow> rows = export(pool, visitors, person);
        assertEquals(1, rows.size());
        assertEquals(v.id().toString(), rows.get(0).json().get("id").asText());
        assertTrue(rows.get(0).json().has("last_seen_at"));
        assertFalse(rows.get(0).json().has("secret_hash"), "the token's digest is a credential, never exported");

        List<Erased> erased = erase(pool, visitors, person);
        assertEquals(List.of(Erased.deleted("visitor", 1)), erased);
        assertEquals(0, count(pool, "select count(*) from visitor where id = $1", v.id()));
        assertEquals(0, count(pool, "select count(*) from consent_event where visitor_id = $1", v.id()), "its choices went with it");
        given().header("X-Visitor-Token", v.token()).get("/v1/visitors/me").then().statusCode(404);

        given().header("X-Visitor-Token", other.token()).get("/v1/visitors/me").then().statusCode(200);
        assertTrue(count(pool, "select count(*) from consent_event where visitor_id = $1", other.id()) > 0);

        assertEquals(List.of(Erased.deleted("visitor", 0)), erase(pool, visitors, person), "a second run finds nothing");
    }

    @Test
    void customersErasureUnlinksTheirBrowsers_soTheyAgeOutLikeAnyOther_P11_P28() {
        Visitor v = newVisitor();
        UUID account = linkedAccount(v);
        Visitor other = newVisitor();
        UUID otherAccount = linkedAccount(other);
        Person person = Person.customer(account, UUID.randomUUID());

        Erased erased = of(erase(pool, visitors, person), "visitor");
        assertEquals("cleared", erased.action());
        assertEquals(1, erased.rows());
        assertEquals(List.of("account_id", "linked_at"), erased.columns());
        assertEquals(0, count(pool, "select count(*) from visitor where account_id = $1", account));
        assertNull(com.harmony.PersonalDataChecks.query(pool, "select linked_at from visitor where id = $1", v.id()).get(0).getValue(0));
        given().header("X-Visitor-Token", v.token()).get("/v1/visitors/me").then().statusCode(200)
                .body("linked_to_account", org.hamcrest.Matchers.equalTo(false));
        assertEquals(1, count(pool, "select count(*) from visitor where id = $1 and account_id = $2", other.id(), otherAccount));

        assertEquals(0, of(erase(pool, visitors, person), "visitor").rows(), "a second run finds nothing");
        assertEquals(List.of(Erased.deleted("visitor", 0)), erase(pool, visitors, Person.guestBuyer("x@example.com", null, UUID.randomUUID())));
    }

    @Test
    void purgeDeletesUnlinkedVisitorsUnseenFor395Days_keepsLinkedAndRecentOnes_P28() {
        Visitor idle = newVisitor();
        Visitor recent = newVisitor();
        Visitor linked = newVisitor();
        linkedAccount(linked);
        allowAnalytics(idle);
        execute(pool, "update visitor set last_seen_at = now() - interval '396 days' where id = any($1)",
                (Object) new UUID[] {idle.id(), linked.id()});
        execute(pool, "update visitor set last_seen_at = now() - interval '394 days' where id = $1", recent.id());

        assertTrue(purged(purge(pool, visitors), "visitor") >= 1);
        assertEquals(0, count(pool, "select count(*) from visitor where id = $1", idle.id()));
        assertEquals(0, count(pool, "select count(*) from consent_event where visitor_id = $1", idle.id()));
        assertEquals(1, count(pool, "select count(*) from visitor where id = $1", recent.id()), "its cookie may still be alive");
        assertEquals(1, count(pool, "select count(*) from visitor where id = $1", linked.id()), "a linked one stays with its account");

        assertEquals(0, purged(purge(pool, visitors), "visitor"), "a second run finds nothing more");
        assertEquals(2, count(pool, "select count(*) from visitor where id = any($1)", (Object) new UUID[] {recent.id(), linked.id()}));
    }
}
