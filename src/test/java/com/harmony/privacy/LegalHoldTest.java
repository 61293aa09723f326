package com.harmony.privacy;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.harmony.AuthFixtures;
import com.harmony.Bursts;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Legal holds (P29's exception): placed and lifted by the legal team. */
@QuarkusTest
class LegalHoldTest {

    /**
     * More lifts of one hold at once than the pool has connections (16 in tests): a lift that found the hold lifted
     * already read it again on a second connection while its transaction held the first, and with every connection
     * held that way none came (503s after the pool wait).
     */
    @Test
    void aBurstOfLiftsOfOneHoldLargerThanThePool_liftsOnce_andEveryOtherIsAConflict() throws Exception {
        String legal = AuthFixtures.withRoles("legal").accessToken();
        String hold = given().auth().oauth2(legal).contentType(ContentType.JSON)
                .body(Map.of("email", AuthFixtures.uniqueEmail(), "reason", "Litigation hold: burst test"))
                .post("/v1/admin/legal-holds").then().statusCode(201).extract().path("id");
        List<Response> answers = Bursts.of(40, i -> given().auth().oauth2(legal).delete("/v1/admin/legal-holds/" + hold));
        assertEquals(1, Bursts.onceAndConflicts(answers, "https://harmony.example/problems/privacy-request-not-applicable"));
    }

    /** A hold on an account id that names no account (mistyped, or erased already) held nobody while it read as in force. */
    @Test
    void aHoldOnAnAccountIdThatNamesNoAccount_isRefused_andNothingIsStored() {
        String legal = AuthFixtures.withRoles("legal").accessToken();
        String nobody = java.util.UUID.randomUUID().toString();
        given().auth().oauth2(legal).contentType(ContentType.JSON).body(Map.of("account_id", nobody, "reason", "Litigation hold: typo"))
                .post("/v1/admin/legal-holds").then().statusCode(400)
                .body("type", org.hamcrest.Matchers.equalTo("https://harmony.example/problems/validation-failed"))
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("account_id"));
        given().auth().oauth2(legal).get("/v1/admin/legal-holds").then().statusCode(200)
                .body("data.account_id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(nobody)));
    }
}
