package com.harmony.consent;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.harmony.AuthFixtures;
import com.harmony.AuthFixtures.SignedIn;
import com.harmony.MailServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Consents per purpose and channel (P15, P16, P17), cookie preferences (C1) and privacy signals (P23). */
@QuarkusTest
@QuarkusTestResource(MailServer.class)
class ConsentTest {

    @Inject
    Pool pool;

    static ValidatableResponse consents(String token) {
        return given().auth().oauth2(token).get("/v1/me/consents").then().statusCode(200);
    }

    static String visitor() {
        return given().header("X-Forwarded-For", AuthFixtures.randomClient()).post("/v1/visitors").then().statusCode(201)
                .extract().path("token");
    }

    private List<String> sources(String accountId, String purpose) {
        List<String> out = new ArrayList<>();
        pool.preparedQuery("select source || ':' || granted as s from consent_event where account_id = $1 and purpose = $2 order by seq")
                .execute(Tuple.of(UUID.fromString(accountId), purpose)).await().atMost(Duration.ofSeconds(10))
                .forEach(r -> out.add(r.getString("s")));
        return out;
    }

    /** Only real changes are recorded, however many tabs send the same one at once: one event, not one per request. */
    @Test
    void P15_theSameChoiceSentInParallel_isRecordedOnce() throws Exception {
        SignedIn me = AuthFixtures.customer();
        java.util.concurrent.ExecutorService tabs = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            List<java.util.concurrent.Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                calls.add(() -> given().auth().oauth2(me.accessToken()).contentType(ContentType.JSON).body(Map.of("partner_sharing", true))
                        .patch("/v1/me/consents").statusCode());
            }
            for (var f : tabs.invokeAll(calls)) {
                assertEquals(200, f.get());
            }
        } finally {
            tabs.shutdownNow();
        }
        List<Object> grants = given().auth().oauth2(me.accessToken()).queryParam("limit", 100).get("/v1/me/consents/history").then().statusCode(200)
                .extract().path("data.findAll { it.purpose == 'partner_sharing' }");
        assertEquals(1, grants.size(), grants.toString());
    }

    @Test
    void P16_P17_registrationChoicesPerChannelAreTheCurrentState() {
        String email = AuthFixtures.uniqueEmail();
        Map<String, Object> body = AuthFixtures.registration(email);
        body.put("marketing", Map.of("email", true, "postal_mail", false));
        given().contentType(ContentType.JSON).header("X-Forwarded-For", AuthFixtures.randomClient()).body(body).post("/v1/accounts")
                .then().statusCode(202);
        SignedIn me = AuthFixtures.signIn(email, AuthFixtures.PASSWORD);

        consents(me.accessToken())
                .body("consents.purpose", contains("marketing_email", "marketing_postal_mail", "marketing_phone", "partner_sharing",
                        "personalisation", "analytics", "affiliate_attribution"))
                .body("consents.find { it.purpose == 'marketing_email' }.granted", equalTo(true))
                .body("consents.find { it.purpose == 'marketing_email' }.source", equalTo("registration"))
                .body("consents.find { it.purpose == 'marketing_email' }.policy_version", notNullValue())
                .body("consents.find { it.purpose == 'marketing_postal_mail' }.granted", equalTo(false))
                .body("consents.find { it.purpose == 'marketing_postal_mail' }.source", equalTo("registration"))
                .body("consents.find { it.purpose == 'marketing_phone' }.granted", equalTo(false))
                .body("consents.find { it.purpose == 'marketing_phone' }.source", nullValue());
        given().auth().oauth2(me.accessToken()).get("/v1/me").then().statusCode(200)
                .body("marketing.email", equalTo(true)).body("marketing.postal_mail", equalTo(false));
    }

    @Test
    void P16_consentsAreWithdrawnAndGivenAgainWithTheWholeHistoryKept() {
        SignedIn me = AuthFixtures.customer();
        given().auth().oauth2(me.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("marketing_email", true, "marketing_phone", true, "personalisation", true))
                .patch("/v1/me/consents").then().statusCode(200)
                .body("consents.find { it.purpose == 'marketing_email' }.granted", equalTo(true))
                .body("consents.find { it.purpose == 'marketing_email' }.source", equalTo("account_page"));
        given().auth().oauth2(me.accessToken()).contentType(ContentType.JSON).body(Map.of("marketing_email", false))
                .patch("/v1/me/consents").then().statusCode(200)
                .body("consents.find { it.purpose == 'marketing_email' }.granted", equalTo(false))
                .body("consents.find { it.purpose == 'marketing_phone' }.granted", equalTo(true));
        // the same choice again is not a change and adds nothing
        given().auth().oauth2(me.accessToken()).contentType(ContentType.JSON).body(Map.of("marketing_email", false))
                .patch("/v1/me/consents").then().statusCode(200);

        assertEquals(List.of("account_page:true", "account_page:false"), sources(me.accountId(), "marketing_email"));
        given().auth().oauth2(me.accessToken()).queryParam("limit", 2).get("/v1/me/consents/history").then().statusCode(200)
                .body("data", hasSize(2)).body("has_more", equalTo(true))
                .body("data[0].purpose", equalTo("marketing_email")).body("data[0].granted", equalTo(false));
        String cursor = given().auth().oauth2(me.accessToken()).queryParam("limit", 2).get("/v1/me/consents/history")
                .then().extract().path("next_cursor");
        given().auth().oauth2(me.accessToken()).queryParam("limit", 2).queryParam("cursor", cursor).get("/v1/me/consents/history")
                .then().statusCode(200).body("data", hasSize(2)).body("has_more", equalTo(false));
    }

    @Test
    void P16_badConsentInputIsAProblemAndChangesNothing() {
        SignedIn me = AuthFixtures.customer();
        given().auth().oauth2(me.accessToken()).contentType(ContentType.JSON).body(Map.of("marketing_fax", true))
                .patch("/v1/me/consents").then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(me.accessToken()).contentType(ContentType.JSON).body("{\"marketing_email\": \"yes please\"}")
                .patch("/v1/me/consents").then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(me.accessToken()).queryParam("cursor", "forged").get("/v1/me/consents/history").then().statusCode(400)
                .body("type", equalTo("https://harmony.example/problems/invalid-cursor"));
        given().contentType(ContentType.JSON).body(Map.of("marketing_email", true)).patch("/v1/me/consents").then().statusCode(401);
        assertEquals(List.of(), sources(me.accountId(), "marketing_email"));
    }

    @Test
    void P17_staffRecordAChoiceGivenByPhoneAsAdminSource() {
        SignedIn customer = AuthFixtures.customer();
        SignedIn support = AuthFixtures.support();
        given().auth().oauth2(support.accessToken()).contentType(ContentType.JSON).body(Map.of("marketing_phone", false))
                .patch("/v1/admin/accounts/" + customer.accountId() + "/consents").then().statusCode(200)
                .body("consents.find { it.purpose == 'marketing_phone' }.source", equalTo("admin"));
        given().auth().oauth2(AuthFixtures.admin().accessToken()).get("/v1/admin/accounts/" + customer.accountId() + "/consents/history")
                .then().statusCode(200).body("data[0].source", equalTo("admin"));
        given().auth().oauth2(customer.accessToken()).get("/v1/admin/accounts/" + customer.accountId() + "/consents").then().statusCode(403);
        given().auth().oauth2(support.accessToken()).get("/v1/admin/accounts/" + UUID.randomUUID() + "/consents").then().statusCode(404);
    }

    @Test
    void C1_cookiePreferencesAreKeptPerVisitorWithNecessaryAlwaysOn() {
        given().get("/v1/cookie-preferences").then().statusCode(200)
                .body("necessary", equalTo(true)).body("analytics", equalTo(false)).body("subject", equalTo("none"))
                .body("decided_at", nullValue());
        given().contentType(ContentType.JSON).body(Map.of("analytics", true)).put("/v1/cookie-preferences").then().statusCode(404)
                .body("type", equalTo("https://harmony.example/problems/visitor-required"));

        String v = visitor();
        given().header("X-Visitor-Token", v).contentType(ContentType.JSON).body(Map.of("analytics", true))
                .put("/v1/cookie-preferences").then().statusCode(200)
                .body("analytics", equalTo(true)).body("subject", equalTo("visitor")).body("decided_at", notNullValue())
                .body("optional", contains("analytics"));
        given().header("X-Visitor-Token", v).get("/v1/cookie-preferences").then().statusCode(200).body("analytics", equalTo(true));
        // another browser is not affected
        given().header("X-Visitor-Token", visitor()).get("/v1/cookie-preferences").then().statusCode(200).body("analytics", equalTo(false));
        // the affiliate cookie is necessary by default, so it is not a choice here
        given().header("X-Visitor-Token", v).contentType(ContentType.JSON).body(Map.of("affiliate_attribution", false))
                .put("/v1/cookie-preferences").then().statusCode(400);
        given().header("X-Visitor-Token", v).contentType(ContentType.JSON).body("{\"analytics\": 3}")
                .put("/v1/cookie-preferences").then().statusCode(400);
    }

    @Test
    void C1_theAccountsChoiceWinsAtSignInAndTheVisitorsFillsAnUndecidedAccount() {
        // an account that chose "no analytics" signs in from a browser that said yes: the account wins, on the browser too
        String email = AuthFixtures.uniqueEmail();
        AuthFixtures.submitRegistration(email);
        SignedIn me = AuthFixtures.signIn(email, AuthFixtures.PASSWORD);
        given().auth().oauth2(me.accessToken()).contentType(ContentType.JSON).body(Map.of("analytics", false))
                .put("/v1/cookie-preferences").then().statusCode(200).body("subject", equalTo("account")).body("analytics", equalTo(false));
        String v = visitor();
        given().header("X-Visitor-Token", v).contentType(ContentType.JSON).body(Map.of("analytics", true)).put("/v1/cookie-preferences")
                .then().statusCode(200);
        given().header("X-Visitor-Token", v).contentType(ContentType.JSON).body(Map.of("email", email, "password", AuthFixtures.PASSWORD))
                .post("/v1/auth/sign-in").then().statusCode(200);
        given().header("X-Visitor-Token", v).get("/v1/cookie-preferences").then().body("analytics", equalTo(false));

        // an account that never decided takes the browser's choice
        SignedIn fresh = AuthFixtures.customer();
        String v2 = visitor();
        given().header("X-Visitor-Token", v2).contentType(ContentType.JSON).body(Map.of("analytics", true)).put("/v1/cookie-preferences")
                .then().statusCode(200);
        given().header("X-Visitor-Token", v2).contentType(ContentType.JSON)
                .body(Map.of("email", fresh.email(), "password", AuthFixtures.PASSWORD)).post("/v1/auth/sign-in").then().statusCode(200);
        given().auth().oauth2(fresh.accessToken()).get("/v1/cookie-preferences").then()
                .body("analytics", equalTo(true)).body("subject", equalTo("account"));
        assertEquals(List.of("sign_in:true"), sources(fresh.accountId(), "analytics"));
    }

    @Test
    void C1_aBrowserAnotherPersonSignedInOnDoesNotSpeakForTheNextOne() {
        // Alice allows analytics on a shared browser and signs in there; then Bob signs in on it
        SignedIn alice = AuthFixtures.customer();
        String v = visitor();
        given().header("X-Visitor-Token", v).contentType(ContentType.JSON).body(Map.of("analytics", true)).put("/v1/cookie-preferences")
                .then().statusCode(200);
        given().header("X-Visitor-Token", v).contentType(ContentType.JSON).body(Map.of("email", alice.email(), "password", AuthFixtures.PASSWORD))
                .post("/v1/auth/sign-in").then().statusCode(200);
        SignedIn bob = AuthFixtures.customer();
        given().header("X-Visitor-Token", v).contentType(ContentType.JSON).body(Map.of("email", bob.email(), "password", AuthFixtures.PASSWORD))
                .post("/v1/auth/sign-in").then().statusCode(200);
        assertEquals(List.of("sign_in:true"), sources(alice.accountId(), "analytics"));
        assertEquals(List.of(), sources(bob.accountId(), "analytics"));
    }

    @Test
    void C1_theNecessaryAffiliateCookieIsNotAConsentAnyoneCanRecord() {
        SignedIn me = AuthFixtures.customer();
        given().auth().oauth2(me.accessToken()).contentType(ContentType.JSON).body(Map.of("affiliate_attribution", false))
                .patch("/v1/me/consents").then().statusCode(400);
        given().auth().oauth2(AuthFixtures.admin().accessToken()).contentType(ContentType.JSON).body(Map.of("affiliate_attribution", false))
                .patch("/v1/admin/accounts/" + me.accountId() + "/consents").then().statusCode(400);
        assertEquals(List.of(), sources(me.accountId(), "affiliate_attribution"));
    }

    @Test
    void P23_gpcOptsOutOfSharingAndAnalytics() {
        SignedIn me = AuthFixtures.customer();
        String v = visitor();
        given().auth().oauth2(me.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("partner_sharing", true, "analytics", true, "marketing_email", true)).patch("/v1/me/consents").then().statusCode(200);
        given().header("X-Visitor-Token", v).contentType(ContentType.JSON).body(Map.of("analytics", true)).put("/v1/cookie-preferences")
                .then().statusCode(200);

        // any request carrying the signal, here a plain read of the profile
        given().auth().oauth2(me.accessToken()).header("Sec-GPC", "1").header("X-Visitor-Token", v).get("/v1/me").then().statusCode(200);

        consents(me.accessToken())
                .body("consents.find { it.purpose == 'partner_sharing' }.granted", equalTo(false))
                .body("consents.find { it.purpose == 'partner_sharing' }.source", equalTo("gpc"))
                .body("consents.find { it.purpose == 'analytics' }.granted", equalTo(false))
                .body("consents.find { it.purpose == 'marketing_email' }.granted", equalTo(true));
        given().header("X-Visitor-Token", v).get("/v1/cookie-preferences").then().body("analytics", equalTo(false));
        // the signal is recorded once, not on every request
        given().auth().oauth2(me.accessToken()).header("Sec-GPC", "1").get("/v1/me").then().statusCode(200);
        assertEquals(List.of("account_page:true", "gpc:false"), sources(me.accountId(), "partner_sharing"));

        // while the browser sends the signal it cannot opt back in; without it, it can
        given().auth().oauth2(me.accessToken()).header("Sec-GPC", "1").contentType(ContentType.JSON).body(Map.of("partner_sharing", true))
                .patch("/v1/me/consents").then().statusCode(409).body("type", equalTo("https://harmony.example/problems/gpc-opt-out"));
        given().header("Sec-GPC", "1").header("X-Visitor-Token", v).contentType(ContentType.JSON).body(Map.of("analytics", true))
                .put("/v1/cookie-preferences").then().statusCode(409);
        given().auth().oauth2(me.accessToken()).contentType(ContentType.JSON).body(Map.of("partner_sharing", true))
                .patch("/v1/me/consents").then().statusCode(200)
                .body("consents.find { it.purpose == 'partner_sharing' }.granted", equalTo(true));
    }

    @Test
    void P23_doNotTrackIsNotHonouredByDefaultAsThePolicySays() {
        SignedIn me = AuthFixtures.customer();
        given().auth().oauth2(me.accessToken()).contentType(ContentType.JSON).body(Map.of("analytics", true)).patch("/v1/me/consents")
                .then().statusCode(200);
        given().auth().oauth2(me.accessToken()).header("DNT", "1").get("/v1/me").then().statusCode(200);
        consents(me.accessToken()).body("consents.find { it.purpose == 'analytics' }.granted", equalTo(true));
    }
}
