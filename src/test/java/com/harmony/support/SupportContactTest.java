package com.harmony.support;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.harmony.AuthFixtures;
import com.harmony.AuthFixtures.SignedIn;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Call-centre and desk contacts (P3): agents record them and see a customer's earlier contacts; customers never reach them. */
@QuarkusTest
class SupportContactTest {

    private static final String PROBLEMS = "https://harmony.example/problems/";

    @Inject
    Pool pool;

    private static Map<String, Object> aboutAccount(String accountId, String notes) {
        Map<String, Object> m = new HashMap<>();
        m.put("account_id", accountId);
        m.put("channel", "phone");
        m.put("reason", "delivery");
        m.put("notes", notes);
        return m;
    }

    private static Map<String, Object> fromCaller(Map<String, Object> caller, String notes) {
        Map<String, Object> m = new HashMap<>();
        m.put("caller", caller);
        m.put("channel", "phone");
        m.put("reason", "product");
        m.put("notes", notes);
        return m;
    }

    private static Map<String, Object> address() {
        Map<String, Object> a = new HashMap<>(AuthFixtures.address());
        a.remove("phone");
        a.put("name", "Grace Hopper");
        a.put("city", "Arlington");
        return a;
    }

    private long storedWith(String notes) {
        return pool.preparedQuery("select count(*) as n from support_contact where notes = $1").execute(Tuple.of(notes))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong("n");
    }

    @Test
    void P3_agentRecordsContactsAndSeesTheCustomersHistory() {
        SignedIn c = AuthFixtures.customer();
        SignedIn other = AuthFixtures.customer();
        SignedIn agent = AuthFixtures.support();
        var created = given().auth().oauth2(agent.accessToken()).contentType(ContentType.JSON)
                .body(aboutAccount(c.accountId(), "Asked when order H-1042 ships; told Thursday.")).post("/v1/admin/support-contacts")
                .then().statusCode(201).extract();
        String first = created.path("id");
        org.hamcrest.MatcherAssert.assertThat(created.header("Location"), endsWith("/v1/admin/support-contacts/" + first));
        Map<String, Object> billing = aboutAccount(c.accountId(), "Double charge on the card; refund promised.");
        billing.put("reason", "billing");
        billing.put("channel", "email");
        String second = given().auth().oauth2(AuthFixtures.admin().accessToken()).contentType(ContentType.JSON).body(billing)
                .post("/v1/admin/support-contacts").then().statusCode(201)
                .body("account_id", equalTo(c.accountId())).body("caller", nullValue()).body("channel", equalTo("email"))
                .body("reason", equalTo("billing")).body("recorded_by", equalTo(AuthFixtures.admin().accountId()))
                .extract().path("id");
        given().auth().oauth2(agent.accessToken()).contentType(ContentType.JSON).body(aboutAccount(other.accountId(), "Someone else"))
                .post("/v1/admin/support-contacts").then().statusCode(201);

        // the next agent sees the customer's history, newest first, and only theirs
        given().auth().oauth2(AuthFixtures.support().accessToken()).queryParam("account_id", c.accountId()).get("/v1/admin/support-contacts")
                .then().statusCode(200).body("data.id", equalTo(List.of(second, first)))
                .body("data[1].notes", equalTo("Asked when order H-1042 ships; told Thursday."))
                .body("data[1].recorded_by", equalTo(agent.accountId())).body("has_more", equalTo(false));
        String cursor = given().auth().oauth2(agent.accessToken()).queryParam("account_id", c.accountId()).queryParam("limit", 1)
                .get("/v1/admin/support-contacts").then().statusCode(200).body("data.id", equalTo(List.of(second)))
                .body("has_more", equalTo(true)).extract().path("next_cursor");
        given().auth().oauth2(agent.accessToken()).queryParam("account_id", c.accountId()).queryParam("limit", 1).queryParam("cursor", cursor)
                .get("/v1/admin/support-contacts").then().statusCode(200).body("data.id", equalTo(List.of(first)));
        given().auth().oauth2(agent.accessToken()).get("/v1/admin/support-contacts/" + first).then().statusCode(200)
                .body("id", equalTo(first)).body("account_id", equalTo(c.accountId())).body("channel", equalTo("phone"))
                .body("reason", equalTo("delivery"));
    }

    @Test
    void P3_contactWithoutAccountKeepsCallerDetails() {
        String agent = AuthFixtures.support().accessToken();
        String notes = "Asked whether the Lakeside mug is dishwasher safe " + UUID.randomUUID();
        Map<String, Object> caller = new HashMap<>(Map.of("name", "Grace Hopper", "phone", "+1 703 555 0199", "address", address()));
        String id = given().auth().oauth2(agent).contentType(ContentType.JSON).body(fromCaller(caller, notes)).post("/v1/admin/support-contacts")
                .then().statusCode(201).body("account_id", nullValue()).body("caller.name", equalTo("Grace Hopper"))
                .body("caller.phone", equalTo("+1 703 555 0199")).body("caller.address.city", equalTo("Arlington"))
                .body("caller.address.postal_code", equalTo("62701")).body("caller.address.country", equalTo("US"))
                .extract().path("id");
        Row row = pool.preparedQuery("select account_id, caller_name, caller_phone, caller_city, notes from support_contact where id = $1")
                .execute(Tuple.of(UUID.fromString(id))).await().atMost(Duration.ofSeconds(10)).iterator().next();
        assertEquals("Grace Hopper", row.getString("caller_name"));
        assertEquals("+1 703 555 0199", row.getString("caller_phone"));
        assertEquals("Arlington", row.getString("caller_city"));
        assertEquals(notes, row.getString("notes"));
        given().auth().oauth2(agent).get("/v1/admin/support-contacts/" + id).then().statusCode(200).body("caller.address.line1", equalTo("12 Analytical Way"));

        // a caller may decline to give an address; name and phone are still needed to reach them again
        given().auth().oauth2(agent).contentType(ContentType.JSON)
                .body(fromCaller(Map.of("name", "Alan Turing", "phone", "+44 20 7946 0000"), "No address given")).post("/v1/admin/support-contacts")
                .then().statusCode(201).body("caller.name", equalTo("Alan Turing")).body("caller.address", nullValue());
        given().auth().oauth2(agent).queryParam("limit", 100).get("/v1/admin/support-contacts").then().statusCode(200).body("data.id", hasItem(id));
    }

    @Test
    void P3_customersCannotReachSupportContacts() {
        SignedIn c = AuthFixtures.customer();
        String id = given().auth().oauth2(AuthFixtures.support().accessToken()).contentType(ContentType.JSON)
                .body(aboutAccount(c.accountId(), "About this customer")).post("/v1/admin/support-contacts").then().statusCode(201)
                .extract().path("id");
        String notes = "Written by a customer " + UUID.randomUUID();
        for (String token : List.of(c.accessToken(), AuthFixtures.withRoles("legal").accessToken(), AuthFixtures.withRoles("affiliate").accessToken())) {
            given().auth().oauth2(token).contentType(ContentType.JSON).body(aboutAccount(c.accountId(), notes)).post("/v1/admin/support-contacts")
                    .then().statusCode(403).contentType("application/problem+json").body("type", equalTo(PROBLEMS + "forbidden"));
            given().auth().oauth2(token).queryParam("account_id", c.accountId()).get("/v1/admin/support-contacts").then().statusCode(403);
            given().auth().oauth2(token).get("/v1/admin/support-contacts/" + id).then().statusCode(403);
        }
        given().contentType(ContentType.JSON).body(aboutAccount(c.accountId(), notes)).post("/v1/admin/support-contacts").then().statusCode(401);
        given().get("/v1/admin/support-contacts/" + id).then().statusCode(401);
        assertEquals(0, storedWith(notes));
    }

    @Test
    void P3_badContactsAreRefusedAndNothingStored() {
        String agent = AuthFixtures.support().accessToken();
        SignedIn c = AuthFixtures.customer();
        String notes = "Must not be stored " + UUID.randomUUID();
        Map<String, Object> both = aboutAccount(c.accountId(), notes);
        both.put("caller", Map.of("name", "Grace Hopper", "phone", "+1 703 555 0199"));
        given().auth().oauth2(agent).contentType(ContentType.JSON).body(both).post("/v1/admin/support-contacts").then().statusCode(400)
                .contentType("application/problem+json").body("type", equalTo(PROBLEMS + "validation-failed")).body("errors[0].field", equalTo("caller"));
        Map<String, Object> neither = aboutAccount(c.accountId(), notes);
        neither.remove("account_id");
        given().auth().oauth2(agent).contentType(ContentType.JSON).body(neither).post("/v1/admin/support-contacts").then().statusCode(400)
                .body("errors[0].field", equalTo("account_id"));
        given().auth().oauth2(agent).contentType(ContentType.JSON).body(aboutAccount(UUID.randomUUID().toString(), notes))
                .post("/v1/admin/support-contacts").then().statusCode(404).body("type", equalTo(PROBLEMS + "not-found"));
        Map<String, Object> bad = aboutAccount(c.accountId(), notes);
        bad.put("channel", "pigeon");
        bad.put("reason", "boredom");
        given().auth().oauth2(agent).contentType(ContentType.JSON).body(bad).post("/v1/admin/support-contacts").then().statusCode(400)
                .body("errors.field", hasItem("channel")).body("errors.field", hasItem("reason"));
        given().auth().oauth2(agent).contentType(ContentType.JSON).body(aboutAccount(c.accountId(), "x".repeat(5001)))
                .post("/v1/admin/support-contacts").then().statusCode(400).body("errors.field", hasItem("notes"));
        given().auth().oauth2(agent).contentType(ContentType.JSON).body(aboutAccount(c.accountId(), " "))
                .post("/v1/admin/support-contacts").then().statusCode(400).body("errors.field", hasItem("notes"));
        given().auth().oauth2(agent).contentType(ContentType.JSON).body(aboutAccount("not-a-uuid", notes))
                .post("/v1/admin/support-contacts").then().statusCode(400);
        given().auth().oauth2(agent).contentType(ContentType.JSON).body(fromCaller(Map.of("name", "Grace Hopper"), notes))
                .post("/v1/admin/support-contacts").then().statusCode(400).body("errors.field", hasItem("caller.phone"));
        given().auth().oauth2(agent).contentType(ContentType.JSON).body(fromCaller(Map.of("name", "Grace Hopper", "phone", "call me maybe"), notes))
                .post("/v1/admin/support-contacts").then().statusCode(400).body("errors.field", hasItem("caller.phone"));
        Map<String, Object> incomplete = address();
        incomplete.remove("city");
        given().auth().oauth2(agent).contentType(ContentType.JSON)
                .body(fromCaller(Map.of("name", "Grace Hopper", "phone", "+1 703 555 0199", "address", incomplete), notes))
                .post("/v1/admin/support-contacts").then().statusCode(400).body("errors.field", hasItem("caller.address.city"));
        Map<String, Object> withPhone = address();
        withPhone.put("phone", "+1 703 555 0100");
        given().auth().oauth2(agent).contentType(ContentType.JSON)
                .body(fromCaller(Map.of("name", "Grace Hopper", "phone", "+1 703 555 0199", "address", withPhone), notes))
                .post("/v1/admin/support-contacts").then().statusCode(400).body("errors.field", hasItem("caller.address.phone"));
        assertEquals(0, storedWith(notes));

        given().auth().oauth2(agent).queryParam("account_id", "not-a-uuid").get("/v1/admin/support-contacts").then().statusCode(400)
                .body("errors[0].field", equalTo("account_id"));
        given().auth().oauth2(agent).queryParam("limit", 101).get("/v1/admin/support-contacts").then().statusCode(400);
        given().auth().oauth2(agent).queryParam("cursor", "garbage").get("/v1/admin/support-contacts").then().statusCode(400)
                .body("type", equalTo(PROBLEMS + "invalid-cursor"));
        given().auth().oauth2(agent).get("/v1/admin/support-contacts/" + UUID.randomUUID()).then().statusCode(404);
        given().auth().oauth2(agent).queryParam("account_id", UUID.randomUUID().toString()).get("/v1/admin/support-contacts").then()
                .statusCode(200).body("data", hasSize(0));
    }
}
