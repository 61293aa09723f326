package com.harmony.privacy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures.SignedIn;
import com.harmony.AuthFixtures;
import com.harmony.MailServer;
import com.harmony.platform.OutboxWorker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Carrying out confirmed requests (P13, P28, P29): documents through a single-use expiring link, legal
 * holds, rectification after verification, and the retention run.
 */
@QuarkusTest
@QuarkusTestResource(MailServer.class)
class PrivacyProcessingTest {

    @Inject
    Pool pool;
    @Inject
    RequestProcessor processor;
    @Inject
    OutboxWorker outbox;
    @Inject
    com.harmony.payment.TestModePaymentProvider gateway;

    /** Files a request as the signed-in customer, confirms it through the emailed link and answers its id. */
    static String confirmedRequest(SignedIn who, Map<String, ?> body) {
        int before = MailServer.messagesTo(who.email(), "Confirm your privacy request");
        String id = given().header("X-Forwarded-For", AuthFixtures.randomClient()).auth().oauth2(who.accessToken()).contentType(ContentType.JSON)
                .body(body).post("/v1/privacy-requests").then().statusCode(202).extract().path("id");
        String token = MailServer.tokenIn(MailServer.nextMessageTo(who.email(), "Confirm your privacy request", before));
        given().contentType(ContentType.JSON).body(Map.of("token", token)).post("/v1/privacy-requests/confirmations").then().statusCode(200);
        return id;
    }

    void processAndPublish() {
        processAndPublish(processor, outbox);
    }

    /** Carries out the due requests, then publishes until every event they caused (notices, answers) is out. */
    static void processAndPublish(RequestProcessor processor, OutboxWorker outbox) {
        processor.processDue().await().atMost(Duration.ofSeconds(120));
        for (int i = 0; i < 10 && outbox.publishDue().await().atMost(Duration.ofSeconds(60)) > 0; i++) {
            // notices, acknowledgements and answers follow one another through the outbox
        }
    }

    /** A legal hold the legal team places on an email address; answers its id. */
    private static String holdOnEmail(String legal, String email, String reason) {
        return given().auth().oauth2(legal).contentType(ContentType.JSON).body(Map.of("email", email, "reason", reason))
                .post("/v1/admin/legal-holds").then().statusCode(201).extract().path("id");
    }

    private static io.restassured.response.Response download(String token) {
        return given().contentType(ContentType.JSON).body(Map.of("token", token)).post("/v1/privacy-requests/downloads");
    }

    @Test
    void P29_anExportIsADocumentOfEveryFeature_downloadedOnceByLink_andByTheSignedInCustomerUntilItExpires() {
        SignedIn ada = AuthFixtures.customer();
        SignedIn other = AuthFixtures.customer();
        String id = confirmedRequest(ada, Map.of("kind", "export"));
        processAndPublish();

        given().auth().oauth2(ada.accessToken()).get("/v1/me/privacy-requests/" + id).then().statusCode(200)
                .body("status", equalTo("completed")).body("document.bytes", notNullValue()).body("document.expires_at", notNullValue());
        String token = MailServer.tokenIn(MailServer.messageTo(ada.email(), "Your data export is ready"));
        // a burst of clicks on the same link: exactly one gets the document
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<java.util.concurrent.CompletableFuture<io.restassured.response.Response>> clicks = java.util.stream.IntStream.range(0, 8)
                .mapToObj(i -> java.util.concurrent.CompletableFuture.supplyAsync(() -> download(token), threads)).toList();
        List<io.restassured.response.Response> answers = clicks.stream().map(java.util.concurrent.CompletableFuture::join).toList();
        threads.shutdown();
        assertEquals(1, answers.stream().filter(r -> r.statusCode() == 200).count(), "the link works once, however many click at once");
        assertEquals(7, answers.stream().filter(r -> r.statusCode() == 400).count());
        String body = answers.stream().filter(r -> r.statusCode() == 200).findFirst().orElseThrow().then().contentType(containsString("application/json"))
                .header("Content-Disposition", containsString("attachment")).header("Cache-Control", containsString("no-store"))
                .extract().asString();
        JsonPath doc = JsonPath.from(body);
        assertEquals("harmony-export/1", doc.getString("format"));
        assertEquals(id, doc.getString("request.id"));
        // the account row and the request itself are in it; the password digest is not
        assertEquals(ada.email(), doc.getString("features.account.tables.account.rows[0].email"));
        assertFalse(body.contains("password_hash"), "credentials are never exported");
        assertTrue(doc.getList("features.privacy.tables.privacy_request.rows.id").contains(id));

        // used up: the signed-in customer may fetch it again, nobody else
        download(token).then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://harmony.example/problems/download-link-invalid"));
        download("forged").then().statusCode(400);
        given().auth().oauth2(ada.accessToken()).get("/v1/me/privacy-requests/" + id + "/document").then().statusCode(200)
                .body("format", equalTo("harmony-export/1"));
        given().auth().oauth2(other.accessToken()).get("/v1/me/privacy-requests/" + id + "/document").then().statusCode(404);

        // once expired it is gone: the retention run deletes it
        pool.preparedQuery("update privacy_document set expires_at = now() - interval '1 second' where request_id = $1")
                .execute(Tuple.of(UUID.fromString(id))).await().atMost(Duration.ofSeconds(10));
        given().auth().oauth2(ada.accessToken()).get("/v1/me/privacy-requests/" + id + "/document").then().statusCode(404);
        given().auth().oauth2(AuthFixtures.admin().accessToken()).post("/v1/admin/retention-runs").then().statusCode(200)
                .body("counts.table", hasItem("privacy_document"));
        long chunks = pool.preparedQuery("select count(*) from privacy_document_chunk where request_id = $1").execute(Tuple.of(UUID.fromString(id)))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
        assertEquals(0, chunks);
    }

    /**
     * An export and an erasure confirmed together: the erasure takes the export's document too, undownloaded, and the
     * export then says so instead of reading as delivered; one downloaded before its erasure, with the emailed link or
     * signed in, keeps no such reason.
     */
    @Test
    void P28_P29_anExportErasedBeforeItWasDownloaded_saysSo_andOneDownloadedFirstByLinkOrSignedInDoesNot() {
        SignedIn ada = AuthFixtures.customer();
        String export = confirmedRequest(ada, Map.of("kind", "export"));
        String erasure = confirmedRequest(ada, Map.of("kind", "erasure"));
        SignedIn bea = AuthFixtures.customer();
        String delivered = confirmedRequest(bea, Map.of("kind", "export"));
        SignedIn cy = AuthFixtures.customer();
        String fetched = confirmedRequest(cy, Map.of("kind", "export"));
        processAndPublish();
        download(MailServer.tokenIn(MailServer.messageTo(bea.email(), "Your data export is ready"))).then().statusCode(200);
        // a signed-in download counts as delivered too, and leaves the emailed link its one use
        given().auth().oauth2(cy.accessToken()).get("/v1/me/privacy-requests/" + fetched).then().statusCode(200)
                .body("document.downloaded_at", org.hamcrest.Matchers.nullValue());
        given().auth().oauth2(cy.accessToken()).get("/v1/me/privacy-requests/" + fetched + "/document").then().statusCode(200)
                .body("format", equalTo("harmony-export/1"));
        String firstFetch = given().auth().oauth2(cy.accessToken()).get("/v1/me/privacy-requests/" + fetched).then().statusCode(200)
                .body("document.downloaded_at", notNullValue()).extract().path("document.downloaded_at");
        String cyLink = MailServer.tokenIn(MailServer.messageTo(cy.email(), "Your data export is ready"));
        download(cyLink).then().statusCode(200);
        download(cyLink).then().statusCode(400);
        given().auth().oauth2(cy.accessToken()).get("/v1/me/privacy-requests/" + fetched).then().statusCode(200)
                .body("document.downloaded_at", equalTo(firstFetch));
        confirmedRequest(bea, Map.of("kind", "erasure"));
        confirmedRequest(cy, Map.of("kind", "erasure"));
        processAndPublish();

        String admin = AuthFixtures.admin().accessToken();
        given().auth().oauth2(admin).get("/v1/admin/privacy-requests/" + erasure).then().statusCode(200).body("status", equalTo("completed"));
        given().auth().oauth2(admin).get("/v1/admin/privacy-requests/" + export).then().statusCode(200)
                .body("status", equalTo("completed"))
                .body("document", org.hamcrest.Matchers.nullValue())
                .body("reason", equalTo(PrivacyPersonalData.DOCUMENT_ERASED))
                .body("trail.note", hasItem(PrivacyPersonalData.DOCUMENT_ERASED));
        for (String downloaded : List.of(delivered, fetched)) {
            given().auth().oauth2(admin).get("/v1/admin/privacy-requests/" + downloaded).then().statusCode(200)
                    .body("status", equalTo("completed"))
                    .body("reason", org.hamcrest.Matchers.nullValue())
                    .body("trail.note", org.hamcrest.Matchers.not(hasItem(PrivacyPersonalData.DOCUMENT_ERASED)));
        }
    }

    /**
     * A correction that could never be applied is refused when the request is filed, each field named, and nothing is
     * stored: a card number typed as the phone or the name (P8), a blank name, a malformed or under-age birth date.
     */
    @Test
    void P8_P29_aCorrectionCarryingACardNumberOrAnUnusableValue_isRefusedWhenFiled_andNothingIsStored() {
        SignedIn ada = AuthFixtures.customer();
        int mails = MailServer.messagesTo(ada.email(), "Confirm your privacy request");
        String minor = java.time.LocalDate.now().minusYears(10).toString();
        given().header("X-Forwarded-For", AuthFixtures.randomClient()).auth().oauth2(ada.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("kind", "rectification", "corrections", Map.of("phone", "4111 1111 1111 1111", "name", "Ada 4111111111111111",
                        "birth_date", minor)))
                .post("/v1/privacy-requests").then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://harmony.example/problems/validation-failed"))
                .body("errors.field", org.hamcrest.Matchers.contains("corrections.birth_date", "corrections.name", "corrections.phone"));
        for (Map<String, String> bad : List.of(Map.of("name", " "), Map.of("birth_date", "not a date"), Map.of("phone", "call me"))) {
            given().header("X-Forwarded-For", AuthFixtures.randomClient()).auth().oauth2(ada.accessToken()).contentType(ContentType.JSON)
                    .body(Map.of("kind", "rectification", "corrections", bad)).post("/v1/privacy-requests").then().statusCode(400)
                    .body("errors[0].field", equalTo("corrections." + bad.keySet().iterator().next()));
        }
        long stored = pool.preparedQuery("select count(*) from privacy_request where account_id = $1")
                .execute(Tuple.of(UUID.fromString(ada.accountId()))).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
        assertEquals(0, stored, "nothing was filed");
        assertEquals(mails, MailServer.messagesTo(ada.email(), "Confirm your privacy request"), "no confirmation was sent");
    }

    /** What erasure reaches by the account's email, an export shows: a hold placed on the address, not one on another. */
    @Test
    void P29_anExportAndTheSummaryShowWhatErasureReachesByTheAccountsEmail_aHoldPlacedOnTheAddress() {
        SignedIn ada = AuthFixtures.customer();
        String legal = AuthFixtures.withRoles("legal").accessToken();
        String mine = holdOnEmail(legal, ada.email().toUpperCase(java.util.Locale.ROOT), "Authority order 2026-91");
        String others = holdOnEmail(legal, AuthFixtures.uniqueEmail(), "Authority order 2026-92");
        given().auth().oauth2(legal).delete("/v1/admin/legal-holds/" + mine).then().statusCode(200);
        given().auth().oauth2(legal).delete("/v1/admin/legal-holds/" + others).then().statusCode(200);

        String id = confirmedRequest(ada, Map.of("kind", "export"));
        processAndPublish();
        JsonPath doc = given().auth().oauth2(ada.accessToken()).get("/v1/me/privacy-requests/" + id + "/document").then().statusCode(200)
                .extract().jsonPath();
        List<String> holds = doc.getList("features.privacy.tables.legal_hold.rows.id");
        assertEquals(List.of(mine), holds);
        assertTrue(doc.getList("features.privacy.tables.privacy_request.rows.id").contains(id));

        // the access summary counts the same rows
        String access = confirmedRequest(ada, Map.of("kind", "access"));
        processAndPublish();
        JsonPath summary = given().auth().oauth2(ada.accessToken()).get("/v1/me/privacy-requests/" + access + "/document").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(1, summary.getInt("records.find { it.table == 'legal_hold' }.count"), summary.prettify());
    }

    @Test
    void P29_anAccessRequestAnswersWhatIsHeldWhyFromWhomWhoReceivesItAndHowLong() {
        SignedIn ada = AuthFixtures.customer();
        String id = confirmedRequest(ada, Map.of("kind", "access"));
        processAndPublish();
        String token = MailServer.tokenIn(MailServer.messageTo(ada.email(), "Your data summary is ready"));
        JsonPath doc = download(token).then().statusCode(200).extract().jsonPath();
        assertEquals("harmony-access-summary/1", doc.getString("format"));
        Map<String, Object> account = doc.getMap("records.find { it.table == 'account' }");
        assertEquals(1, account.get("count"));
        assertTrue(account.containsKey("purpose") && account.containsKey("legal_basis") && account.containsKey("retention")
                && account.containsKey("recipients") && account.containsKey("from_whom") && account.containsKey("collected"), account.toString());
        assertEquals(List.of("you"), account.get("source"), "where the data came from");
        assertTrue(doc.getList("disclosures").isEmpty(), "nothing was disclosed about a new customer");
        given().auth().oauth2(ada.accessToken()).get("/v1/me/privacy-requests/" + id).then().body("status", equalTo("completed"));
    }

    @Test
    void P28_aLegalHoldStopsErasureWithItsReason_untilLifted() {
        SignedIn ada = AuthFixtures.customer();
        String legal = AuthFixtures.withRoles("legal").accessToken();
        String hold = given().auth().oauth2(legal).contentType(ContentType.JSON)
                .body(Map.of("account_id", ada.accountId(), "reason", "Litigation hold: claim 2026-113")).post("/v1/admin/legal-holds")
                .then().statusCode(201).body("reason", equalTo("Litigation hold: claim 2026-113")).extract().path("id");
        given().auth().oauth2(ada.accessToken()).contentType(ContentType.JSON).body(Map.of("reason", "x")).post("/v1/admin/legal-holds")
                .then().statusCode(403);
        given().auth().oauth2(legal).contentType(ContentType.JSON).body(Map.of("reason", "nobody")).post("/v1/admin/legal-holds")
                .then().statusCode(400);

        String id = confirmedRequest(ada, Map.of("kind", "erasure"));
        processAndPublish();
        given().auth().oauth2(ada.accessToken()).get("/v1/me/privacy-requests/" + id).then().statusCode(200)
                .body("status", equalTo("rejected")).body("reason", containsString("Litigation hold: claim 2026-113"));
        assertTrue(MailServer.messageTo(ada.email(), "was not carried out").contains("Litigation hold"));
        given().auth().oauth2(ada.accessToken()).get("/v1/me").then().statusCode(200);

        given().auth().oauth2(legal).delete("/v1/admin/legal-holds/" + hold).then().statusCode(200).body("lifted_at", notNullValue());
        given().auth().oauth2(legal).delete("/v1/admin/legal-holds/" + hold).then().statusCode(409);
        given().auth().oauth2(legal).get("/v1/admin/legal-holds").then().statusCode(200)
                .body(not(containsString("\" : "))); // compact, like every other answer
        confirmedRequest(ada, Map.of("kind", "erasure"));
        processAndPublish();
        // erased: the account and its sessions are gone, so the token no longer works
        given().auth().oauth2(ada.accessToken()).get("/v1/me").then().statusCode(401);
        // the stopped request stays as proof, without the hold's reason (legal's free text may name her), nor does the lifted hold keep it
        String admin = AuthFixtures.admin().accessToken();
        given().auth().oauth2(admin).get("/v1/admin/privacy-requests/" + id).then().statusCode(200)
                .body("status", equalTo("rejected")).body("reason", containsString("a legal hold applied"))
                .body(not(containsString("claim 2026-113")));
        assertEquals(0L, pool.preparedQuery("select count(*) from legal_hold where id = $1 and reason like '%claim 2026-113%'")
                .execute(Tuple.of(UUID.fromString(hold))).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0));
    }

    @Test
    void P28_aLegalHoldOnTheAccountsEmailStopsErasure_andOnceLiftedKeepsNoEmail() {
        SignedIn ada = AuthFixtures.customer();
        String legal = AuthFixtures.withRoles("legal").accessToken();
        String hold = holdOnEmail(legal, ada.email().toUpperCase(java.util.Locale.ROOT), "Authority order 2026-88");

        String id = confirmedRequest(ada, Map.of("kind", "erasure"));
        processAndPublish();
        given().auth().oauth2(ada.accessToken()).get("/v1/me/privacy-requests/" + id).then().statusCode(200)
                .body("status", equalTo("rejected")).body("reason", containsString("Authority order 2026-88"));
        given().auth().oauth2(ada.accessToken()).get("/v1/me").then().statusCode(200);

        given().auth().oauth2(legal).delete("/v1/admin/legal-holds/" + hold).then().statusCode(200);
        confirmedRequest(ada, Map.of("kind", "erasure"));
        processAndPublish();
        given().auth().oauth2(ada.accessToken()).get("/v1/me").then().statusCode(401);
        io.vertx.mutiny.sqlclient.Row kept = pool.preparedQuery("select email, account_id from legal_hold where id = $1").execute(Tuple.of(UUID.fromString(hold)))
                .await().atMost(Duration.ofSeconds(10)).iterator().next();
        assertEquals(null, kept.getString("email"), "the lifted hold stays as a record, without the email");
        assertFalse(UUID.fromString(ada.accountId()).equals(kept.getUUID("account_id")));
    }

    @Test
    void P29_aCorrectionIsAppliedOnlyAfterStaffVerifyIt_andUnknownOrUnproposedFieldsAreRefused() {
        SignedIn ada = AuthFixtures.customer();
        given().header("X-Forwarded-For", AuthFixtures.randomClient()).auth().oauth2(ada.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("kind", "rectification", "corrections", Map.of("favourite_colour", "blue"))).post("/v1/privacy-requests")
                .then().statusCode(400).body("type", equalTo("https://harmony.example/problems/field-not-correctable"))
                .body("detail", containsString("name"));
        String id = confirmedRequest(ada, Map.of("kind", "rectification", "corrections", Map.of("name", "Ada King")));
        String support = AuthFixtures.support().accessToken();
        // the processor leaves a rectification to staff
        processAndPublish();
        given().auth().oauth2(support).get("/v1/admin/privacy-requests/" + id).then().body("status", equalTo("confirmed"));
        // a field the customer did not propose is a slip: refused, and the request stays open for the right decision
        given().auth().oauth2(support).contentType(ContentType.JSON).body(Map.of("verified", List.of("name", "birth_date")))
                .post("/v1/admin/privacy-requests/" + id + "/rectification").then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://harmony.example/problems/validation-failed"))
                .body("errors[0].field", equalTo("verified[1]")).body("errors[0].message", containsString("name"));
        given().auth().oauth2(support).get("/v1/admin/privacy-requests/" + id).then().body("status", equalTo("confirmed"));
        given().auth().oauth2(ada.accessToken()).get("/v1/me").then().statusCode(200).body("name", org.hamcrest.Matchers.not(equalTo("Ada King")));
        given().auth().oauth2(support).contentType(ContentType.JSON).body(Map.of("verified", List.of("name"), "note", "checked the ID card"))
                .post("/v1/admin/privacy-requests/" + id + "/rectification").then().statusCode(200)
                .body("status", equalTo("completed")).body("result.applied", hasItem("name"));
        given().auth().oauth2(ada.accessToken()).get("/v1/me").then().statusCode(200).body("name", equalTo("Ada King"));
        given().auth().oauth2(support).contentType(ContentType.JSON).body(Map.of("verified", List.of("name")))
                .post("/v1/admin/privacy-requests/" + id + "/rectification").then().statusCode(409);
        given().auth().oauth2(ada.accessToken()).contentType(ContentType.JSON).body(Map.of("verified", List.of("name")))
                .post("/v1/admin/privacy-requests/" + id + "/rectification").then().statusCode(403);
    }

    @Test
    void P28_anErasureThatFailsHalfwayLeavesEverythingAsItWas_andIsCarriedOutOnTheRetry() {
        SignedIn ada = AuthFixtures.customer();
        given().auth().oauth2(ada.accessToken()).header("X-Forwarded-For", AuthFixtures.randomClient()).contentType(ContentType.JSON)
                .body(Map.of("topic", "product", "message", "More colours")).post("/v1/feedback").then().statusCode(201);
        String id = confirmedRequest(ada, Map.of("kind", "erasure"));
        // the database refuses one of the statements late in the erasure (after the account's addresses, sessions and feedback went)
        sql("create or replace function refuse_account_delete() returns trigger language plpgsql as $$ begin raise exception 'disk full'; end $$");
        sql("create trigger refuse_account_delete before delete on account for each row execute function refuse_account_delete()");
        try {
            processAndPublish();
        } finally {
            sql("drop trigger refuse_account_delete on account");
        }
        given().auth().oauth2(AuthFixtures.admin().accessToken()).get("/v1/admin/privacy-requests/" + id).then().statusCode(200)
                .body("status", equalTo("confirmed")).body("result", org.hamcrest.Matchers.nullValue());
        // nothing was half-erased: the session, the feedback and the account are all still there
        given().auth().oauth2(ada.accessToken()).get("/v1/me").then().statusCode(200).body("email", equalTo(ada.email()));
        given().auth().oauth2(ada.accessToken()).get("/v1/me/feedback").then().statusCode(200).body("data.size()", equalTo(1));

        sql("update privacy_request set next_attempt_at = now() where id = '" + id + "'");
        processAndPublish();
        given().auth().oauth2(AuthFixtures.admin().accessToken()).get("/v1/admin/privacy-requests/" + id).then()
                .body("status", equalTo("completed"));
        given().auth().oauth2(ada.accessToken()).get("/v1/me").then().statusCode(401);
    }

    @Test
    void P28_theRequestCompletesOnlyWhenTheGatewayHasAcknowledgedTheErasure() {
        SignedIn ada = AuthFixtures.customer();
        String support = AuthFixtures.support().accessToken();
        String order = com.harmony.order.OrderFixtures.paidOrder(ada, 1200, 1).path("id");
        for (String to : List.of("fulfilled", "shipped", "delivered")) {
            given().auth().oauth2(support).contentType(ContentType.JSON).body(Map.of("to", to)).post("/v1/admin/orders/" + order + "/transitions")
                    .then().statusCode(200);
        }
        String reference = pool.preparedQuery("select payment_reference from orders where id = $1").execute(Tuple.of(UUID.fromString(order)))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getString(0);
        String id = confirmedRequest(ada, Map.of("kind", "erasure"));
        gateway.failErasures(true);
        try {
            processAndPublish();
            given().auth().oauth2(AuthFixtures.admin().accessToken()).get("/v1/admin/privacy-requests/" + id).then()
                    .body("status", equalTo("processing"))
                    .body("recipients.find { it.recipient == 'payment_provider' }.acknowledged_at", org.hamcrest.Matchers.nullValue())
                    .body("result.tables.find { it.table == 'orders' }.action", equalTo("kept"));
        } finally {
            gateway.failErasures(false);
        }
        sql("update outbox set next_attempt_at = now() where status = 'pending' and topic = 'privacy.erasure-notice'");
        processAndPublish();
        assertTrue(gateway.forgot(reference), "the gateway was asked to erase the payment");
        given().auth().oauth2(AuthFixtures.admin().accessToken()).get("/v1/admin/privacy-requests/" + id).then()
                .body("status", equalTo("completed"))
                .body("recipients.find { it.recipient == 'payment_provider' }.answer", containsString("erased"));
    }

    private void sql(String statement) {
        pool.query(statement).execute().await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void P28_theRetentionRunIsForAdminsAndLogsItsCounts_andRunsTwiceSafely() {
        String admin = AuthFixtures.admin().accessToken();
        given().auth().oauth2(AuthFixtures.customer().accessToken()).post("/v1/admin/retention-runs").then().statusCode(403);
        given().auth().oauth2(admin).post("/v1/admin/retention-runs").then().statusCode(200).body("finished_at", notNullValue());
        // two instances running at once: both finish, no rule fails
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(3);
        List<java.util.concurrent.CompletableFuture<String>> runs = java.util.stream.IntStream.range(0, 3).mapToObj(i ->
                java.util.concurrent.CompletableFuture.supplyAsync(() -> given().auth().oauth2(admin).post("/v1/admin/retention-runs").then()
                        .statusCode(200).extract().asString(), threads)).toList();
        for (var run : runs) {
            assertFalse(JsonPath.from(run.join()).getList("counts.error").stream().anyMatch(e -> e != null), run.join());
        }
        threads.shutdown();
        given().auth().oauth2(admin).get("/v1/admin/retention-runs").then().statusCode(200).body("data[0].counts.rule", notNullValue());
        given().auth().oauth2(admin).queryParam("limit", "0").get("/v1/admin/retention-runs").then().statusCode(400);
    }
}
