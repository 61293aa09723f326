package com.harmony.privacy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures.SignedIn;
import com.harmony.AuthFixtures;
import com.harmony.MailServer;
import com.harmony.cart.CartFixtures;
import com.harmony.order.OrderFixtures;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Privacy requests (P13, P29): filed by each kind of subject, done only after the emailed link is confirmed. */
@QuarkusTest
@QuarkusTestResource(MailServer.class)
class PrivacyRequestTest {

    private static final String SUBJECT = "Confirm your privacy request";

    @Inject
    Pool pool;
    @Inject
    PrivacyRequestService requests;

    private static io.restassured.response.Response file(Map<String, ?> body, String bearer, String visitor) {
        var req = given().header("X-Forwarded-For", AuthFixtures.randomClient()).contentType(ContentType.JSON).body(body);
        if (bearer != null) {
            req = req.auth().oauth2(bearer);
        }
        if (visitor != null) {
            req = req.header("X-Visitor-Token", visitor);
        }
        return req.post("/v1/privacy-requests");
    }

    private static io.restassured.response.Response confirm(String token) {
        return given().contentType(ContentType.JSON).body(Map.of("token", token)).post("/v1/privacy-requests/confirmations");
    }

    @Test
    void P13_nothingIsDoneUntilConfirmed_andTheLinkWorksOnce() {
        SignedIn ada = AuthFixtures.customer();
        String id = file(Map.of("kind", "export"), ada.accessToken(), null).then().statusCode(202)
                .body("status", equalTo("awaiting_confirmation")).extract().path("id");
        given().auth().oauth2(ada.accessToken()).get("/v1/me/privacy-requests/" + id).then().statusCode(200)
                .body("status", equalTo("awaiting_confirmation")).body("confirmed_at", nullValue()).body("due_at", notNullValue());

        String token = MailServer.tokenIn(MailServer.messageTo(ada.email(), SUBJECT));
        confirm(token).then().statusCode(200).body("id", equalTo(id)).body("status", equalTo("confirmed"))
                .body("trail.status", equalTo(java.util.List.of("awaiting_confirmation", "confirmed")));
        confirm(token).then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://harmony.example/problems/confirmation-invalid"));
        confirm("forged-" + token).then().statusCode(400);
    }

    @Test
    void P13_aVisitorFilesWithItsTokenAndAnEmail() {
        String visitor = given().header("X-Forwarded-For", com.harmony.AuthFixtures.randomClient()).post("/v1/visitors").then().statusCode(201).extract().path("token");
        String email = AuthFixtures.uniqueEmail();
        file(Map.of("kind", "erasure", "email", email), null, visitor).then().statusCode(202).body("id", nullValue());
        String token = MailServer.tokenIn(MailServer.messageTo(email, SUBJECT));
        confirm(token).then().statusCode(200).body("subject_kind", equalTo("visitor")).body("kind", equalTo("erasure"));
        // without a visitor, an account or an order there is nobody to file for
        file(Map.of("kind", "erasure", "email", email), null, null).then().statusCode(400);
        file(Map.of("kind", "erasure"), null, visitor).then().statusCode(400);
    }

    @Test
    void P13_aGuestBuyerIsAnsweredAlikeWhetherOrNotTheOrderMatches() {
        SignedIn buyer = AuthFixtures.customer();
        String email = AuthFixtures.uniqueEmail();
        Map<String, Object> body = OrderFixtures.checkout(CartFixtures.myCartWith(buyer, CartFixtures.variant(1000, 10), 1));
        body.put("email", email);
        String number = OrderFixtures.place(buyer, body).then().statusCode(201).extract().path("number");

        String matched = file(Map.of("kind", "access", "email", email, "order_number", number, "postal_code", "62701"), null, null)
                .then().statusCode(202).extract().asString();
        String wrongCode = file(Map.of("kind", "access", "email", email, "order_number", number, "postal_code", "99999"), null, null)
                .then().statusCode(202).extract().asString();
        String unknown = file(Map.of("kind", "access", "email", AuthFixtures.uniqueEmail(), "order_number", "HC-NOSUCHORDER",
                "postal_code", "62701"), null, null).then().statusCode(202).extract().asString();
        assertEquals(matched, wrongCode);
        assertEquals(matched, unknown);
        MailServer.messageTo(email, SUBJECT);
        assertEquals(1, MailServer.messagesTo(email, SUBJECT));
    }

    /**
     * Guesses at one order's email from one client: four misses, the guess, then more misses. The order's limit on
     * attempts refuses the same request whether the guess was right or wrong; when only misses counted, a right guess
     * put the refusal one request later and so gave itself away.
     */
    @Test
    void P13_aGuestBuyersOrderLimit_refusesAlikeWhetherOrNotAGuessMatched() {
        List<List<Integer>> answers = new java.util.ArrayList<>();
        for (boolean right : List.of(true, false)) {
            SignedIn buyer = AuthFixtures.customer();
            String email = AuthFixtures.uniqueEmail();
            Map<String, Object> body = OrderFixtures.checkout(CartFixtures.myCartWith(buyer, CartFixtures.variant(1000, 10), 1));
            body.put("email", email);
            String number = OrderFixtures.place(buyer, body).then().statusCode(201).extract().path("number");
            String client = AuthFixtures.uniqueClient();
            List<Integer> statuses = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String guess = i == 4 && right ? email : AuthFixtures.uniqueEmail();
                statuses.add(given().header("X-Forwarded-For", client).contentType(ContentType.JSON)
                        .body(Map.of("kind", "access", "email", guess, "order_number", number, "postal_code", "62701"))
                        .post("/v1/privacy-requests").statusCode());
            }
            answers.add(statuses);
        }
        assertEquals(answers.get(1), answers.get(0), "right guess, then wrong guess");
        assertTrue(answers.get(0).contains(429), "the order's limit was reached: " + answers.get(0));
    }

    /** The per-email limit counts a guest's request whether or not the order matches, so its 429 tells nothing either. */
    @Test
    void P13_aGuestBuyersRequestsCountPerEmail_whetherOrNotTheOrderMatches() {
        String email = AuthFixtures.uniqueEmail();
        Map<String, Object> wrong = Map.of("kind", "access", "email", email, "order_number", "HC-NOSUCHORDER", "postal_code", "62701");
        int perEmail = org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("harmony.privacy.requests-per-email", Integer.class);
        for (int i = 0; i < perEmail; i++) {
            file(wrong, null, null).then().statusCode(202);
        }
        file(wrong, null, null).then().statusCode(429).header("Retry-After", notNullValue());
    }

    /** A request the per-email limit refuses gives its place on the per-client limit back: one client can still file for others. */
    @Test
    void P13_requestsRefusedForOneEmail_doNotUseUpTheClientsAllowance() {
        String client = AuthFixtures.uniqueClient();
        String email = AuthFixtures.uniqueEmail();
        int perEmail = org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("harmony.privacy.requests-per-email", Integer.class);
        int perClient = org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("harmony.privacy.requests-per-client", Integer.class);
        String visitor = given().header("X-Forwarded-For", client).post("/v1/visitors").then().statusCode(201).extract().path("token");
        java.util.function.Function<String, io.restassured.response.Response> fileFrom = address -> given().header("X-Forwarded-For", client)
                .header("X-Visitor-Token", visitor).contentType(ContentType.JSON).body(Map.of("kind", "access", "email", address))
                .post("/v1/privacy-requests");
        for (int i = 0; i < perEmail; i++) {
            fileFrom.apply(email).then().statusCode(202);
        }
        for (int i = 0; i < 3; i++) {
            fileFrom.apply(email).then().statusCode(429);
        }
        for (int i = perEmail; i < perClient; i++) {
            fileFrom.apply(AuthFixtures.uniqueEmail()).then().statusCode(202);
        }
        fileFrom.apply(AuthFixtures.uniqueEmail()).then().statusCode(429).header("Retry-After", notNullValue());
    }

    /**
     * The same sent at once: twenty requests for one email in parallel used to count on the client's limit before the
     * per-email one refused fifteen of them, and the client stayed locked for the hour with only five filed.
     */
    @Test
    void P13_aBurstOfRequestsForOneEmail_filesItsAllowance_andTheClientCanStillFileForOthers() throws Exception {
        String client = AuthFixtures.uniqueClient();
        String email = AuthFixtures.uniqueEmail();
        int perEmail = org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("harmony.privacy.requests-per-email", Integer.class);
        String visitor = given().header("X-Forwarded-For", client).post("/v1/visitors").then().statusCode(201).extract().path("token");
        java.util.function.Function<String, io.restassured.response.Response> fileFrom = address -> given().header("X-Forwarded-For", client)
                .header("X-Visitor-Token", visitor).contentType(ContentType.JSON).body(Map.of("kind", "access", "email", address))
                .post("/v1/privacy-requests");
        java.util.List<io.restassured.response.Response> burst = com.harmony.Bursts.of(20, i -> fileFrom.apply(email));
        assertEquals(perEmail, burst.stream().filter(r -> r.statusCode() == 202).count(), "the email's allowance is filed");
        assertEquals(20 - perEmail, burst.stream().filter(r -> r.statusCode() == 429).count(), "the rest refused");
        fileFrom.apply(AuthFixtures.uniqueEmail()).then().statusCode(202);
    }

    /** Strangers filing for a customer's address use up that address's allowance, never the customer's own. */
    @Test
    void P13_requestsFiledByOthersForACustomersAddress_doNotStopTheCustomersOwn() {
        SignedIn ada = AuthFixtures.customer();
        int perEmail = org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("harmony.privacy.requests-per-email", Integer.class);
        for (int i = 0; i <= perEmail; i++) {
            file(Map.of("kind", "access", "email", ada.email(), "order_number", "HC-NOSUCHORDER", "postal_code", "99999"), null, null);
        }
        file(Map.of("kind", "access", "email", ada.email(), "order_number", "HC-NOSUCHORDER", "postal_code", "99999"), null, null)
                .then().statusCode(429);
        file(Map.of("kind", "export"), ada.accessToken(), null).then().statusCode(202);
    }

    @Test
    void P13_anUnconfirmedRequestExpires_andItsLinkNoLongerWorks() {
        SignedIn ada = AuthFixtures.customer();
        String id = file(Map.of("kind", "access"), ada.accessToken(), null).then().statusCode(202).extract().path("id");
        String token = MailServer.tokenIn(MailServer.messageTo(ada.email(), SUBJECT));
        pool.preparedQuery("update privacy_request set token_expires_at = now() - interval '1 second' where id = $1")
                .execute(Tuple.of(UUID.fromString(id))).await().atMost(Duration.ofSeconds(10));
        confirm(token).then().statusCode(400);
        requests.expireUnconfirmed().await().atMost(Duration.ofSeconds(10));
        given().auth().oauth2(ada.accessToken()).get("/v1/me/privacy-requests/" + id).then().statusCode(200)
                .body("status", equalTo("expired")).body("trail.status", hasItem("expired"));
    }

    @Test
    void P29_staffSeeRequestsByStatusWithTrail_andRejectWithAReasonOnce() {
        SignedIn ada = AuthFixtures.customer();
        SignedIn other = AuthFixtures.customer();
        String id = file(Map.of("kind", "rectification", "corrections", Map.of("name", "Ada King")), ada.accessToken(), null)
                .then().statusCode(202).extract().path("id");
        String admin = AuthFixtures.admin().accessToken();
        given().auth().oauth2(AuthFixtures.support().accessToken()).queryParam("status", "awaiting_confirmation")
                .get("/v1/admin/privacy-requests").then().statusCode(200).body("data.id", hasItem(id));
        given().auth().oauth2(admin).get("/v1/admin/privacy-requests/" + id).then().statusCode(200)
                .body("corrections.name", equalTo("Ada King"));
        given().auth().oauth2(AuthFixtures.support().accessToken()).contentType(ContentType.JSON).body(Map.of("reason", "x"))
                .post("/v1/admin/privacy-requests/" + id + "/rejection").then().statusCode(403);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("reason", "Identity could not be verified"))
                .post("/v1/admin/privacy-requests/" + id + "/rejection").then().statusCode(200)
                .body("status", equalTo("rejected")).body("reason", equalTo("Identity could not be verified"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("reason", "again"))
                .post("/v1/admin/privacy-requests/" + id + "/rejection").then().statusCode(409);
        // nobody else sees it
        given().auth().oauth2(other.accessToken()).get("/v1/me/privacy-requests/" + id).then().statusCode(404);
        given().auth().oauth2(ada.accessToken()).get("/v1/admin/privacy-requests").then().statusCode(403);
        given().auth().oauth2(admin).queryParam("status", "nonsense").get("/v1/admin/privacy-requests").then().statusCode(400);
        given().auth().oauth2(admin).queryParam("sort", "nonsense").get("/v1/admin/privacy-requests").then().statusCode(400);
        // soonest due first, page after page
        List<String> due = new java.util.ArrayList<>();
        String cursor = null;
        for (int i = 0; i < 3; i++) {
            var page = given().auth().oauth2(admin).queryParam("sort", "due_at").queryParam("limit", 2)
                    .queryParams(cursor == null ? Map.of() : Map.of("cursor", cursor)).get("/v1/admin/privacy-requests").then().statusCode(200)
                    .extract().jsonPath();
            due.addAll(page.getList("data.due_at"));
            cursor = page.getString("next_cursor");
            if (cursor == null) {
                break;
            }
        }
        assertEquals(due.stream().sorted().toList(), due, "soonest due first across pages");
    }

    @Test
    void P13_closingMyAccountIsAnErasureRequestThatWaitsForConfirmation() {
        SignedIn ada = AuthFixtures.customer();
        String id = given().auth().oauth2(ada.accessToken()).header("X-Forwarded-For", AuthFixtures.randomClient()).delete("/v1/me")
                .then().statusCode(202).extract().path("id");
        given().auth().oauth2(ada.accessToken()).get("/v1/me/privacy-requests").then().statusCode(200)
                .body("data", hasSize(1)).body("data[0].id", equalTo(id)).body("data[0].kind", equalTo("erasure"));
        given().auth().oauth2(ada.accessToken()).get("/v1/me").then().statusCode(200);
    }

    @Test
    void P13_badInputIsAProblem_andRequestsAreThrottledPerEmail() {
        SignedIn ada = AuthFixtures.customer();
        file(Map.of("kind", "everything"), ada.accessToken(), null).then().statusCode(400).contentType("application/problem+json");
        file(Map.of("kind", "rectification"), ada.accessToken(), null).then().statusCode(400);
        file(Map.of("kind", "export", "corrections", Map.of("name", "x")), ada.accessToken(), null).then().statusCode(400);
        Map<String, Object> noKind = new HashMap<>();
        file(noKind, ada.accessToken(), null).then().statusCode(400);
        for (int i = 0; i < org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("harmony.privacy.requests-per-email", Integer.class); i++) {
            file(Map.of("kind", "access"), ada.accessToken(), null).then().statusCode(202);
        }
        file(Map.of("kind", "access"), ada.accessToken(), null).then().statusCode(429);
    }
}
