package com.harmony.privacy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.harmony.AuthFixtures.SignedIn;
import com.harmony.AuthFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The disclosure log (P20): staff record disclosures outside the company; each person sees their own. */
@QuarkusTest
class DisclosureLogTest {

    private static Map<String, Object> disclosure(String accountId) {
        Map<String, Object> m = new HashMap<>();
        m.put("account_id", accountId);
        m.put("recipient", "County Court of Springfield");
        m.put("legal_basis", "subpoena");
        m.put("fields", List.of("name", "postal_address", "order_history"));
        m.put("note", "Case 2026-CV-1234");
        m.put("disclosed_at", "2026-11-20T09:30:00Z");
        return m;
    }

    @Test
    void P20_aRecordedDisclosureAppearsInThatPersonsOwnLog() {
        SignedIn c = AuthFixtures.customer();
        SignedIn other = AuthFixtures.customer();
        String admin = AuthFixtures.admin().accessToken();
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(disclosure(c.accountId())).post("/v1/admin/disclosures")
                .then().statusCode(201).body("legal_basis", equalTo("subpoena")).body("recipient", equalTo("County Court of Springfield"));

        given().auth().oauth2(c.accessToken()).get("/v1/me/disclosures").then().statusCode(200)
                .body("data", hasSize(1)).body("data[0].fields", equalTo(List.of("name", "postal_address", "order_history")))
                .body("data[0].disclosed_at", org.hamcrest.Matchers.startsWith("2026-11-20T09:30:00")).body("data[0].note", equalTo("Case 2026-CV-1234"));
        given().auth().oauth2(other.accessToken()).get("/v1/me/disclosures").then().statusCode(200).body("data", hasSize(0));
        given().auth().oauth2(admin).queryParam("account_id", c.accountId()).get("/v1/admin/disclosures").then().statusCode(200)
                .body("data", hasSize(1)).body("data[0].account_id", equalTo(c.accountId()));
    }

    @Test
    void P20_badDisclosuresAreRefusedAndNothingIsStored() {
        SignedIn c = AuthFixtures.customer();
        String admin = AuthFixtures.admin().accessToken();
        Map<String, Object> bad = disclosure(c.accountId());
        bad.put("legal_basis", "because");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(bad).post("/v1/admin/disclosures").then().statusCode(400)
                .contentType("application/problem+json");
        bad = disclosure(c.accountId());
        bad.put("legal_basis", "other");
        bad.remove("note");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(bad).post("/v1/admin/disclosures").then().statusCode(400);
        bad = disclosure(c.accountId());
        bad.put("fields", List.of());
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(bad).post("/v1/admin/disclosures").then().statusCode(400);
        bad = disclosure(c.accountId());
        bad.put("disclosed_at", "2099-01-01T00:00:00Z");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(bad).post("/v1/admin/disclosures").then().statusCode(400);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(disclosure(UUID.randomUUID().toString()))
                .post("/v1/admin/disclosures").then().statusCode(404);
        given().auth().oauth2(admin).queryParam("account_id", "not-a-uuid").get("/v1/admin/disclosures").then().statusCode(400);
        given().auth().oauth2(AuthFixtures.support().accessToken()).contentType(ContentType.JSON).body(disclosure(c.accountId()))
                .post("/v1/admin/disclosures").then().statusCode(403);
        given().auth().oauth2(c.accessToken()).get("/v1/me/disclosures").then().statusCode(200).body("data", hasSize(0));
    }
}
