package com.harmony.order;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import com.harmony.AuthFixtures.SignedIn;
import com.harmony.cart.CartFixtures;
import com.harmony.payment.TestModePaymentProvider;
import com.harmony.platform.Idempotency;
import com.harmony.platform.PgWireProxy;
import com.harmony.platform.Problem;
import com.harmony.platform.ProblemType;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The connection of an order's transaction breaks at its COMMIT (a proxy in front of the test database breaks
 * it). The checkout cannot know the outcome, so it answers 503 and asks the database once the transaction is
 * over: when PostgreSQL still got the COMMIT and committed, that order keeps the card authorisation it took over
 * (P8), its Idempotency-Key's retry is answered with it, and the capture worker takes the money; when the COMMIT
 * never arrived, nothing was placed and the authorisation is released before the 503 goes out.
 */
@QuarkusTest
@TestProfile(LostCommitAnswerTest.BehindAProxy.class)
class LostCommitAnswerTest {

    /** The reactive pool reaches the database through the proxy, statements unprepared so their text goes by. */
    public static class BehindAProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.reactive.url", PgWireProxy.reactiveUrl(),
                    "quarkus.datasource.reactive.cache-prepared-statements", "false");
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    @Inject
    TestModePaymentProvider provider;

    @Inject
    CaptureWorker captures;

    @Test
    void P8_aCheckoutCommittedAfterItsConnectionBroke_is503_keepsItsAuthorisation_isAnsweredOnRetry_andIsCaptured() {
        Attempt ada = attempt(1741);
        PgWireProxy.Control proxy = PgWireProxy.shared();
        int lostBefore = proxy.getCommitAnswersLost();

        proxy.loseCommitAnswerAfter(AuthorisationIntents.TAKE_OVER);
        ada.place().then().statusCode(503).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo(ProblemType.UNAVAILABLE.uri())).header("Retry-After", notNullValue());
        assertEquals(lostBefore + 1, proxy.getCommitAnswersLost(), "the order's COMMIT reached the database after the service saw its connection break");

        assertEquals(1, ada.orders(), "the order committed");
        String orderId = pool.preparedQuery("select id from orders where account_id = $1").execute(Tuple.of(ada.account()))
                .await().atMost(WAIT).iterator().next().getUUID(0).toString();
        assertTrue(provider.holds(1741), "the committed order's authorisation was not released");

        ada.retried().then().statusCode(201).header(Idempotency.REPLAYED, "true").body("id", equalTo(orderId)).body("status", equalTo("placed"));

        // the capture worker's turn (its first wait, ten minutes, has passed)
        pool.preparedQuery("update orders set capture_next_at = now() where id = $1").execute(Tuple.of(UUID.fromString(orderId)))
                .await().atMost(WAIT);
        captures.runDue().await().atMost(WAIT);
        assertFalse(provider.holds(1741), "captured");
        given().auth().oauth2(ada.who().accessToken()).get("/v1/me/orders/" + orderId).then().statusCode(200)
                .body("status", equalTo("paid")).body("payment.status", equalTo("captured"));
        given().auth().oauth2(ada.who().accessToken()).get("/v1/me/orders").then().body("data", hasSize(1));
        ada.stockIs(2);
    }

    @Test
    void P8_aCheckoutWhoseCommitNeverReachedTheDatabase_is503_releasesItsAuthorisation_andItsRetryPlacesTheOrder() {
        Attempt bea = attempt(1742);
        PgWireProxy.Control proxy = PgWireProxy.shared();
        int droppedBefore = proxy.getCommitsDropped();

        proxy.dropCommitAfter(AuthorisationIntents.TAKE_OVER);
        bea.place().then().statusCode(503).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo(ProblemType.UNAVAILABLE.uri())).header("Retry-After", notNullValue());
        assertEquals(droppedBefore + 1, proxy.getCommitsDropped(), "the order's COMMIT never reached the database");

        assertEquals(0, bea.orders(), "nothing committed");
        assertFalse(provider.holds(1742), "the authorisation was released once the database showed nothing committed");
        assertEquals(0, pool.preparedQuery("select count(*) from payment_authorisation where amount_minor = 1742").execute()
                .await().atMost(WAIT).iterator().next().getLong(0), "and its intent is gone");
        given().auth().oauth2(bea.who().accessToken()).get("/v1/me/cart").then().body("lines", hasSize(1));

        // the retry with the same key runs the checkout again: one order, paid
        bea.retried().then().statusCode(201).body("status", equalTo("paid")).body("payment.status", equalTo("captured"));
        assertEquals(1, bea.orders());
        bea.stockIs(2);
    }

    @Test
    void aCartAddWhoseAnswerWasLost_is503_andItsRetryWithIfMatchIs412_neverAddedTwice() {
        com.harmony.cart.CartFixtures.GuestCart cart = CartFixtures.guestCart();
        String variant = CartFixtures.variant(1743, 10);
        String etag = CartFixtures.add(cart, variant, 1).then().statusCode(200).extract().header("ETag");
        PgWireProxy.Control proxy = PgWireProxy.shared();
        int lostBefore = proxy.getCommitAnswersLost();

        proxy.loseAnswerTo("from cart_add_item(");
        addWithIfMatch(cart, variant, etag).then().statusCode(503).contentType(Problem.MEDIA_TYPE).header("Retry-After", notNullValue());
        assertEquals(lostBefore + 1, proxy.getCommitAnswersLost(), "the add ran; its answer was lost");

        // the client retries as it was told, with the version it saw: the add it cannot know about went through
        addWithIfMatch(cart, variant, etag).then().statusCode(412).body("type", equalTo("https://harmony.example/problems/precondition-failed"));
        given().header("X-Cart-Token", cart.token()).get("/v1/carts/" + cart.id()).then().statusCode(200)
                .body("lines", hasSize(1)).body("lines[0].quantity", equalTo(2));
    }

    @Test
    void aPartialRefundWhoseCommitAnswerWasLost_is503_andItsRetryWithTheKeyAnswersThatRefund_neverPaysASecond() {
        SignedIn ada = AuthFixtures.customer();
        Response order = OrderFixtures.paidOrder(ada, 1744, 2);
        String orderId = order.path("id");
        String support = AuthFixtures.support().accessToken();
        java.util.function.Supplier<Response> refundOneUnit = keyedPost(support, "/v1/admin/orders/" + orderId + "/refunds",
                Map.of("lines", java.util.List.of(Map.of("line_no", 1, "quantity", 1)), "note", "damaged"));
        int lostBefore = unavailableAfterItsCommitAnswerIsLost("insert into payment_refund", refundOneUnit);

        // the retry as the 503 invites (409 with Retry-After while the first attempt's key is being freed)
        Response retry = retried(refundOneUnit);
        assertEquals(lostBefore + 1, PgWireProxy.shared().getCommitAnswersLost(), "the refund's COMMIT reached the database after the service saw its connection break");
        String refundId = retry.then().statusCode(201).header(Idempotency.REPLAYED, "true")
                .body("amount.amount_minor", equalTo(1744)).body("status", equalTo("succeeded")).extract().path("id");
        assertEquals(1, rowsOfOrder("payment_refund", orderId), "one refund, not two");
        given().auth().oauth2(ada.accessToken()).get("/v1/me/orders/" + orderId).then().statusCode(200)
                .body("refunds", hasSize(1)).body("refunds[0].id", equalTo(refundId)).body("refunded.amount_minor", equalTo(1744));
    }

    @Test
    void aCancelWhoseCommitAnswerWasLost_is503_andItsRetryWithTheKeyAnswersTheCancelledOrder_not409() {
        SignedIn ada = AuthFixtures.customer();
        Response order = OrderFixtures.paidOrder(ada, 1747, 1);
        String orderId = order.path("id");
        java.util.function.Supplier<Response> cancel = keyedPost(ada.accessToken(), "/v1/me/orders/" + orderId + "/cancel", null);
        int lostBefore = unavailableAfterItsCommitAnswerIsLost("insert into payment_refund", cancel);

        retried(cancel).then().statusCode(200).header(Idempotency.REPLAYED, "true")
                .body("status", equalTo("cancelled")).body("refunds", hasSize(1));
        assertEquals(lostBefore + 1, PgWireProxy.shared().getCommitAnswersLost(), "the cancel's COMMIT reached the database after the service saw its connection break");
    }

    @Test
    void aReturnRequestWhoseCommitAnswerWasLost_is503_andItsRetryWithTheKeyAnswersThatReturn_neverHoldsTheUnitsTwice() {
        SignedIn ada = AuthFixtures.customer();
        String orderId = OrderFixtures.paidOrder(ada, 1745, 3).path("id");
        String support = AuthFixtures.support().accessToken();
        for (String to : java.util.List.of("fulfilled", "shipped", "delivered")) {
            given().auth().oauth2(support).contentType(io.restassured.http.ContentType.JSON).body(Map.of("to", to))
                    .post("/v1/admin/orders/" + orderId + "/transitions").then().statusCode(200);
        }
        java.util.function.Supplier<Response> returnOneUnit = keyedPost(ada.accessToken(), "/v1/me/orders/" + orderId + "/returns",
                Map.of("lines", java.util.List.of(Map.of("line_no", 1, "quantity", 1)), "resolution", "refund", "reason", "too small"));
        int lostBefore = unavailableAfterItsCommitAnswerIsLost("insert into order_return ", returnOneUnit);

        Response retry = retried(returnOneUnit);
        assertEquals(lostBefore + 1, PgWireProxy.shared().getCommitAnswersLost(), "the return's COMMIT reached the database after the service saw its connection break");
        String returnId = retry.then().statusCode(201).header(Idempotency.REPLAYED, "true").body("status", equalTo("requested")).extract().path("id");
        given().auth().oauth2(ada.accessToken()).get("/v1/me/orders/" + orderId).then().statusCode(200)
                .body("lines[0].returned_quantity", equalTo(1)).body("lines[0].returnable_quantity", equalTo(2));
        assertEquals(1, rowsOfOrder("order_return", orderId), "one return, not two: " + returnId);
    }

    @Test
    void aStockAdjustmentWhoseCommitAnswerWasLost_is503_andItsRetryWithTheKeyIsAppliedOnce() {
        String variant = CartFixtures.variant(1746, 5);
        String admin = AuthFixtures.admin().accessToken();
        java.util.function.Supplier<Response> addThree = keyedPost(admin, "/v1/admin/variants/" + variant + "/stock-adjustments",
                Map.of("delta", 3, "reason", "recount"));
        int lostBefore = unavailableAfterItsCommitAnswerIsLost("update catalog_variant set stock_on_hand = stock_on_hand + $2", addThree);

        retried(addThree).then().statusCode(200).header(Idempotency.REPLAYED, "true").body("stock_on_hand", equalTo(8));
        assertEquals(lostBefore + 1, PgWireProxy.shared().getCommitAnswersLost(), "the adjustment's COMMIT reached the database after the service saw its connection break");
        given().auth().oauth2(admin).get("/v1/admin/variants/" + variant).then().body("stock_on_hand", equalTo(8));
    }

    private static Response addWithIfMatch(com.harmony.cart.CartFixtures.GuestCart cart, String variant, String etag) {
        return given().header("X-Cart-Token", cart.token()).header("If-Match", etag).contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("variant_id", variant, "quantity", 1)).post("/v1/carts/" + cart.id() + "/items");
    }

    /** A customer with one unit of a variant of their own price (three in stock) in the cart, and a checkout key. */
    private record Attempt(SignedIn who, String variant, Map<String, Object> body, String key, Pool pool) {
        Response place() {
            return OrderFixtures.place(who, body, key);
        }

        Response retried() {
            return LostCommitAnswerTest.retried(this::place);
        }

        UUID account() {
            return UUID.fromString(who.accountId());
        }

        long orders() {
            return pool.preparedQuery("select count(*) from orders where account_id = $1").execute(Tuple.of(account()))
                    .await().atMost(WAIT).iterator().next().getLong(0);
        }

        void stockIs(int units) {
            given().auth().oauth2(AuthFixtures.admin().accessToken()).get("/v1/admin/variants/" + variant).then().body("stock_on_hand", equalTo(units));
        }
    }

    private Attempt attempt(long price) {
        SignedIn who = AuthFixtures.customer();
        String variant = CartFixtures.variant(price, 3);
        String cartId = CartFixtures.myCartWith(who, variant, 1);
        return new Attempt(who, variant, OrderFixtures.checkout(cartId), UUID.randomUUID().toString(), pool);
    }

    /** One command sent with its own Idempotency-Key, the same key at every call (a client's retries). */
    private static java.util.function.Supplier<Response> keyedPost(String token, String path, Object body) {
        String key = UUID.randomUUID().toString();
        return () -> {
            io.restassured.specification.RequestSpecification request = given().auth().oauth2(token).header(Idempotency.HEADER, key);
            return (body == null ? request : request.contentType(io.restassured.http.ContentType.JSON).body(body)).post(path);
        };
    }

    private long rowsOfOrder(String table, String orderId) {
        return pool.preparedQuery("select count(*) from " + table + " where order_id = $1").execute(Tuple.of(UUID.fromString(orderId)))
                .await().atMost(WAIT).iterator().next().getLong(0);
    }

    /**
     * The next transaction sending {@code marker} loses its COMMIT's answer (the COMMIT still arrives, late): the request
     * is answered 503 with Retry-After. Answers how many answers the proxy had lost before.
     */
    private static int unavailableAfterItsCommitAnswerIsLost(String marker, java.util.function.Supplier<Response> request) {
        PgWireProxy.Control proxy = PgWireProxy.shared();
        int before = proxy.getCommitAnswersLost();
        proxy.loseCommitAnswerAfter(marker);
        request.get().then().statusCode(503).contentType(Problem.MEDIA_TYPE).header("Retry-After", notNullValue());
        return before;
    }

    /** The client retries with its key, as the 503 invites; while the first attempt's key is being freed, 409 says retry. */
    private static Response retried(java.util.function.Supplier<Response> request) {
        Response retry = request.get();
        for (int i = 0; i < 10 && retry.statusCode() == 409; i++) {
            retry.then().header("Retry-After", notNullValue());
            sleep(Duration.ofSeconds(1));
            retry = request.get();
        }
        return retry;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
