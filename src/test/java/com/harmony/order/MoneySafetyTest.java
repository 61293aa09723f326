package com.harmony.order;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import com.harmony.AuthFixtures.SignedIn;
import com.harmony.cart.CartFixtures;
import com.harmony.payment.TestModePaymentProvider;
import com.harmony.platform.Idempotency;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Orders you can trust with money: refunds are recorded as intents and settled by the provider (now or
 * by the refund worker), every line has a budget that refunds, returns and exchanges draw from, and
 * retries or races never pay out more than was paid.
 */
@QuarkusTest
class MoneySafetyTest {

    private static final String PROBLEMS = "https://harmony.example/problems/";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    @Inject
    TestModePaymentProvider provider;

    @Inject
    RefundWorker worker;

    @Inject
    CaptureWorker captures;

    private String support;

    @BeforeEach
    void signInSupport() {
        support = AuthFixtures.support().accessToken();
    }

    @AfterEach
    void endTheOutage() {
        provider.failRefunds(false);
        provider.failCaptures(false);
        provider.delayRefunds(Duration.ZERO);
        provider.loseRefundAnswers(false);
        provider.loseCaptureAnswers(false);
    }

    // ---------------------------------------------------------------------------------------------
    // Refunds the provider refuses stay pending and are retried

    @Test
    void refusedRefund_staysPendingAndIsRetried() {
        SignedIn ada = AuthFixtures.customer();
        Response order = OrderFixtures.paidOrder(ada, 1200, 2);
        String orderId = order.path("id");
        int total = minor(order, "total.amount_minor");
        provider.failRefunds(true);

        cancel(ada, orderId).then().statusCode(200)
                .body("status", equalTo("cancelled"))
                .body("payment.status", equalTo("refund_pending"))
                .body("refunds", hasSize(1))
                .body("refunds[0].status", equalTo("pending"))
                .body("refunds[0].reason", equalTo("cancel"))
                .body("refunded.amount_minor", equalTo(0))
                .body("refund_pending.amount_minor", equalTo(total));
        int attempts = minor(ownerView(ada, orderId), "refunds[0].attempts");

        runWorker();
        Response stillFailing = ownerView(ada, orderId);
        assertEquals("pending", stillFailing.path("refunds[0].status"));
        assertEquals("refund_pending", stillFailing.path("payment.status"));
        assertTrue(minor(stillFailing, "refunds[0].attempts") > attempts, "the worker tried again");
        assertEquals(0, minor(stillFailing, "refunded.amount_minor"));

        provider.failRefunds(false);
        runWorker();
        ownerView(ada, orderId).then()
                .body("status", equalTo("cancelled"))
                .body("payment.status", equalTo("refunded"))
                .body("refunded.amount_minor", equalTo(total))
                .body("refund_pending.amount_minor", equalTo(0))
                .body("refunds", hasSize(1))
                .body("refunds[0].status", equalTo("succeeded"));
        assertEquals((long) total, provider.refundedTotal(paymentReference(orderId)), "the money went back once");
    }

    @Test
    void fullRefundRefused_orderIsRefundingThenEndsRefunded() {
        SignedIn ada = AuthFixtures.customer();
        Response order = OrderFixtures.paidOrder(ada, 1500, 2);
        String orderId = order.path("id");
        int total = minor(order, "total.amount_minor");
        deliver(orderId);
        provider.failRefunds(true);

        String key = UUID.randomUUID().toString();
        move(orderId, "refunded", key).then().statusCode(200)
                .header(Idempotency.REPLAYED, nullValue())
                .body("status", equalTo("refunding"))
                .body("payment.status", equalTo("refund_pending"))
                .body("refunded.amount_minor", equalTo(0))
                .body("refund_pending.amount_minor", equalTo(total));
        move(orderId, "refunded", key).then().statusCode(200)
                .header(Idempotency.REPLAYED, "true")
                .body("status", equalTo("refunding"));
        move(orderId, "refunded", UUID.randomUUID().toString()).then().statusCode(409)
                .body("type", equalTo(PROBLEMS + "illegal-transition"));
        adminView(orderId).then().body("status", equalTo("refunding")).body("allowed_transitions", empty());
        assertTrue(topics(orderId).contains("order.refund_requested"));
        assertFalse(topics(orderId).contains("order.refunded"), "nothing refunded yet");

        runWorker();
        adminView(orderId).then().body("status", equalTo("refunding"));

        provider.failRefunds(false);
        runWorker();
        adminView(orderId).then()
                .body("status", equalTo("refunded"))
                .body("payment.status", equalTo("refunded"))
                .body("refunded.amount_minor", equalTo(total))
                .body("refund_pending.amount_minor", equalTo(0))
                .body("refunds[0].reason", equalTo("full_refund"))
                .body("refunds[0].status", equalTo("succeeded"));
        assertEquals(1, Collections.frequency(topics(orderId), "order.refunded"));
        move(orderId, "refunded", UUID.randomUUID().toString()).then().statusCode(409)
                .body("type", equalTo(PROBLEMS + "illegal-transition"));
        assertEquals((long) total, provider.refundedTotal(paymentReference(orderId)));
    }

    @Test
    void crashBeforeProviderCall_isPickedUpByTheWorker() {
        SignedIn ada = AuthFixtures.customer();
        Response order = paidWith(ada, 900, 2, "tok_visa_refund_flaky");
        String orderId = order.path("id");
        int total = minor(order, "total.amount_minor");
        String reference = paymentReference(orderId);

        cancel(ada, orderId).then().statusCode(200)
                .body("status", equalTo("cancelled"))
                .body("payment.status", equalTo("refund_pending"))
                .body("refunds[0].status", equalTo("pending"));
        assertEquals(1, provider.refundCalls(reference));
        assertEquals(0L, provider.refundedTotal(reference));

        runWorker();
        ownerView(ada, orderId).then()
                .body("payment.status", equalTo("refunded"))
                .body("refunded.amount_minor", equalTo(total))
                .body("refunds[0].status", equalTo("succeeded"));
        assertEquals(2, provider.refundCalls(reference));
        assertEquals((long) total, provider.refundedTotal(reference));
    }

    @Test
    void refundsLeftPendingByAProviderOutage_allSettleInOnePollOnceItIsBack() {
        SignedIn ada = AuthFixtures.customer();
        List<String> orders;
        try {
            orders = cancelledWhileRefundsFail(ada, 23); // more than a round of 20
        } finally {
            provider.failRefunds(false);
        }

        worker.poll().await().atMost(Duration.ofSeconds(60));

        for (String orderId : orders) {
            ownerView(ada, orderId).then().body("payment.status", equalTo("refunded")).body("refunds[0].status", equalTo("succeeded"));
        }
    }

    @Test
    void whileTheProviderStillFails_aPollTriesEachDueRefundOnce_notAgainAndAgain() {
        SignedIn ada = AuthFixtures.customer();
        try {
            List<String> references = cancelledWhileRefundsFail(ada, 21).stream().map(this::paymentReference).toList(); // more than a round of 20

            // the test profile retries at once (no backoff): a drain that went on through rounds that settled
            // nothing called the failing provider for the same refunds again and again for its whole budget
            worker.poll().await().atMost(Duration.ofSeconds(60));

            int calls = references.stream().mapToInt(provider::refundCalls).sum();
            assertTrue(calls <= 2 * references.size(), "the cancels' calls and at most one more each, not " + calls);
        } finally {
            provider.failRefunds(false);
        }
        worker.poll().await().atMost(Duration.ofSeconds(60));
    }

    @Test
    void workerRetriesAreIdempotentAtTheProvider() throws Exception {
        SignedIn ada = AuthFixtures.customer();
        Response order = OrderFixtures.paidOrder(ada, 700, 3);
        String orderId = order.path("id");
        int total = minor(order, "total.amount_minor");
        String reference = paymentReference(orderId);
        String refundId = cancelWhileRefundsFail(ada, orderId);
        provider.failRefunds(false);

        CompletableFuture<?> first = worker.runDue().subscribeAsCompletionStage();
        CompletableFuture<?> second = worker.runDue().subscribeAsCompletionStage();
        first.get(30, TimeUnit.SECONDS);
        second.get(30, TimeUnit.SECONDS);
        runWorker();
        int calls = provider.refundCalls(reference);
        runWorker();
        runWorker();

        refundAsSupport(refundId).then().statusCode(200).body("status", equalTo("succeeded"))
                .body("completed_at", notNullValue());
        given().auth().oauth2(support).post("/v1/admin/refunds/" + refundId + "/retry").then().statusCode(409)
                .body("type", equalTo(PROBLEMS + "refund-not-pending"));
        ownerView(ada, orderId).then().body("refunds", hasSize(1)).body("refunded.amount_minor", equalTo(total));
        assertEquals(calls, provider.refundCalls(reference), "a settled refund is never sent again");
        assertEquals((long) total, provider.refundedTotal(reference), "refunded exactly once");
    }

    @Test
    void aRefundThePaidProviderNeverAnswers_isAnsweredInBoundedTime_staysPending_andIsPaidOnceWhenRetried() {
        SignedIn ada = AuthFixtures.customer();
        Response order = OrderFixtures.paidOrder(ada, 1300, 1);
        String orderId = order.path("id");
        int total = minor(order, "total.amount_minor");
        String reference = paymentReference(orderId);
        provider.loseRefundAnswers(true); // the gateway pays back, its answer never comes

        // the cancel answers once the call's timeout (harmony.payments.call-timeout) has run out, not never
        String refundId = given().auth().oauth2(ada.accessToken()).post("/v1/me/orders/" + orderId + "/cancel").then().statusCode(200)
                .body("status", equalTo("cancelled"))
                .body("payment.status", equalTo("refund_pending"))
                .body("refunds[0].status", equalTo("pending"))
                .extract().path("refunds[0].id");
        refundAsSupport(refundId).then().statusCode(200).body("status", equalTo("pending"))
                .body("last_error", org.hamcrest.Matchers.startsWith("payment-provider-error"));
        assertEquals((long) total, provider.refundedTotal(reference), "the gateway did pay it back");

        provider.loseRefundAnswers(false);
        given().auth().oauth2(support).post("/v1/admin/refunds/" + refundId + "/retry").then().statusCode(200)
                .body("status", equalTo("succeeded"));
        assertEquals(2, provider.refundCalls(reference), "the lost call and the retry, under the refund's own key");
        assertEquals((long) total, provider.refundedTotal(reference), "paid back once, not twice");
        ownerView(ada, orderId).then().body("payment.status", equalTo("refunded")).body("refunded.amount_minor", equalTo(total));
    }

    @Test
    void aCaptureWhoseAnswerWasLost_thenCancelled_isRefunded_notReleasedWhileTheMoneyIsKept() {
        SignedIn ada = AuthFixtures.customer();
        String variant = CartFixtures.variant(1450, 5);
        provider.loseCaptureAnswers(true); // the gateway captures; its answer never comes

        Response order = placeOrder(ada, variant, 1, "tok_visa");
        String orderId = order.path("id");
        int total = minor(order, "total.amount_minor");
        assertEquals("placed", order.path("status"), "the checkout could not learn that the capture went through");
        assertEquals("authorised", order.path("payment.status"));
        String reference = paymentReference(orderId);
        provider.loseCaptureAnswers(false);

        // the buyer cancels before the capture worker's retry: the gateway refuses the release, the money goes back
        cancel(ada, orderId).then().statusCode(200).body("status", equalTo("cancelled"));
        ownerView(ada, orderId).then()
                .body("payment.status", equalTo("refunded"))
                .body("refunded.amount_minor", equalTo(total))
                .body("refunds.find { it.reason == 'late_capture' }.status", equalTo("succeeded"));
        assertEquals((long) total, provider.refundedTotal(reference), "the captured money was paid back");
        assertEquals(5, stockOnHand(variant), "the cancelled unit went back on hand");
    }

    @Test
    void aWorkerRoundMeetingAProviderThatNeverAnswers_endsWithinItsClaimsLease_havingCalledEachRefundOnce() {
        // more refunds than one lease holds, had the round called the provider for them one after another
        int n = 8;
        List<String> references = new ArrayList<>();
        List<UUID> refundIds = new ArrayList<>();
        List<Integer> totals = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SignedIn buyer = AuthFixtures.customer();
            Response order = OrderFixtures.paidOrder(buyer, 1400 + i, 1);
            String orderId = order.path("id");
            totals.add(minor(order, "total.amount_minor"));
            references.add(paymentReference(orderId));
            refundIds.add(UUID.fromString(cancelWhileRefundsFail(buyer, orderId)));
        }
        provider.failRefunds(false);
        provider.loseRefundAnswers(true);
        pool.preparedQuery("update payment_refund set next_attempt_at = now() where id = any($1)")
                .execute(Tuple.of(refundIds.toArray(UUID[]::new))).await().atMost(WAIT);

        worker.runDue().await().atMost(Duration.ofSeconds(25)); // the lease is 30 s, each call given 4 s in tests

        for (int i = 0; i < n; i++) {
            assertEquals(2, provider.refundCalls(references.get(i)), "the cancel's failed call and this round's");
            Row r = pool.preparedQuery("select status, attempts, leased_until, last_error from payment_refund where id = $1")
                    .execute(Tuple.of(refundIds.get(i))).await().atMost(WAIT).iterator().next();
            assertEquals("pending", r.getString("status"));
            assertEquals(2, r.getInteger("attempts"));
            assertEquals(null, r.getValue("leased_until"), "the round gave its claim back");
            assertTrue(r.getString("last_error").startsWith("payment-provider-error"), r.getString("last_error"));
        }

        provider.loseRefundAnswers(false);
        pool.preparedQuery("update payment_refund set next_attempt_at = now() where id = any($1)")
                .execute(Tuple.of(refundIds.toArray(UUID[]::new))).await().atMost(WAIT);
        runWorker();
        for (int i = 0; i < n; i++) {
            refundAsSupport(refundIds.get(i).toString()).then().body("status", equalTo("succeeded"));
            assertEquals((long) totals.get(i), provider.refundedTotal(references.get(i)), "paid back once");
        }
    }

    @Test
    void supportsRetryWhileTheProviderIsStillAnswering_startsNoSecondCall() throws Exception {
        SignedIn ada = AuthFixtures.customer();
        Response order = OrderFixtures.paidOrder(ada, 900, 1);
        String orderId = order.path("id");
        int total = minor(order, "total.amount_minor");
        String reference = paymentReference(orderId);
        String refundId = cancelWhileRefundsFail(ada, orderId);
        assertEquals(1, provider.refundCalls(reference));
        provider.failRefunds(false);
        provider.delayRefunds(Duration.ofSeconds(2));

        CompletableFuture<Integer> inFlight = worker.runDue().subscribeAsCompletionStage(); // the worker's attempt, answered in 2 s
        Thread.sleep(500);
        given().auth().oauth2(support).post("/v1/admin/refunds/" + refundId + "/retry").then().statusCode(200)
                .body("status", equalTo("pending"));
        inFlight.get(30, TimeUnit.SECONDS);
        Thread.sleep(2500); // a second call, had the retry started one, would have answered by now

        assertEquals(2, provider.refundCalls(reference), "the failed first call and the worker's; the retry found it under way");
        refundAsSupport(refundId).then().body("status", equalTo("succeeded"));
        assertEquals((long) total, provider.refundedTotal(reference));
    }

    @Test
    void supportListsPendingRefundsAndRetriesOne() {
        SignedIn ada = AuthFixtures.customer();
        Response order = OrderFixtures.paidOrder(ada, 1100, 1);
        String orderId = order.path("id");
        int total = minor(order, "total.amount_minor");
        String refundId = cancelWhileRefundsFail(ada, orderId);

        assertTrue(pendingRefundsInclude(refundId), "listed as pending");
        Response pending = refundAsSupport(refundId).then().statusCode(200)
                .body("order_id", equalTo(orderId))
                .body("order_number", equalTo(order.path("number")))
                .body("status", equalTo("pending"))
                .body("reason", equalTo("cancel"))
                .body("amount.amount_minor", equalTo(total))
                .body("completed_at", nullValue())
                .extract().response();
        int attempts = minor(pending, "attempts");

        String customer = ada.accessToken();
        given().auth().oauth2(customer).queryParam("status", "pending").get("/v1/admin/refunds").then().statusCode(403);
        given().auth().oauth2(customer).get("/v1/admin/refunds/" + refundId).then().statusCode(403);
        given().auth().oauth2(customer).post("/v1/admin/refunds/" + refundId + "/retry").then().statusCode(403);
        given().get("/v1/admin/refunds").then().statusCode(401);

        given().auth().oauth2(support).post("/v1/admin/refunds/" + refundId + "/retry").then().statusCode(200)
                .body("status", equalTo("pending"))
                .body("attempts", equalTo(attempts + 1))
                .body("last_error", not(emptyOrNullString()));

        provider.failRefunds(false);
        given().auth().oauth2(support).header("Idempotency-Key", UUID.randomUUID().toString())
                .post("/v1/admin/refunds/" + refundId + "/retry").then().statusCode(200)
                .body("id", equalTo(refundId))
                .body("status", equalTo("succeeded"))
                .body("completed_at", notNullValue());
        assertFalse(pendingRefundsInclude(refundId), "no longer pending");
        ownerView(ada, orderId).then().body("payment.status", equalTo("refunded")).body("refunded.amount_minor", equalTo(total));
        assertEquals((long) total, provider.refundedTotal(paymentReference(orderId)));
        // P24: each retry is a staff action on the customer's money, audited with it
        given().auth().oauth2(AuthFixtures.admin().accessToken()).queryParam("target_type", "refund").queryParam("target_id", refundId)
                .get("/v1/admin/audit-log").then().statusCode(200)
                .body("data.findAll { it.action == 'refund.retried' }.size()", equalTo(2))
                .body("data[0].subject_account_id", equalTo(ada.accountId()));
    }

    @Test
    void supportFindsOrdersWhoseRefundsWaitForTheProvider() {
        SignedIn ada = AuthFixtures.customer();
        String orderId = OrderFixtures.paidOrder(ada, 900, 1).path("id");
        provider.failRefunds(true);
        cancel(ada, orderId).then().statusCode(200);
        given().auth().oauth2(support).queryParam("payment_status", "refund_pending").queryParam("account_id", ada.accountId())
                .get("/v1/admin/orders").then().statusCode(200)
                .body("data.id", hasItem(orderId));
        given().auth().oauth2(support).queryParam("payment_status", "bogus").get("/v1/admin/orders").then().statusCode(400)
                .body("type", equalTo(PROBLEMS + "validation-failed"));
        provider.failRefunds(false);
        runWorker();
        given().auth().oauth2(support).queryParam("payment_status", "refund_pending").queryParam("account_id", ada.accountId())
                .get("/v1/admin/orders").then().statusCode(200)
                .body("data.id", not(hasItem(orderId)));
    }

    @Test
    void staffMovesToPaidAtOnce_moveTheOrderOnce_theRestAre409_andAPaidOrderIsNeverRefunded() throws Exception {
        SignedIn ada = AuthFixtures.customer();
        provider.failCaptures(true);
        String orderId = OrderFixtures.paidOrder(ada, 1300, 1).then().body("status", equalTo("placed")).extract().path("id");
        move(orderId, "paid", UUID.randomUUID().toString()).then().statusCode(502).header("Retry-After", "5")
                .body("type", equalTo("https://harmony.example/problems/payment-provider-error"));
        adminView(orderId).then().body("status", equalTo("placed"));
        provider.failCaptures(false);
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            calls.add(() -> move(orderId, "paid", UUID.randomUUID().toString()));
        }
        List<Response> moves = inParallel(calls);
        assertEquals(1, moves.stream().filter(r -> r.statusCode() == 200).count(), "one move to paid happens");
        for (Response r : moves) {
            if (r.statusCode() != 200) {
                r.then().statusCode(409).body("type", equalTo(PROBLEMS + "illegal-transition"));
            }
        }
        adminView(orderId).then().body("status", equalTo("paid")).body("payment.status", equalTo("captured"))
                .body("refunds", empty());
        assertEquals(0L, provider.refundedTotal(paymentReference(orderId)), "a paid order is never refunded by a second capture");
    }

    @Test
    void staffMovesToPaidRacingTheBuyersCancel_refundTheLateCaptureOnce_andAnswer409NotA500() throws Exception {
        SignedIn ada = AuthFixtures.customer();
        provider.failCaptures(true);
        String orderId = OrderFixtures.paidOrder(ada, 1700, 1).then().body("status", equalTo("placed")).extract().path("id");
        provider.failCaptures(false);
        provider.delayCaptures(java.time.Duration.ofMillis(1500));
        try {
            ExecutorService staff = Executors.newFixedThreadPool(3);
            List<Future<Response>> moves = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                moves.add(staff.submit(() -> {
                    Response r = move(orderId, "paid", UUID.randomUUID().toString());
                    r.asByteArray();
                    return r;
                }));
            }
            Thread.sleep(500); // every move has read "placed" and waits on the slow capture
            cancel(ada, orderId).then().statusCode(200).body("status", equalTo("cancelled"));
            for (Future<Response> f : moves) {
                f.get(30, TimeUnit.SECONDS).then().statusCode(409).body("type", equalTo(PROBLEMS + "illegal-transition"));
            }
            staff.shutdown();
        } finally {
            provider.delayCaptures(java.time.Duration.ZERO);
        }
        runWorker();
        adminView(orderId).then().body("status", equalTo("cancelled"))
                .body("refunds.size()", equalTo(1)).body("refunds[0].reason", equalTo("late_capture"))
                .body("refunds[0].amount.amount_minor", equalTo(1700)).body("refunds[0].status", equalTo("succeeded"));
        assertEquals(1700L, provider.refundedTotal(paymentReference(orderId)), "the captured money went back once");
    }

    // ---------------------------------------------------------------------------------------------
    // A checkout whose capture failed is captured later, by whichever instance claims it first

    @Test
    void aCheckoutWhoseCaptureFailed_isCapturedByTheWorkerWhenTheProviderIsBack_andPaidWithItsFulfilmentEvent() {
        SignedIn ada = AuthFixtures.customer();
        provider.failCaptures(true);
        String orderId = OrderFixtures.paidOrder(ada, 1400, 1).then().body("status", equalTo("placed"))
                .body("payment.status", equalTo("authorised")).extract().path("id");
        captures.runDue().await().atMost(WAIT);
        assertEquals(0, captureAttempts(orderId), "the checkout set the first wait (30 s) when its own capture failed");

        dueNow(orderId);
        // two instances' rounds at once, the provider still down: one claims the order, and it waits before the next try
        inParallelRounds(2);
        assertEquals(1, captureAttempts(orderId), "claimed by one round only");
        captures.runDue().await().atMost(WAIT);
        assertEquals(1, captureAttempts(orderId), "not tried again before its backoff is over");
        adminView(orderId).then().body("status", equalTo("placed"));

        provider.failCaptures(false);
        dueNow(orderId);
        captures.runDue().await().atMost(WAIT);
        ownerView(ada, orderId).then().body("status", equalTo("paid")).body("payment.status", equalTo("captured"));
        assertTrue(topics(orderId).contains(OrderService.FULFILMENT_TOPIC), topics(orderId).toString());
        captures.runDue().await().atMost(WAIT);
        assertEquals(2, captureAttempts(orderId), "a paid order is never claimed again");
    }

    @Test
    void aRoundSkipsAnOrderAnotherInstanceHoldsLocked_insteadOfWaitingForIt() {
        SignedIn ada = AuthFixtures.customer();
        provider.failCaptures(true);
        String orderId = OrderFixtures.paidOrder(ada, 1500, 1).then().body("status", equalTo("placed")).extract().path("id");
        provider.failCaptures(false);
        dueNow(orderId);
        io.vertx.mutiny.sqlclient.SqlConnection other = pool.getConnection().await().atMost(WAIT);
        try {
            io.vertx.mutiny.sqlclient.Transaction tx = other.begin().await().atMost(WAIT);
            other.preparedQuery("select 1 from orders where id = $1 for update").execute(Tuple.of(UUID.fromString(orderId))).await().atMost(WAIT);
            captures.runDue().await().atMost(Duration.ofSeconds(5)); // SKIP LOCKED: a plain FOR UPDATE would wait here
            assertEquals(0, captureAttempts(orderId));
            tx.rollback().await().atMost(WAIT);
        } finally {
            other.close().await().atMost(WAIT);
        }
        captures.runDue().await().atMost(WAIT);
        adminView(orderId).then().body("status", equalTo("paid"));
    }

    @Test
    void anOrderStillUncapturedAfterSevenDays_isCancelled_itsStockBack_andTheAuthorisationReleased() {
        SignedIn ada = AuthFixtures.customer();
        String variant = CartFixtures.variant(900, 5);
        provider.failCaptures(true);
        String orderId = placeOrder(ada, variant, 2, "tok_visa").then().body("status", equalTo("placed")).extract().path("id");
        assertEquals(3, stockOnHand(variant));

        placedAgo(orderId, "8 days");
        dueNow(orderId);
        captures.runDue().await().atMost(WAIT);
        ownerView(ada, orderId).then().body("status", equalTo("cancelled")).body("payment.status", equalTo("released"));
        assertEquals(5, stockOnHand(variant), "the reserved units are for sale again");
    }

    private void dueNow(String orderId) {
        pool.preparedQuery("update orders set capture_next_at = now() where id = $1").execute(Tuple.of(UUID.fromString(orderId))).await().atMost(WAIT);
    }

    private void placedAgo(String orderId, String age) {
        pool.preparedQuery("update orders set created_at = now() - $2::text::interval where id = $1").execute(Tuple.of(UUID.fromString(orderId), age))
                .await().atMost(WAIT);
    }

    private int captureAttempts(String orderId) {
        return pool.preparedQuery("select capture_attempts from orders where id = $1").execute(Tuple.of(UUID.fromString(orderId)))
                .await().atMost(WAIT).iterator().next().getInteger(0);
    }

    /** Capture rounds started at the same moment, as instances' schedulers would. */
    private void inParallelRounds(int n) {
        List<io.smallrye.mutiny.Uni<Integer>> rounds = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rounds.add(captures.runDue());
        }
        io.smallrye.mutiny.Uni.join().all(rounds).andFailFast().await().atMost(WAIT);
    }

    @Test
    void aRefundFailingForMonths_keepsItsBackoffCappedAtAnHour() {
        SignedIn ada = AuthFixtures.customer();
        String orderId = OrderFixtures.paidOrder(ada, 700, 1).path("id");
        String refundId = cancelWhileRefundsFail(ada, orderId);
        pool.preparedQuery("update payment_refund set attempts = 5000, next_attempt_at = now() where id = $1")
                .execute(Tuple.of(UUID.fromString(refundId))).await().atMost(WAIT);
        given().auth().oauth2(support).post("/v1/admin/refunds/" + refundId + "/retry").then().statusCode(200)
                .body("status", equalTo("pending")).body("attempts", equalTo(5001));
        var row = pool.preparedQuery("""
                        select next_attempt_at <= now() + interval '1 hour 1 minute' as capped, last_error from payment_refund where id = $1""")
                .execute(Tuple.of(UUID.fromString(refundId))).await().atMost(WAIT).iterator().next();
        assertTrue(row.getBoolean("capped"), "the wait never passes the hour");
        assertTrue(row.getString("last_error").contains("payment-provider-error"), "the failure is recorded, not lost");
    }

    @Test
    void theBuyerSeesThatARefundIsUnderWay() {
        SignedIn ada = AuthFixtures.customer();
        String orderId = OrderFixtures.paidOrder(ada, 1300, 2).path("id");
        deliver(orderId);
        String returnId = requestReturn(ada, orderId, returnOf(1, 1, "refund")).then().statusCode(201).extract().path("id");
        provider.failRefunds(true);

        approve(support, returnId, UUID.randomUUID().toString()).then().statusCode(200)
                .body("status", equalTo("refund_pending"));
        ownerView(ada, orderId).then()
                .body("status", equalTo("delivered"))
                .body("refunded.amount_minor", equalTo(0))
                .body("refund_pending.amount_minor", equalTo(1300))
                .body("refund_pending.currency", equalTo("USD"))
                .body("refunds", hasSize(1))
                .body("refunds[0].id", notNullValue())
                .body("refunds[0].status", equalTo("pending"))
                .body("refunds[0].reason", equalTo("return"))
                .body("refunds[0].return_id", equalTo(returnId))
                .body("refunds[0].amount.amount_minor", equalTo(1300))
                .body("refunds[0].created_at", notNullValue())
                .body("refunds[0].completed_at", nullValue());

        provider.failRefunds(false);
        runWorker();
        ownerView(ada, orderId).then()
                .body("payment.status", equalTo("partially_refunded"))
                .body("refunded.amount_minor", equalTo(1300))
                .body("refund_pending.amount_minor", equalTo(0))
                .body("refunds[0].status", equalTo("succeeded"))
                .body("refunds[0].completed_at", notNullValue());
        given().auth().oauth2(support).get("/v1/admin/returns/" + returnId).then().statusCode(200)
                .body("status", equalTo("refunded"));
    }

    // ---------------------------------------------------------------------------------------------
    // Returns, exchanges and refunds share one budget per line

    @Test
    void fullRefund_rejectsPendingExchange() {
        SignedIn ada = AuthFixtures.customer();
        Response order = OrderFixtures.paidOrder(ada, 1200, 1);
        String orderId = order.path("id");
        int total = minor(order, "total.amount_minor");
        deliver(orderId);
        String returnId = requestReturn(ada, orderId, returnOf(1, 1, "exchange")).then().statusCode(201)
                .body("status", equalTo("requested")).extract().path("id");

        move(orderId, "refunded", UUID.randomUUID().toString()).then().statusCode(200).body("status", equalTo("refunded"));
        given().auth().oauth2(support).get("/v1/admin/returns/" + returnId).then().statusCode(200)
                .body("status", equalTo("rejected"))
                .body("decision_note", not(emptyOrNullString()))
                .body("exchange_order_id", nullValue());
        approve(support, returnId, UUID.randomUUID().toString()).then().statusCode(409)
                .body("type", equalTo(PROBLEMS + "return-already-decided"));

        long replacements = pool.preparedQuery("select count(*) from orders where exchange_of = $1")
                .execute(Tuple.of(UUID.fromString(orderId))).await().atMost(WAIT).iterator().next().getLong(0);
        assertEquals(0, replacements, "no replacement ships for refunded goods");
        ownerView(ada, orderId).then().body("refunded.amount_minor", equalTo(total));
        assertEquals((long) total, provider.refundedTotal(paymentReference(orderId)));
        assertTrue(topics(orderId).contains("return.rejected"));
        assertFalse(topics(orderId).contains("exchange.created"));
    }

    @Test
    void exchangeThenFullRefund_doesNotRefundExchangedUnits() {
        SignedIn ada = AuthFixtures.customer();
        String orderId = OrderFixtures.paidOrder(ada, 1000, 2).path("id");
        deliver(orderId);
        String returnId = requestReturn(ada, orderId, returnOf(1, 1, "exchange")).then().statusCode(201).extract().path("id");
        approve(support, returnId, UUID.randomUUID().toString()).then().statusCode(200)
                .body("status", equalTo("exchanged")).body("exchange_order_id", notNullValue());
        ownerView(ada, orderId).then().body("lines[0].exchanged_quantity", equalTo(1));

        move(orderId, "refunded", UUID.randomUUID().toString()).then().statusCode(200)
                .body("status", equalTo("refunded"))
                .body("refunded.amount_minor", equalTo(1000));
        ownerView(ada, orderId).then()
                .body("refunded.amount_minor", equalTo(1000))
                .body("refunds", hasSize(1))
                .body("refunds[0].reason", equalTo("full_refund"))
                .body("refunds[0].amount.amount_minor", equalTo(1000))
                .body("lines[0].refundable.amount_minor", equalTo(0))
                .body("payment.status", equalTo("refunded"));
        assertEquals(1000L, provider.refundedTotal(paymentReference(orderId)), "the replaced unit is not paid back too");
        assertEquals(1, Collections.frequency(topics(orderId), "order.refunded"), "commissions hear that nothing is owed any more");
    }

    @Test
    void aCancelledReplacementOrder_turnsItsExchangeIntoARefundOfTheReplacedUnits_once() {
        SignedIn ada = AuthFixtures.customer();
        String orderId = OrderFixtures.paidOrder(ada, 1000, 2).path("id");
        String returnId = exchangedOnce(ada, orderId);
        String replacementId = given().auth().oauth2(support).get("/v1/admin/returns/" + returnId).then().statusCode(200)
                .extract().path("exchange_order_id");

        cancel(ada, replacementId).then().statusCode(200).body("status", equalTo("cancelled"));
        ownerView(ada, orderId).then()
                .body("lines[0].exchanged_quantity", equalTo(0))
                .body("refunds", hasSize(1))
                .body("refunds[0].reason", equalTo("return")).body("refunds[0].return_id", equalTo(returnId))
                .body("refunds[0].amount.amount_minor", equalTo(1000)).body("refunds[0].status", equalTo("succeeded"))
                .body("refunded.amount_minor", equalTo(1000))
                .body("lines[0].refundable.amount_minor", equalTo(1000))
                .body("payment.status", equalTo("partially_refunded"));
        given().auth().oauth2(support).get("/v1/admin/returns/" + returnId).then().statusCode(200)
                .body("status", equalTo("refunded")).body("refund.amount_minor", equalTo(1000));
        assertEquals(1000L, provider.refundedTotal(paymentReference(orderId)), "the buyer gets the replaced unit's price back");

        cancel(ada, replacementId).then().statusCode(409);
        assertEquals(1000L, provider.refundedTotal(paymentReference(orderId)), "and only once");
        // the other unit can still be returned for money; the exchanged one cannot be paid again
        move(orderId, "refunded", UUID.randomUUID().toString()).then().statusCode(200).body("refunded.amount_minor", equalTo(2000));
        assertEquals(2000L, provider.refundedTotal(paymentReference(orderId)), "never more than was paid");
    }

    @Test
    void partialRefundsThatGiveBackEverything_endThePaidOrder_soItNeverShips() {
        SignedIn ada = AuthFixtures.customer();
        String variant = CartFixtures.variant(700, 5);
        String orderId = placeOrder(ada, variant, 2, "tok_visa").path("id");
        assertEquals(3, stockOnHand(variant));
        partialRefund(orderId, List.of(line(1, 1))).then().statusCode(201).body("status", equalTo("succeeded"));
        adminView(orderId).then().body("status", equalTo("paid")).body("payment.status", equalTo("partially_refunded"));
        assertEquals(3, stockOnHand(variant), "a paid order refunded in part still ships");
        partialRefund(orderId, List.of(line(1, 1))).then().statusCode(201).body("status", equalTo("succeeded"));
        adminView(orderId).then().body("status", equalTo("refunded")).body("payment.status", equalTo("refunded"))
                .body("allowed_transitions", empty());
        assertEquals(5, stockOnHand(variant), "the units of an order that will never ship go back on hand, once");
        move(orderId, "fulfilled", UUID.randomUUID().toString()).then().statusCode(409)
                .body("type", equalTo(PROBLEMS + "illegal-transition"));
    }

    @Test
    void aReplacementOrderCannotBeReturnedForMoney_nothingWasPaidForIt() {
        SignedIn ada = AuthFixtures.customer();
        String orderId = OrderFixtures.paidOrder(ada, 800, 1).path("id");
        String replacement = given().auth().oauth2(support).get("/v1/admin/returns/" + exchangedOnce(ada, orderId)).then()
                .statusCode(200).extract().path("exchange_order_id");
        deliver(replacement);
        requestReturn(ada, replacement, returnOf(1, 1, "refund")).then().statusCode(409).body("type", equalTo(PROBLEMS + "not-returnable"));
        ownerView(ada, replacement).then().body("lines[0].returnable_quantity", equalTo(1));
        // support refunds it instead: the exchange is paid back on the original
        move(replacement, "refunded", UUID.randomUUID().toString()).then().statusCode(200).body("status", equalTo("refunded"));
        assertEquals(800L, provider.refundedTotal(paymentReference(orderId)));
    }

    /**
     * A return whose goods came back, on a line a partial refund has since drawn on, cannot be approved (its units' value is
     * not left on the line); it can be rejected, so it never stays open for good, and its units stay returned.
     */
    @Test
    void aReceivedReturnThatCanNoLongerBeApproved_canBeRejected_andItsUnitsStayReturned() {
        SignedIn ada = AuthFixtures.customer();
        String orderId = OrderFixtures.paidOrder(ada, 1250, 2).path("id");
        String returnId = receivedReturn(ada, orderId);
        Map<String, Object> goodwill = line(1, 0);
        goodwill.put("amount_minor", 1500);
        partialRefund(orderId, List.of(goodwill)).then().statusCode(201);

        approve(support, returnId, UUID.randomUUID().toString()).then().statusCode(409)
                .body("type", equalTo(PROBLEMS + "refund-exceeds-balance"));
        given().auth().oauth2(support).contentType(ContentType.JSON).body(Map.of("note", "covered by the goodwill refund"))
                .post("/v1/admin/returns/" + returnId + "/reject").then().statusCode(200).body("status", equalTo("rejected"));
        ownerView(ada, orderId).then().body("lines[0].returnable_quantity", equalTo(1)).body("refunded.amount_minor", equalTo(1500));
        requestReturn(ada, orderId, returnOf(1, 2, "refund")).then().statusCode(409).body("type", equalTo(PROBLEMS + "not-returnable"));
        assertEquals(1500L, provider.refundedTotal(paymentReference(orderId)));
    }

    /**
     * Replacements of one order, cancelled by the buyer and refunded by staff all at once: each pays its exchange back once,
     * and none of them deadlocks with another over the original they share (each locks the original first).
     */
    @Test
    void replacementsOfOneOrder_cancelledAndRefundedAtOnce_payEachExchangeBackOnce_withoutDeadlocks() throws Exception {
        SignedIn ada = AuthFixtures.customer();
        String cartId = CartFixtures.myCartWith(ada, CartFixtures.variant(1000, 10), 1);
        CartFixtures.addToMyCart(ada, CartFixtures.variant(1000, 10), 1).then().statusCode(200);
        String orderId = OrderFixtures.place(ada, OrderFixtures.checkout(cartId)).then().statusCode(201).extract().path("id");
        deliver(orderId);
        List<String> replacements = new ArrayList<>();
        for (int line = 1; line <= 2; line++) {
            String returnId = requestReturn(ada, orderId, returnOf(line, 1, "exchange")).then().statusCode(201).extract().path("id");
            replacements.add(approve(support, returnId, UUID.randomUUID().toString()).then().statusCode(200).extract().path("exchange_order_id"));
        }
        List<Callable<Response>> burst = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            for (String replacement : replacements) {
                burst.add(() -> move(replacement, "refunded", UUID.randomUUID().toString()));
                burst.add(() -> cancel(ada, replacement));
            }
        }
        List<Response> answers = inParallel(burst);
        for (Response r : answers) {
            assertTrue(r.statusCode() == 200 || r.statusCode() == 409 && (PROBLEMS + "illegal-transition").equals(r.path("type")),
                    r.statusCode() + " " + r.asString());
        }
        assertEquals(2, answers.stream().filter(r -> r.statusCode() == 200).count(), "one move of each replacement");
        ownerView(ada, orderId).then().body("refunds", hasSize(2)).body("refunded.amount_minor", equalTo(2000));
        assertEquals(2000L, provider.refundedTotal(paymentReference(orderId)), "each exchange paid back once");
    }

    /** Both units of an order exchanged one by one: cancelling each replacement pays its unit back, the second after the rest went back. */
    @Test
    void eachReplacementOfAnOrder_paysItsUnitBack_evenOnceEverythingElseWasPaidBack() {
        SignedIn ada = AuthFixtures.customer();
        String orderId = OrderFixtures.paidOrder(ada, 1000, 2).path("id");
        deliver(orderId);
        List<String> replacements = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String returnId = requestReturn(ada, orderId, returnOf(1, 1, "exchange")).then().statusCode(201).extract().path("id");
            replacements.add(approve(support, returnId, UUID.randomUUID().toString()).then().statusCode(200).extract().path("exchange_order_id"));
        }
        cancel(ada, replacements.get(0)).then().statusCode(200);
        ownerView(ada, orderId).then().body("payment.status", equalTo("refunded")).body("refunded.amount_minor", equalTo(1000));
        cancel(ada, replacements.get(1)).then().statusCode(200).body("status", equalTo("cancelled"));
        ownerView(ada, orderId).then().body("payment.status", equalTo("refunded")).body("refunded.amount_minor", equalTo(2000))
                .body("refunds", hasSize(2)).body("lines[0].exchanged_quantity", equalTo(0));
        assertEquals(2000L, provider.refundedTotal(paymentReference(orderId)), "each unit once, never more than was paid");
    }

    /** A free unit's replacement (a gift in the box) can be cancelled: nothing goes back, and its exchange ends. */
    @Test
    void aFreeUnitsReplacement_canBeCancelled_andItsExchangeEndsWithoutARefund() {
        SignedIn ada = AuthFixtures.customer();
        String cartId = CartFixtures.myCartWith(ada, CartFixtures.variant(1000, 10), 1);
        CartFixtures.addToMyCart(ada, CartFixtures.variant(0, 10), 1).then().statusCode(200);
        Response order = OrderFixtures.place(ada, OrderFixtures.checkout(cartId)).then().statusCode(201).extract().response();
        String orderId = order.path("id");
        int freeLine = order.path("lines.find { it.unit_price.amount_minor == 0 }.line_no");
        deliver(orderId);
        String returnId = requestReturn(ada, orderId, returnOf(freeLine, 1, "exchange")).then().statusCode(201).extract().path("id");
        String replacement = approve(support, returnId, UUID.randomUUID().toString()).then().statusCode(200).extract().path("exchange_order_id");

        cancel(ada, replacement).then().statusCode(200).body("status", equalTo("cancelled"));
        given().auth().oauth2(support).get("/v1/admin/returns/" + returnId).then().statusCode(200).body("status", equalTo("refunded"));
        ownerView(ada, orderId).then().body("refunds", hasSize(0)).body("payment.status", equalTo("captured"));
        assertEquals(0L, provider.refundedTotal(paymentReference(orderId)));
    }

    @Test
    void aReplacementOrderIsNotExchangedAgain() {
        SignedIn ada = AuthFixtures.customer();
        String orderId = OrderFixtures.paidOrder(ada, 900, 1).path("id");
        String replacement = given().auth().oauth2(support).get("/v1/admin/returns/" + exchangedOnce(ada, orderId)).then()
                .statusCode(200).extract().path("exchange_order_id");
        deliver(replacement);
        requestReturn(ada, replacement, returnOf(1, 1, "exchange")).then().statusCode(409)
                .body("type", equalTo(PROBLEMS + "not-returnable"));
    }

    /** Staff refunding a replacement order (nothing was charged for it) pays its exchange back on the original, as its cancel does. */
    @Test
    void refundingAReplacementOrder_paysTheReplacedUnitsBackOnTheOriginal_once() {
        SignedIn ada = AuthFixtures.customer();
        String orderId = OrderFixtures.paidOrder(ada, 1000, 2).path("id");
        String returnId = exchangedOnce(ada, orderId);
        String replacementId = given().auth().oauth2(support).get("/v1/admin/returns/" + returnId).then().statusCode(200)
                .extract().path("exchange_order_id");

        move(replacementId, "refunded", UUID.randomUUID().toString()).then().statusCode(200).body("status", equalTo("refunded"));
        ownerView(ada, orderId).then()
                .body("refunds", hasSize(1)).body("refunds[0].return_id", equalTo(returnId))
                .body("refunds[0].amount.amount_minor", equalTo(1000)).body("refunds[0].status", equalTo("succeeded"))
                .body("lines[0].exchanged_quantity", equalTo(0));
        given().auth().oauth2(support).get("/v1/admin/returns/" + returnId).then().statusCode(200).body("status", equalTo("refunded"));
        assertEquals(1000L, provider.refundedTotal(paymentReference(orderId)), "the buyer gets the replaced unit's price back");
        move(replacementId, "refunded", UUID.randomUUID().toString()).then().statusCode(409);
        cancel(ada, replacementId).then().statusCode(409);
        assertEquals(1000L, provider.refundedTotal(paymentReference(orderId)), "and only once");
    }

    @Test
    void aReturnWhoseGoodsCameBackCannotBeRejected_soItsStockIsNeverCountedTwice() {
        SignedIn ada = AuthFixtures.customer();
        String orderId = OrderFixtures.paidOrder(ada, 600, 1).path("id");
        String returnId = receivedReturn(ada, orderId);
        given().auth().oauth2(support).contentType(ContentType.JSON).body(Map.of("note", "no"))
                .post("/v1/admin/returns/" + returnId + "/reject").then().statusCode(409)
                .body("type", equalTo(PROBLEMS + "return-already-received"));
        approve(support, returnId, UUID.randomUUID().toString()).then().statusCode(200).body("status", equalTo("refunded"));
    }

    @Test
    void partialRefundThenReturnOfTheRest_neverPaysMoreThanPaid() {
        SignedIn ada = AuthFixtures.customer();
        Response order = OrderFixtures.paidOrder(ada, 1000, 2);
        String orderId = order.path("id");
        deliver(orderId);

        given().auth().oauth2(support).contentType(ContentType.JSON).body(refundOf(List.of(line(1, 1))))
                .post("/v1/admin/orders/" + orderId + "/refunds").then().statusCode(400)
                .body("type", equalTo(PROBLEMS + "idempotency-key-missing"));
        partialRefund(orderId, List.of(line(1, 1))).then().statusCode(201)
                .body("id", notNullValue())
                .body("order_id", equalTo(orderId))
                .body("order_number", equalTo(order.path("number")))
                .body("reason", equalTo("partial_refund"))
                .body("status", equalTo("succeeded"))
                .body("amount.amount_minor", equalTo(1000))
                .body("return_id", nullValue());
        ownerView(ada, orderId).then()
                .body("status", equalTo("delivered"))
                .body("payment.status", equalTo("partially_refunded"))
                .body("refunded.amount_minor", equalTo(1000))
                .body("lines[0].returned_quantity", equalTo(1))
                .body("lines[0].refunded.amount_minor", equalTo(1000))
                .body("lines[0].refundable.amount_minor", equalTo(1000))
                .body("lines[0].returnable_quantity", equalTo(1));

        partialRefund(orderId, List.of(line(1, 2))).then().statusCode(409)
                .body("type", equalTo(PROBLEMS + "refund-exceeds-balance"));
        Map<String, Object> tooMuchMoney = line(1, 0);
        tooMuchMoney.put("amount_minor", 1500);
        partialRefund(orderId, List.of(tooMuchMoney)).then().statusCode(409)
                .body("type", equalTo(PROBLEMS + "refund-exceeds-balance"));
        ownerView(ada, orderId).then().body("refunds", hasSize(1)).body("refunded.amount_minor", equalTo(1000))
                .body("lines[0].returned_quantity", equalTo(1));

        String returnId = requestReturn(ada, orderId, returnOf(1, 1, "refund")).then().statusCode(201).extract().path("id");
        approve(support, returnId, UUID.randomUUID().toString()).then().statusCode(200)
                .body("status", equalTo("refunded"));
        ownerView(ada, orderId).then()
                .body("status", equalTo("refunded"))
                .body("payment.status", equalTo("refunded"))
                .body("refunded.amount_minor", equalTo(2000))
                .body("lines[0].returned_quantity", equalTo(2))
                .body("lines[0].refundable.amount_minor", equalTo(0))
                .body("lines[0].returnable_quantity", equalTo(0));

        partialRefund(orderId, List.of(line(1, 1))).then().statusCode(409)
                .body("type", anyOf(equalTo(PROBLEMS + "refund-exceeds-balance"), equalTo(PROBLEMS + "not-refundable")));
        ownerView(ada, orderId).then().body("refunds", hasSize(2)).body("refunded.amount_minor", equalTo(2000));
        assertEquals(2000L, provider.refundedTotal(paymentReference(orderId)));
    }

    // ---------------------------------------------------------------------------------------------
    // Races

    @Test
    void twoAgentsApprovingAtOnce_payOnce() throws Exception {
        SignedIn ada = AuthFixtures.customer();
        String orderId = OrderFixtures.paidOrder(ada, 1000, 2).path("id");
        deliver(orderId);
        String returnId = requestReturn(ada, orderId, returnOf(1, 1, "refund")).then().statusCode(201).extract().path("id");
        String otherAgent = AuthFixtures.support().accessToken();

        List<Response> answers = inParallel(List.of(
                () -> approve(support, returnId, UUID.randomUUID().toString()),
                () -> approve(otherAgent, returnId, UUID.randomUUID().toString())));
        List<Integer> statuses = new ArrayList<>();
        for (Response r : answers) {
            statuses.add(r.statusCode());
            if (r.statusCode() == 409) {
                assertEquals(PROBLEMS + "return-already-decided", r.path("type"));
            }
        }
        Collections.sort(statuses);
        assertEquals(List.of(200, 409), statuses, "exactly one approval wins");

        ownerView(ada, orderId).then().body("refunded.amount_minor", equalTo(1000)).body("refunds", hasSize(1));
        assertEquals(1000L, provider.refundedTotal(paymentReference(orderId)), "paid once");
    }

    @Test
    void aCancelRacingAReturnRequest_andRacingRefunds_neverPayMoreThanTheTotal() throws Exception {
        SignedIn ada = AuthFixtures.customer();
        String paidId = OrderFixtures.paidOrder(ada, 800, 1).path("id");
        List<Response> race = inParallel(List.of(
                () -> cancel(ada, paidId),
                () -> requestReturn(ada, paidId, returnOf(1, 1, "refund"))));
        assertEquals(200, race.get(0).statusCode());
        assertEquals(409, race.get(1).statusCode());
        assertEquals(PROBLEMS + "not-returnable", race.get(1).path("type"));

        Response order = OrderFixtures.paidOrder(ada, 1000, 2);
        String orderId = order.path("id");
        int total = minor(order, "total.amount_minor");
        deliver(orderId);
        String returnId = requestReturn(ada, orderId, returnOf(1, 1, "refund")).then().statusCode(201).extract().path("id");

        List<Callable<Response>> burst = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            burst.add(() -> move(orderId, "refunded", UUID.randomUUID().toString()));
        }
        for (int i = 0; i < 2; i++) {
            burst.add(() -> approve(support, returnId, UUID.randomUUID().toString()));
            burst.add(() -> requestReturn(ada, orderId, returnOf(1, 1, "refund")));
            burst.add(() -> partialRefund(orderId, List.of(line(1, 1))));
        }
        List<Response> answers = inParallel(burst);
        int fullRefunds = 0;
        for (int i = 0; i < answers.size(); i++) {
            int status = answers.get(i).statusCode();
            assertTrue(status == 200 || status == 201 || status == 409, "call " + i + " answered " + status);
            if (i < 3 && status == 200) {
                fullRefunds++;
            }
        }
        // one full refund wins and the others are illegal transitions, unless partial refunds and the approval took
        // both units first: then the order is refunded to the last unit already, and every full refund is a 409
        assertTrue(fullRefunds <= 1, fullRefunds + " full refunds won");

        runWorker();
        Response after = ownerView(ada, orderId);
        int committed = 0;
        List<Number> amounts = after.path("refunds.amount.amount_minor");
        for (Number n : amounts) {
            committed += n.intValue();
        }
        assertTrue(committed <= total, "refunds recorded " + committed + " of " + total);
        assertTrue(minor(after, "refunded.amount_minor") <= total);
        long paidBack = provider.refundedTotal(paymentReference(orderId));
        assertTrue(paidBack <= total, "the provider paid back " + paidBack + " of " + total);
        assertEquals("refunded", after.path("status"));
        assertEquals(total, minor(after, "refunded.amount_minor"), "the full refund (or the last partial one) returned the rest");
        assertEquals((long) total, paidBack);
    }

    // ---------------------------------------------------------------------------------------------
    // Stock and idempotent retries

    @Test
    void receivingAReturnRestocksItsUnits_once() {
        SignedIn ada = AuthFixtures.customer();
        String variant = CartFixtures.variant(600, 5);
        String orderId = placeOrder(ada, variant, 2, "tok_visa").path("id");
        deliver(orderId);
        assertEquals(3, stockOnHand(variant));
        String returnId = requestReturn(ada, orderId, returnOf(1, 1, "refund")).then().statusCode(201).extract().path("id");
        approve(support, returnId, UUID.randomUUID().toString()).then().statusCode(200).body("status", equalTo("refunded"));
        assertEquals(3, stockOnHand(variant), "nothing is back on the shelf before it arrives");

        given().auth().oauth2(support)
                .post("/v1/admin/returns/" + returnId + "/receive").then().statusCode(200)
                .body("id", equalTo(returnId)).body("received_at", notNullValue());
        assertEquals(4, stockOnHand(variant));
        given().auth().oauth2(AuthFixtures.admin().accessToken()).queryParam("target_type", "return").queryParam("target_id", returnId)
                .get("/v1/admin/audit-log").then().statusCode(200)
                .body("data.findAll { it.action == 'return.received' }.size()", equalTo(1)); // P24
        given().auth().oauth2(support)
                .post("/v1/admin/returns/" + returnId + "/receive").then().statusCode(409)
                .body("type", equalTo(PROBLEMS + "return-already-received"));
        assertEquals(4, stockOnHand(variant));
        assertEquals(1, Collections.frequency(topics(orderId), "return.received"));
    }

    @Test
    void stockAdjustmentWithTheSameKeyIsAppliedOnce() {
        String variant = CartFixtures.variant(100, 5);
        String key = UUID.randomUUID().toString();
        adjustStock(variant, 3, key).then().statusCode(200).header(Idempotency.REPLAYED, nullValue())
                .body("stock_on_hand", equalTo(8));
        adjustStock(variant, 3, key).then().statusCode(200).header(Idempotency.REPLAYED, "true")
                .body("stock_on_hand", equalTo(8));
        assertEquals(8, stockOnHand(variant));
        adjustStock(variant, -1, key).then().statusCode(422).body("type", equalTo(PROBLEMS + "idempotency-key-reused"));
        adjustStock(variant, 3, UUID.randomUUID().toString()).then().statusCode(200).body("stock_on_hand", equalTo(11));
        assertEquals(11, stockOnHand(variant));
    }

    @Test
    void aGuestCartCreatedTwiceWithTheSameKeyIsOneCart() {
        String key = UUID.randomUUID().toString();
        String first = given().header("Idempotency-Key", key).post("/v1/carts").then().statusCode(201).extract().path("id");
        String retry = given().header("Idempotency-Key", key).post("/v1/carts").then().statusCode(201).extract().path("id");
        assertEquals(first, retry);
        String other = given().header("Idempotency-Key", UUID.randomUUID().toString()).post("/v1/carts").then().statusCode(201)
                .extract().path("id");
        assertNotEquals(first, other);
    }

    @Test
    void cancelWithTheSameIdempotencyKeyReplays() {
        SignedIn ada = AuthFixtures.customer();
        Response order = OrderFixtures.paidOrder(ada, 950, 2);
        String orderId = order.path("id");
        int total = minor(order, "total.amount_minor");
        String key = UUID.randomUUID().toString();

        Response first = cancel(ada, orderId, key).then().statusCode(200)
                .header(Idempotency.REPLAYED, nullValue())
                .body("status", equalTo("cancelled"))
                .body("payment.status", equalTo("refunded"))
                .extract().response();
        Response replay = cancel(ada, orderId, key).then().statusCode(200)
                .header(Idempotency.REPLAYED, "true").extract().response();
        assertEquals(first.jsonPath().getMap(""), replay.jsonPath().getMap(""), "the first answer, replayed");
        cancel(ada, orderId, UUID.randomUUID().toString()).then().statusCode(409)
                .body("type", equalTo(PROBLEMS + "illegal-transition"));

        String reference = paymentReference(orderId);
        assertEquals(1, provider.refundCalls(reference));
        assertEquals((long) total, provider.refundedTotal(reference));
    }

    @Test
    void orderEventsAreWrittenWithEachMove() {
        SignedIn ada = AuthFixtures.customer();
        String orderId = OrderFixtures.paidOrder(ada, 500, 1).path("id");
        List<String> placed = topics(orderId);
        assertTrue(placed.containsAll(List.of("order.placed", "order.paid")), "events: " + placed);
        assertEquals(1, Collections.frequency(placed, "order.placed"));
        assertEquals(1, Collections.frequency(placed, "order.paid"));
        assertFalse(placed.contains("order.cancelled"));

        cancel(ada, orderId).then().statusCode(200).body("payment.status", equalTo("refunded"));
        List<String> cancelled = topics(orderId);
        assertTrue(cancelled.containsAll(List.of("order.placed", "order.paid", "order.cancelled", "order.refunded")),
                "events: " + cancelled);
        assertEquals(1, Collections.frequency(cancelled, "order.cancelled"));
        assertEquals(1, Collections.frequency(cancelled, "order.refunded"));
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers

    private static int minor(Response r, String path) {
        Number n = r.path(path);
        return n.intValue();
    }

    /** A paid order of quantity units of a new variant, paid with this test token. */
    private static Response paidWith(SignedIn who, long price, int quantity, String paymentToken) {
        return placeOrder(who, CartFixtures.variant(price, quantity + 10), quantity, paymentToken);
    }

    private static Response placeOrder(SignedIn who, String variantId, int quantity, String paymentToken) {
        String cartId = CartFixtures.myCartWith(who, variantId, quantity);
        Map<String, Object> body = OrderFixtures.checkout(cartId);
        body.put("payment_token", paymentToken);
        return OrderFixtures.place(who, body).then().statusCode(201).extract().response();
    }

    private Response move(String orderId, String to, String key) {
        return given().auth().oauth2(support).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(Map.of("to", to, "note", "test")).post("/v1/admin/orders/" + orderId + "/transitions");
    }

    /** The order delivered, one unit of its first line returned for an exchange and approved; answers the return's id. */
    private String exchangedOnce(SignedIn who, String orderId) {
        deliver(orderId);
        String returnId = requestReturn(who, orderId, returnOf(1, 1, "exchange")).then().statusCode(201).extract().path("id");
        approve(support, returnId, UUID.randomUUID().toString()).then().statusCode(200)
                .body("status", equalTo("exchanged")).body("exchange_order_id", notNullValue());
        return returnId;
    }

    /** The order delivered and one unit of its first line returned for money, its goods received back; answers the return's id. */
    private String receivedReturn(SignedIn who, String orderId) {
        deliver(orderId);
        String returnId = requestReturn(who, orderId, returnOf(1, 1, "refund")).then().statusCode(201).extract().path("id");
        given().auth().oauth2(support).post("/v1/admin/returns/" + returnId + "/receive").then().statusCode(200);
        return returnId;
    }

    private void deliver(String orderId) {
        for (String to : List.of("fulfilled", "shipped", "delivered")) {
            given().auth().oauth2(support).contentType(ContentType.JSON).body(Map.of("to", to))
                    .post("/v1/admin/orders/" + orderId + "/transitions").then().statusCode(200);
        }
    }

    /** Cancels a paid order while the gateway refuses refunds (it goes on refusing): answers the pending refund's id. */
    /** That many paid orders of one unit, each cancelled while refunds fail: their refunds pending. */
    private List<String> cancelledWhileRefundsFail(SignedIn who, int orders) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < orders; i++) {
            String orderId = OrderFixtures.paidOrder(who, 300, 1).path("id");
            cancelWhileRefundsFail(who, orderId);
            ids.add(orderId);
        }
        return ids;
    }

    private String cancelWhileRefundsFail(SignedIn who, String orderId) {
        provider.failRefunds(true);
        return cancel(who, orderId).then().statusCode(200).extract().path("refunds[0].id");
    }

    private static Response cancel(SignedIn who, String orderId) {
        return given().auth().oauth2(who.accessToken()).post("/v1/me/orders/" + orderId + "/cancel");
    }

    private static Response cancel(SignedIn who, String orderId, String key) {
        return given().auth().oauth2(who.accessToken()).header("Idempotency-Key", key).post("/v1/me/orders/" + orderId + "/cancel");
    }

    private static Response ownerView(SignedIn who, String orderId) {
        return given().auth().oauth2(who.accessToken()).get("/v1/me/orders/" + orderId).then().statusCode(200).extract().response();
    }

    private Response adminView(String orderId) {
        return given().auth().oauth2(support).get("/v1/admin/orders/" + orderId).then().statusCode(200).extract().response();
    }

    private static Map<String, Object> returnOf(int lineNo, int quantity, String resolution) {
        return new HashMap<>(Map.of("lines", List.of(Map.of("line_no", lineNo, "quantity", quantity)),
                "resolution", resolution, "reason", "not as described"));
    }

    private static Response requestReturn(SignedIn who, String orderId, Map<String, Object> body) {
        return given().auth().oauth2(who.accessToken()).header("Idempotency-Key", UUID.randomUUID().toString())
                .contentType(ContentType.JSON).body(body).post("/v1/me/orders/" + orderId + "/returns");
    }

    private static Response approve(String token, String returnId, String key) {
        return given().auth().oauth2(token).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(Map.of("note", "ok")).post("/v1/admin/returns/" + returnId + "/approve");
    }

    private static Map<String, Object> line(int lineNo, int quantity) {
        Map<String, Object> line = new HashMap<>();
        line.put("line_no", lineNo);
        line.put("quantity", quantity);
        return line;
    }

    private static Map<String, Object> refundOf(List<Map<String, Object>> lines) {
        return Map.of("lines", lines, "note", "damaged");
    }

    private Response partialRefund(String orderId, List<Map<String, Object>> lines) {
        return given().auth().oauth2(support).header("Idempotency-Key", UUID.randomUUID().toString())
                .contentType(ContentType.JSON).body(refundOf(lines)).post("/v1/admin/orders/" + orderId + "/refunds");
    }

    private Response refundAsSupport(String refundId) {
        return given().auth().oauth2(support).get("/v1/admin/refunds/" + refundId);
    }

    /** Pages through the pending refunds (every one of them pending) looking for this one. */
    private boolean pendingRefundsInclude(String refundId) {
        String cursor = null;
        for (int page = 0; page < 100; page++) {
            RequestSpecification request = given().auth().oauth2(support).queryParam("status", "pending");
            if (cursor != null) {
                request = request.queryParam("cursor", cursor);
            }
            Response r = request.get("/v1/admin/refunds").then().statusCode(200)
                    .body("data.status", everyItem(equalTo("pending"))).extract().response();
            List<String> ids = r.path("data.id");
            if (ids.contains(refundId)) {
                return true;
            }
            if (!Boolean.TRUE.equals(r.path("has_more"))) {
                return false;
            }
            cursor = r.path("next_cursor");
        }
        return false;
    }

    private static Response adjustStock(String variantId, int delta, String key) {
        return given().auth().oauth2(AuthFixtures.admin().accessToken()).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(Map.of("delta", delta))
                .post("/v1/admin/variants/" + variantId + "/stock-adjustments");
    }

    private static int stockOnHand(String variantId) {
        Response r = given().auth().oauth2(AuthFixtures.admin().accessToken()).get("/v1/admin/variants/" + variantId)
                .then().statusCode(200).extract().response();
        return minor(r, "stock_on_hand");
    }

    private String paymentReference(String orderId) {
        Row row = pool.preparedQuery("select payment_reference from orders where id = $1")
                .execute(Tuple.of(UUID.fromString(orderId))).await().atMost(WAIT).iterator().next();
        return row.getString("payment_reference");
    }

    /** The topics of the outbox events written for this order, oldest first. */
    private List<String> topics(String orderId) {
        List<String> topics = new ArrayList<>();
        for (Row row : pool.preparedQuery("select topic from outbox where aggregate_id = $1 order by created_at, id")
                .execute(Tuple.of(UUID.fromString(orderId))).await().atMost(WAIT)) {
            topics.add(row.getString("topic"));
        }
        return topics;
    }

    private void runWorker() {
        worker.runDue().await().atMost(WAIT);
    }

    /** Runs the calls at the same moment on their own threads; answers in the order of the calls. */
    private static List<Response> inParallel(List<Callable<Response>> calls) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(calls.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Response>> futures = new ArrayList<>();
            for (Callable<Response> call : calls) {
                futures.add(executor.submit(() -> {
                    start.await();
                    Response r = call.call();
                    r.asByteArray();
                    return r;
                }));
            }
            start.countDown();
            List<Response> answers = new ArrayList<>();
            for (Future<Response> f : futures) {
                answers.add(f.get(60, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            executor.shutdownNow();
            executor.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
