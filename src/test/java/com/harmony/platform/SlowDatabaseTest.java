package com.harmony.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import com.harmony.cart.CartFixtures;
import com.harmony.order.OrderFixtures;
import com.harmony.payment.TestModePaymentProvider;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A slow database answers a problem in bounded time: a statement that runs past DB_STATEMENT_TIMEOUT
 * (here 500 ms; a lock another transaction holds stands in for a slow server) is cancelled by
 * PostgreSQL, rolled back, and the request answers 503 with Retry-After; once the lock is gone the same
 * request succeeds.
 */
@QuarkusTest
@TestProfile(SlowDatabaseTest.ShortStatements.class)
class SlowDatabaseTest {

    public static class ShortStatements implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.reactive.additional-properties.statement_timeout", "500ms");
        }
    }

    private static final java.time.Duration WAIT = java.time.Duration.ofSeconds(10);

    @Inject
    Pool pool;

    @Inject
    TestModePaymentProvider provider;

    @Test
    void aStatementStuckPastTheTimeoutAnswers503WithRetryAfterInBoundedTime_andNothingIsChanged() {
        String variant = CartFixtures.variant(1500, 5);
        String admin = AuthFixtures.admin().accessToken();
        try (RowLock lock = new RowLock(pool, variant)) {
            long started = System.nanoTime();
            given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("delta", 7, "reason", "slow database"))
                    .post("/v1/admin/variants/" + variant + "/stock-adjustments")
                    .then().statusCode(503).contentType(Problem.MEDIA_TYPE)
                    .body("type", equalTo(ProblemType.UNAVAILABLE.uri())).header("Retry-After", notNullValue());
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(millis < 5_000, "answered in " + millis + " ms");
        }
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("delta", 7, "reason", "after the lock"))
                .post("/v1/admin/variants/" + variant + "/stock-adjustments").then().statusCode(200).body("stock_on_hand", equalTo(12));
    }

    @Test
    void aCheckoutCommittedBeforeTheDatabaseFailed_isAnsweredWithItsOrderWhenRetriedWithItsKey_neverPlacedTwice() throws Exception {
        AuthFixtures.SignedIn ada = AuthFixtures.customer();
        String variant = CartFixtures.variant(1870, 5);
        String cartId = CartFixtures.myCartWith(ada, variant, 1);
        Map<String, Object> body = OrderFixtures.checkout(cartId);
        String key = java.util.UUID.randomUUID().toString();
        UUID account = UUID.fromString(ada.accountId());
        provider.delayCaptures(java.time.Duration.ofSeconds(2));
        try {
            CompletableFuture<Response> first = CompletableFuture.supplyAsync(() -> OrderFixtures.place(ada, body, key).then().extract().response());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ordersOf(account) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(1, ordersOf(account), "the order committed; its capture is under way");
            // the database stops answering for orders between the commit and the answer
            SqlConnection conn = pool.getConnection().await().atMost(WAIT);
            Transaction tx = conn.begin().await().atMost(WAIT);
            try {
                conn.query("lock table orders in access exclusive mode").execute().await().atMost(WAIT);
                first.get(30, TimeUnit.SECONDS).then().statusCode(503).contentType(Problem.MEDIA_TYPE)
                        .body("type", equalTo(ProblemType.UNAVAILABLE.uri())).header("Retry-After", notNullValue());
            } finally {
                tx.rollback().await().atMost(WAIT);
                conn.close().await().atMost(WAIT);
            }
        } finally {
            provider.delayCaptures(java.time.Duration.ZERO);
        }
        String orderId = pool.preparedQuery("select id from orders where account_id = $1").execute(Tuple.of(account))
                .await().atMost(WAIT).iterator().next().getUUID(0).toString();
        // the retry is answered with that order (run again, it would find the cart empty and answer 409)
        OrderFixtures.place(ada, body, key).then().statusCode(201).header(Idempotency.REPLAYED, "true")
                .header("Location", endsWith("/v1/me/orders/" + orderId)).body("id", equalTo(orderId));
        OrderFixtures.place(ada, body, key).then().statusCode(201).header(Idempotency.REPLAYED, "true").body("id", equalTo(orderId));
        assertEquals(1, ordersOf(account), "placed once");
    }

    @Test
    void aSignedInCallerWhoseSessionTheDatabaseCannotCheck_is503_neverTakenForNobody() throws Exception {
        AuthFixtures.SignedIn ada = AuthFixtures.customer();
        given().auth().oauth2(ada.accessToken()).get("/v1/cookie-preferences").then().statusCode(200).body("subject", equalTo("account"));
        Thread.sleep(1_500); // past the live-session cache (ACCOUNT_CACHE_TTL)
        SqlConnection conn = pool.getConnection().await().atMost(WAIT);
        Transaction tx = conn.begin().await().atMost(WAIT);
        try {
            conn.query("lock table auth_session in access exclusive mode").execute().await().atMost(WAIT);
            given().auth().oauth2(ada.accessToken()).get("/v1/cookie-preferences").then().statusCode(503).contentType(Problem.MEDIA_TYPE)
                    .body("type", equalTo(ProblemType.UNAVAILABLE.uri())).header("Retry-After", notNullValue());
            given().auth().oauth2(ada.accessToken()).contentType(ContentType.JSON).body(Map.of("kind", "access"))
                    .post("/v1/privacy-requests").then().statusCode(503).body("type", equalTo(ProblemType.UNAVAILABLE.uri()));
        } finally {
            tx.rollback().await().atMost(WAIT);
            conn.close().await().atMost(WAIT);
        }
        given().auth().oauth2(ada.accessToken()).get("/v1/cookie-preferences").then().statusCode(200).body("subject", equalTo("account"));
    }

    @Test
    void aStatementTimeoutOnAnAccountPathAnswers503_notA500() {
        AuthFixtures.SignedIn ada = AuthFixtures.customer();
        try (TableLock lock = new TableLock(pool, "account")) {
            // these go through Hibernate Reactive, which reports the timeout in its own exception types
            given().auth().oauth2(ada.accessToken()).contentType(ContentType.JSON).body(Map.of("name", "Ada L."))
                    .patch("/v1/me").then().statusCode(503).contentType(Problem.MEDIA_TYPE)
                    .body("type", equalTo(ProblemType.UNAVAILABLE.uri())).header("Retry-After", notNullValue());
            given().contentType(ContentType.JSON).body(Map.of("email", ada.email(), "password", AuthFixtures.PASSWORD))
                    .post("/v1/auth/sign-in").then().statusCode(503).body("type", equalTo(ProblemType.UNAVAILABLE.uri()));
        }
        given().auth().oauth2(ada.accessToken()).contentType(ContentType.JSON).body(Map.of("name", "Ada L."))
                .patch("/v1/me").then().statusCode(200);
    }

    @Test
    void aCommandWhoseAnswerCouldNotBeStoredAtOnce_answersItsResult_andItsKeyReplaysIt() throws Exception {
        AuthFixtures.SignedIn ada = AuthFixtures.customer();
        String variant = CartFixtures.variant(1871, 5);
        Map<String, Object> body = OrderFixtures.checkout(CartFixtures.myCartWith(ada, variant, 1));
        String key = java.util.UUID.randomUUID().toString();
        provider.delayCaptures(java.time.Duration.ofSeconds(2));
        Response first;
        try {
            CompletableFuture<Response> placing = CompletableFuture.supplyAsync(() -> OrderFixtures.place(ada, body, key).then().extract().response());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ordersOf(UUID.fromString(ada.accountId())) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            // the key's row stays locked past the statement timeout while the checkout tries to store its answer
            SqlConnection conn = pool.getConnection().await().atMost(WAIT);
            Transaction tx = conn.begin().await().atMost(WAIT);
            try {
                conn.preparedQuery("select 1 from idempotency_key where key = $1 for update").execute(Tuple.of(key)).await().atMost(WAIT);
                first = placing.get(30, TimeUnit.SECONDS);
            } finally {
                tx.rollback().await().atMost(WAIT);
                conn.close().await().atMost(WAIT);
            }
        } finally {
            provider.delayCaptures(java.time.Duration.ZERO);
        }
        first.then().statusCode(201).body("status", equalTo("paid"));
        String orderId = first.path("id");
        Thread.sleep(1_500); // the answer is stored on the next try, a second later
        OrderFixtures.place(ada, body, key).then().statusCode(201).header(Idempotency.REPLAYED, "true").body("id", equalTo(orderId));
        assertEquals(1, ordersOf(UUID.fromString(ada.accountId())));
    }

    @Test
    void P13_privacyRequestsTheDatabaseCouldNotFile_doNotUseUpTheAllowance() {
        String client = AuthFixtures.uniqueClient();
        String email = AuthFixtures.uniqueEmail();
        int perEmail = org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("harmony.privacy.requests-per-email", Integer.class);
        String visitor = given().header("X-Forwarded-For", client).post("/v1/visitors").then().statusCode(201).extract().path("token");
        java.util.function.Supplier<Response> file = () -> given().header("X-Forwarded-For", client).header("X-Visitor-Token", visitor)
                .contentType(ContentType.JSON).body(Map.of("kind", "access", "email", email)).post("/v1/privacy-requests");
        try (TableLock lock = new TableLock(pool, "privacy_request")) {
            for (int i = 0; i < perEmail + 2; i++) {
                file.get().then().statusCode(503).body("type", equalTo(ProblemType.UNAVAILABLE.uri())).header("Retry-After", notNullValue());
            }
        }
        // nothing was filed, so the retries the 503s invited are not refused
        for (int i = 0; i < perEmail; i++) {
            file.get().then().statusCode(202);
        }
        file.get().then().statusCode(429);
    }

    @Test
    void P25_aResetRequestedWhileTheDatabaseIsSlow_isAnswered202_andItsLinkIsMailedOnceTheDatabaseAnswers() throws Exception {
        AuthFixtures.SignedIn ada = AuthFixtures.customer();
        try (TableLock lock = new TableLock(pool, "account")) {
            given().contentType(ContentType.JSON).body(Map.of("email", ada.email())).post("/v1/auth/password-reset").then().statusCode(202);
            Thread.sleep(1_500); // the account's lookup times out (500 ms) and is tried again
        }
        assertTrue(com.harmony.MailServer.messageTo(ada.email(), "Reset your Harmony password").contains("token="), "the reset link was mailed");
    }

    /** A whole table locked by an open transaction of the test's own. */
    private static final class TableLock implements AutoCloseable {
        private final SqlConnection conn;
        private final Transaction tx;

        TableLock(Pool pool, String table) {
            conn = pool.getConnection().await().atMost(WAIT);
            tx = conn.begin().await().atMost(WAIT);
            conn.query("lock table " + table + " in access exclusive mode").execute().await().atMost(WAIT);
        }

        @Override
        public void close() {
            tx.rollback().await().atMost(WAIT);
            conn.close().await().atMost(WAIT);
        }
    }

    private long ordersOf(UUID account) {
        return pool.preparedQuery("select count(*) from orders where account_id = $1").execute(Tuple.of(account))
                .await().atMost(WAIT).iterator().next().getLong(0);
    }
}
