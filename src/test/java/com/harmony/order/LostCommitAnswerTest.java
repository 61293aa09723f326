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
 * PostgreSQL commits an order and its answer to the COMMIT never reaches the service (the connection breaks at
 * that moment; a proxy in front of the test database breaks it). The checkout cannot know the outcome, so it
 * answers 503, and it must not act as if nothing happened: the order that did commit keeps the card
 * authorisation it took over (P8), its Idempotency-Key's retry is answered with that order, and the capture
 * worker takes the money.
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
    void P8_aCheckoutCommittedWhoseAnswerWasLost_is503_keepsItsAuthorisation_isAnsweredOnRetry_andIsCaptured() {
        SignedIn ada = AuthFixtures.customer();
        String variant = CartFixtures.variant(1741, 3);
        String cartId = CartFixtures.myCartWith(ada, variant, 1);
        Map<String, Object> body = OrderFixtures.checkout(cartId);
        String key = UUID.randomUUID().toString();
        PgWireProxy.Control proxy = PgWireProxy.shared();
        int lostBefore = proxy.getCommitAnswersLost();

        proxy.loseCommitAnswerAfter(AuthorisationIntents.TAKE_OVER);
        OrderFixtures.place(ada, body, key).then().statusCode(503).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo(ProblemType.UNAVAILABLE.uri())).header("Retry-After", notNullValue());
        assertEquals(lostBefore + 1, proxy.getCommitAnswersLost(), "the order's COMMIT was answered, and the answer lost");

        UUID account = UUID.fromString(ada.accountId());
        assertEquals(1, count("select count(*) from orders where account_id = $1", account), "the order committed");
        String orderId = pool.preparedQuery("select id from orders where account_id = $1").execute(Tuple.of(account))
                .await().atMost(WAIT).iterator().next().getUUID(0).toString();
        assertTrue(provider.holds(1741), "the committed order's authorisation was not released");

        // the client retries with its key, as the 503 invites (while the first attempt's key is still being freed, 409 says retry)
        Response retry = OrderFixtures.place(ada, body, key);
        for (int i = 0; i < 10 && retry.statusCode() == 409; i++) {
            retry.then().header("Retry-After", notNullValue());
            sleep(Duration.ofSeconds(1));
            retry = OrderFixtures.place(ada, body, key);
        }
        retry.then().statusCode(201).header(Idempotency.REPLAYED, "true").body("id", equalTo(orderId)).body("status", equalTo("placed"));

        // the capture worker's turn (its first wait, ten minutes, has passed)
        pool.preparedQuery("update orders set capture_next_at = now() where id = $1").execute(Tuple.of(UUID.fromString(orderId)))
                .await().atMost(WAIT);
        captures.runDue().await().atMost(WAIT);
        assertFalse(provider.holds(1741), "captured");
        given().auth().oauth2(ada.accessToken()).get("/v1/me/orders/" + orderId).then().statusCode(200)
                .body("status", equalTo("paid")).body("payment.status", equalTo("captured"));
        given().auth().oauth2(ada.accessToken()).get("/v1/me/orders").then().body("data", hasSize(1));
        given().auth().oauth2(AuthFixtures.admin().accessToken()).get("/v1/admin/variants/" + variant).then()
                .body("stock_on_hand", equalTo(2));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private long count(String sql, UUID id) {
        return pool.preparedQuery(sql).execute(Tuple.of(id)).await().atMost(WAIT).iterator().next().getLong(0);
    }
}
