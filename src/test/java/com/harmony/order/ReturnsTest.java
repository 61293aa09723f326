package com.harmony.order;

import static com.harmony.order.OrderFixtures.paidOrder;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import com.harmony.AuthFixtures.SignedIn;
import com.harmony.Bursts;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
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

/** Returns, refunds and exchanges (P9): verified buyers ask, support decides, money goes back through the provider. */
@QuarkusTest
class ReturnsTest {

    private static final String PROBLEMS = "https://harmony.example/problems/";

    @Inject
    Pool pool;

    /** A delivered order of quantity units at price; returns the order document. */
    private static Response deliveredOrder(SignedIn who, long price, int quantity) {
        Response order = paidOrder(who, price, quantity);
        String support = AuthFixtures.support().accessToken();
        for (String to : List.of("fulfilled", "shipped", "delivered")) {
            given().auth().oauth2(support).contentType(ContentType.JSON).body(Map.of("to", to))
                    .post("/v1/admin/orders/" + order.path("id") + "/transitions").then().statusCode(200);
        }
        return order;
    }

    private static Map<String, Object> returnOf(int lineNo, int quantity, String resolution) {
        return new HashMap<>(Map.of("lines", List.of(Map.of("line_no", lineNo, "quantity", quantity)),
                "resolution", resolution, "reason", "too small"));
    }

    private static Response requestReturn(SignedIn who, String orderId, Map<String, Object> body) {
        return given().auth().oauth2(who.accessToken()).header("Idempotency-Key", UUID.randomUUID().toString())
                .contentType(ContentType.JSON).body(body).post("/v1/me/orders/" + orderId + "/returns");
    }

    private static Response approve(String returnId, String key) {
        return given().auth().oauth2(AuthFixtures.support().accessToken()).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(Map.of("note", "ok")).post("/v1/admin/returns/" + returnId + "/approve");
    }

    private static Response guestReturn(String number, String email, String postal, Map<String, Object> ret) {
        return guestReturn(number, email, postal, ret, "192.0.2.10");
    }

    private static Response guestReturn(String number, String email, String postal, Map<String, Object> ret, String client) {
        Map<String, Object> body = new HashMap<>(ret);
        body.put("order_number", number);
        body.put("email", email);
        body.put("postal_code", postal);
        return given().header("Idempotency-Key", UUID.randomUUID().toString()).header("X-Forwarded-For", client)
                .contentType(ContentType.JSON).body(body).post("/v1/returns");
    }

    @Test
    void P9_theOwnerReturnsLines_supportApproves_andTheRefundGoesThroughTheProvider() {
        SignedIn ada = AuthFixtures.customer();
        String orderId = deliveredOrder(ada, 1500, 2).path("id");
        String first = requestReturn(ada, orderId, returnOf(1, 1, "refund")).then().statusCode(201)
                .body("status", equalTo("requested")).body("lines[0].amount.amount_minor", equalTo(1500))
                .extract().path("id");
        approve(first, UUID.randomUUID().toString()).then().statusCode(200)
                .body("status", equalTo("refunded")).body("refund.amount_minor", equalTo(1500));
        given().auth().oauth2(ada.accessToken()).get("/v1/me/orders/" + orderId).then()
                .body("status", equalTo("delivered")).body("refunded.amount_minor", equalTo(1500))
                .body("payment.status", equalTo("partially_refunded")).body("lines[0].returned_quantity", equalTo(1));
        String second = requestReturn(ada, orderId, returnOf(1, 1, "refund")).then().statusCode(201).extract().path("id");
        approve(second, UUID.randomUUID().toString()).then().statusCode(200);
        given().auth().oauth2(ada.accessToken()).get("/v1/me/orders/" + orderId).then()
                .body("status", equalTo("refunded")).body("payment.status", equalTo("refunded"));
        Row recorded = pool.preparedQuery("select verified_as, verifier_account_id::text as who, refund_reference from order_return where id = $1")
                .execute(Tuple.of(UUID.fromString(first))).await().atMost(Duration.ofSeconds(5)).iterator().next();
        assertEquals("owner", recorded.getString("verified_as"));
        assertEquals(ada.accountId(), recorded.getString("who"));
        assertNotNull(recorded.getString("refund_reference"));
    }

    @Test
    void P9_aGuestProvesThePurchaseWithNumberEmailAndPostalCode_andTheDetailsAreKeptForFraudReview() {
        SignedIn ada = AuthFixtures.customer();
        Response order = deliveredOrder(ada, 900, 1);
        String id = guestReturn(order.path("number"), "ADA@Example.com", "627 01", returnOf(1, 1, "refund")).then().statusCode(201)
                .body("order_number", equalTo(order.path("number"))).extract().path("id");
        Row recorded = pool.preparedQuery("""
                select verified_as, verifier_email, verifier_postal_code, verifier_ip, verifier_account_id from order_return where id = $1""")
                .execute(Tuple.of(UUID.fromString(id))).await().atMost(Duration.ofSeconds(5)).iterator().next();
        assertEquals("order_details", recorded.getString("verified_as"));
        assertEquals("ada@example.com", recorded.getString("verifier_email"));
        assertEquals("627 01", recorded.getString("verifier_postal_code"));
        assertNotNull(recorded.getString("verifier_ip"));
        assertEquals(null, recorded.getUUID("verifier_account_id"));
    }

    @Test
    void P9_wrongDetailsAreNotFound_andRepeatedFailuresAreThrottled() {
        SignedIn ada = AuthFixtures.customer();
        Response order = deliveredOrder(ada, 900, 2);
        String number = order.path("number");
        guestReturn("HC-0000000000", "ada@example.com", "62701", returnOf(1, 1, "refund")).then().statusCode(404);
        for (int i = 0; i < 5; i++) {
            guestReturn(number, "eve@example.com", "62701", returnOf(1, 1, "refund")).then().statusCode(404)
                    .body("type", equalTo(PROBLEMS + "not-found"));
        }
        guestReturn(number, "ada@example.com", "62701", returnOf(1, 1, "refund")).then().statusCode(429)
                .body("type", equalTo(PROBLEMS + "rate-limited")).header("Retry-After", notNullValue());
        requestReturn(ada, order.path("id"), returnOf(1, 1, "refund")).then().statusCode(201);
    }

    @Test
    void P9_aBurstOfParallelGuessesIsEvaluatedAtMostUpToTheLimit() throws Exception {
        Response order = deliveredOrder(AuthFixtures.customer(), 900, 1);
        String number = order.path("number");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(12);
        try {
            List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                answers.add(pool.submit(() -> guestReturn(number, "eve@example.com", "62701", returnOf(1, 1, "refund"), "192.0.2.77").statusCode()));
            }
            int evaluated = 0;
            for (var a : answers) {
                int status = a.get(60, java.util.concurrent.TimeUnit.SECONDS);
                if (status == 404) evaluated++;
                else assertEquals(429, status);
            }
            assertEquals(5, evaluated, "exactly the limit of guesses was checked");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void P9_someoneGuessingAtAnOrderElsewhereDoesNotLockItsBuyerOut_butManyAddressesHitTheOrdersCeiling() {
        Response order = deliveredOrder(AuthFixtures.customer(), 900, 2);
        String number = order.path("number");
        for (int i = 0; i < 5; i++) {
            guestReturn(number, "eve@example.com", "62701", returnOf(1, 1, "refund"), "192.0.2.66").then().statusCode(404);
        }
        guestReturn(number, "eve@example.com", "62701", returnOf(1, 1, "refund"), "192.0.2.66").then().statusCode(429);
        // refused guesses do not wear down the order's own ceiling
        for (int i = 0; i < 25; i++) {
            guestReturn(number, "eve@example.com", "62701", returnOf(1, 1, "refund"), "192.0.2.66").then().statusCode(429);
        }
        // the buyer, from their own address, is not locked out by the guesser
        guestReturn(number, "ada@example.com", "62701", returnOf(1, 1, "refund"), "192.0.2.67").then().statusCode(201);
        // guesses spread over many addresses stop at the order's own ceiling (20 in all)
        int status = 0;
        for (int i = 0; i < 30 && status != 429; i++) {
            status = guestReturn(number, "eve@example.com", "62701", returnOf(1, 1, "refund"), "192.0.2." + (100 + i)).statusCode();
        }
        assertEquals(429, status);
    }

    @Test
    void onlyTheOwnerMayRequestAReturn_andOnlyForADeliveredOrder() {
        SignedIn ada = AuthFixtures.customer();
        String delivered = deliveredOrder(ada, 900, 1).path("id");
        requestReturn(AuthFixtures.customer(), delivered, returnOf(1, 1, "refund")).then().statusCode(404);
        String paid = paidOrder(ada, 900, 1).path("id");
        requestReturn(ada, paid, returnOf(1, 1, "refund")).then().statusCode(409).body("type", equalTo(PROBLEMS + "not-returnable"));
        given().header("Idempotency-Key", "k").contentType(ContentType.JSON).body(returnOf(1, 1, "refund"))
                .post("/v1/me/orders/" + delivered + "/returns").then().statusCode(401);
    }

    @Test
    void aLineCannotBeReturnedBeyondWhatWasBought() {
        SignedIn ada = AuthFixtures.customer();
        String orderId = deliveredOrder(ada, 900, 2).path("id");
        requestReturn(ada, orderId, returnOf(1, 3, "refund")).then().statusCode(409).body("type", equalTo(PROBLEMS + "not-returnable"));
        requestReturn(ada, orderId, returnOf(7, 1, "refund")).then().statusCode(400).body("errors[0].field", equalTo("lines[0].line_no"));
        requestReturn(ada, orderId, returnOf(1, 2, "refund")).then().statusCode(201);
        requestReturn(ada, orderId, returnOf(1, 1, "refund")).then().statusCode(409);
        requestReturn(ada, orderId, returnOf(1, 1, "swap")).then().statusCode(400);
        given().auth().oauth2(ada.accessToken()).contentType(ContentType.JSON).body(returnOf(1, 1, "refund"))
                .post("/v1/me/orders/" + orderId + "/returns").then().statusCode(400)
                .body("type", equalTo(PROBLEMS + "idempotency-key-missing"));
    }

    @Test
    void anExchangeCreatesAPaidReplacementOrderAtNoCharge_withItsFulfilmentEvent() {
        SignedIn ada = AuthFixtures.customer();
        Response order = deliveredOrder(ada, 2500, 1);
        String returnId = requestReturn(ada, order.path("id"), returnOf(1, 1, "exchange")).then().statusCode(201).extract().path("id");
        String replacement = approve(returnId, UUID.randomUUID().toString()).then().statusCode(200)
                .body("status", equalTo("exchanged")).body("exchange_order_id", notNullValue()).extract().path("exchange_order_id");
        given().auth().oauth2(ada.accessToken()).get("/v1/me/orders/" + replacement).then().statusCode(200)
                .body("status", equalTo("paid")).body("total.amount_minor", equalTo(0))
                .body("exchange_of", equalTo(order.path("id"))).body("lines[0].sku", equalTo(order.path("lines[0].sku")))
                .body("payment.status", equalTo("none"));
        long events = pool.preparedQuery("select count(*) from outbox where aggregate_id = $1 and topic = $2")
                .execute(Tuple.of(UUID.fromString(replacement), OrderService.FULFILMENT_TOPIC)).await().atMost(Duration.ofSeconds(5))
                .iterator().next().getLong(0);
        assertEquals(1, events, "one fulfilment event for the replacement");
        given().auth().oauth2(AuthFixtures.admin().accessToken()).get("/v1/admin/variants/" + order.path("lines[0].variant_id")).then()
                .body("stock_on_hand", equalTo(9));
    }

    @Test
    void approvingTwice_replaysWithTheSameKey_andIsAConflictWithANewOne() {
        SignedIn ada = AuthFixtures.customer();
        String orderId = deliveredOrder(ada, 900, 1).path("id");
        String returnId = requestReturn(ada, orderId, returnOf(1, 1, "refund")).then().statusCode(201).extract().path("id");
        String support = AuthFixtures.support().accessToken();
        String key = UUID.randomUUID().toString();
        given().auth().oauth2(support).header("Idempotency-Key", key).contentType(ContentType.JSON).body(Map.of())
                .post("/v1/admin/returns/" + returnId + "/approve").then().statusCode(200);
        given().auth().oauth2(support).header("Idempotency-Key", key).contentType(ContentType.JSON).body(Map.of())
                .post("/v1/admin/returns/" + returnId + "/approve").then().statusCode(200).header("Idempotent-Replayed", "true");
        given().auth().oauth2(support).header("Idempotency-Key", UUID.randomUUID().toString()).contentType(ContentType.JSON).body(Map.of())
                .post("/v1/admin/returns/" + returnId + "/approve").then().statusCode(409)
                .body("type", equalTo(PROBLEMS + "return-already-decided"));
        given().auth().oauth2(ada.accessToken()).get("/v1/me/orders/" + orderId).then().body("refunded.amount_minor", equalTo(900));
    }

    /**
     * More decisions of one return at once than the pool has connections (16 in tests): every loser waits for the
     * order's lock on a pooled connection, so one that needed a second connection to say why it lost stalled them all
     * until the pool wait (503s, one after another).
     */
    @Test
    void aBurstOfDecisionsOfOneReturnLargerThanThePool_decidesOnce_andEveryOtherIsAConflict() throws Exception {
        SignedIn ada = AuthFixtures.customer();
        String orderId = deliveredOrder(ada, 900, 1).path("id");
        String returnId = requestReturn(ada, orderId, returnOf(1, 1, "refund")).then().statusCode(201).extract().path("id");
        String support = AuthFixtures.support().accessToken();
        List<Response> answers = Bursts.of(40, i -> given().auth().oauth2(support).header("Idempotency-Key", UUID.randomUUID().toString())
                .contentType(ContentType.JSON).body(Map.of()).post("/v1/admin/returns/" + returnId + (i % 2 == 0 ? "/approve" : "/reject")));
        assertEquals(1, Bursts.onceAndConflicts(answers, PROBLEMS + "return-already-decided"));
        int refunded = given().auth().oauth2(ada.accessToken()).get("/v1/me/orders/" + orderId).path("refunded.amount_minor");
        assertTrue(refunded == 0 || refunded == 900, "refunded once at most: " + refunded);
    }

    @Test
    void aBurstOfReceiptsOfOneReturnLargerThanThePool_receivesOnce_andEveryOtherIsAConflict() throws Exception {
        SignedIn ada = AuthFixtures.customer();
        String orderId = deliveredOrder(ada, 900, 1).path("id");
        String returnId = requestReturn(ada, orderId, returnOf(1, 1, "refund")).then().statusCode(201).extract().path("id");
        String support = AuthFixtures.support().accessToken();
        List<Response> answers = Bursts.of(40, i -> given().auth().oauth2(support)
                .post("/v1/admin/returns/" + returnId + "/receive"));
        assertEquals(1, Bursts.onceAndConflicts(answers, PROBLEMS + "return-already-received"));
    }

    @Test
    void aRefundTheProviderFails_staysRefundPendingAndVisible_neverA502() {
        SignedIn ada = AuthFixtures.customer();
        String v = com.harmony.cart.CartFixtures.variant(700, 5);
        String cartId = com.harmony.cart.CartFixtures.myCartWith(ada, v, 1);
        Map<String, Object> body = OrderFixtures.checkout(cartId);
        body.put("payment_token", "tok_visa_refund_error");
        String orderId = OrderFixtures.place(ada, body).then().statusCode(201).extract().path("id");
        String support = AuthFixtures.support().accessToken();
        for (String to : List.of("fulfilled", "shipped", "delivered")) {
            given().auth().oauth2(support).contentType(ContentType.JSON).body(Map.of("to", to))
                    .post("/v1/admin/orders/" + orderId + "/transitions").then().statusCode(200);
        }
        String returnId = requestReturn(ada, orderId, returnOf(1, 1, "refund")).then().statusCode(201).extract().path("id");
        approve(returnId, UUID.randomUUID().toString()).then().statusCode(200).body("status", equalTo("refund_pending"));
        given().auth().oauth2(support).get("/v1/admin/returns/" + returnId).then().body("status", equalTo("refund_pending"));
        given().auth().oauth2(ada.accessToken()).get("/v1/me/orders/" + orderId).then()
                .body("refunded.amount_minor", equalTo(0)).body("refund_pending.amount_minor", equalTo(700))
                .body("payment.status", equalTo("refund_pending"));
    }

    @Test
    void aRejectedReturnGivesItsUnitsBack_andCustomersCannotDecide() {
        SignedIn ada = AuthFixtures.customer();
        String orderId = deliveredOrder(ada, 900, 1).path("id");
        String returnId = requestReturn(ada, orderId, returnOf(1, 1, "refund")).then().statusCode(201).extract().path("id");
        given().auth().oauth2(ada.accessToken()).header("Idempotency-Key", "x").contentType(ContentType.JSON).body(Map.of())
                .post("/v1/admin/returns/" + returnId + "/approve").then().statusCode(403);
        String support = AuthFixtures.support().accessToken();
        given().auth().oauth2(support).contentType(ContentType.JSON).body(Map.of("note", "worn"))
                .post("/v1/admin/returns/" + returnId + "/reject").then().statusCode(200)
                .body("status", equalTo("rejected")).body("decision_note", equalTo("worn"));
        given().auth().oauth2(support).contentType(ContentType.JSON).body(Map.of())
                .post("/v1/admin/returns/" + returnId + "/reject").then().statusCode(409);
        requestReturn(ada, orderId, returnOf(1, 1, "refund")).then().statusCode(201);
        given().auth().oauth2(support).queryParam("status", "rejected").get("/v1/admin/returns").then().statusCode(200)
                .body("data.id", org.hamcrest.Matchers.hasItem(returnId));
        given().auth().oauth2(support).queryParam("status", "lost").get("/v1/admin/returns").then().statusCode(400);
        given().auth().oauth2(support).get("/v1/admin/returns/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void aReturnApprovedAfterTheWholeOrderWasRefundedPaysNothingTwice() {
        SignedIn ada = AuthFixtures.customer();
        Response order = deliveredOrder(ada, 1000, 2);
        String orderId = order.path("id");
        String returnId = requestReturn(ada, orderId, returnOf(1, 2, "refund")).then().statusCode(201).extract().path("id");
        given().auth().oauth2(AuthFixtures.support().accessToken()).contentType(ContentType.JSON).body(Map.of("to", "refunded"))
                .post("/v1/admin/orders/" + orderId + "/transitions").then().statusCode(200);
        approve(returnId, UUID.randomUUID().toString()).then().statusCode(409);
        given().auth().oauth2(ada.accessToken()).get("/v1/me/orders/" + orderId).then().statusCode(200)
                .body("status", equalTo("refunded"));
        Row row = pool.preparedQuery("select refunded_minor, total_minor from orders where id = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(UUID.fromString(orderId))).await().atMost(java.time.Duration.ofSeconds(5))
                .iterator().next();
        assertEquals(row.getLong("total_minor"), row.getLong("refunded_minor"), "refunded exactly once");
    }

    @Test
    void aReplacementOrderCanBeCancelledThoughNothingWasCharged() {
        SignedIn ada = AuthFixtures.customer();
        Response order = deliveredOrder(ada, 700, 1);
        String returnId = requestReturn(ada, order.path("id"), returnOf(1, 1, "exchange")).then().statusCode(201).extract().path("id");
        String replacement = approve(returnId, UUID.randomUUID().toString()).then().statusCode(200).extract().path("exchange_order_id");
        given().auth().oauth2(ada.accessToken()).post("/v1/me/orders/" + replacement + "/cancel").then().statusCode(200)
                .body("status", equalTo("cancelled"));
    }
}
