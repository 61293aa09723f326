package com.harmony.order;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import com.harmony.AuthFixtures.SignedIn;
import com.harmony.cart.CartFixtures;
import com.harmony.payment.TestModePaymentProvider;
import com.harmony.platform.Problem;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Money held on a buyer's card without an order (P8: payments go through the provider, and the guide's
 * rule that an external effect is recorded before it is asked for): checkout records its intent to
 * authorise first, and an authorisation no order took over is voided at the provider by a worker. Each
 * test's price is its own, so the test gateway's holds of one test are told apart from the others'.
 */
@QuarkusTest
class AuthorisationIntentTest {

    private static final String PROBLEMS = "https://harmony.example/problems/";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    @Inject
    TestModePaymentProvider provider;

    @Inject
    AuthorisationIntents voids;

    @BeforeEach
    void noIntentsLeftByAnEarlierRun() {
        pool.query("delete from payment_authorisation where amount_minor between 1731 and 1736").execute().await().atMost(WAIT);
    }

    @AfterEach
    void gatewayBackToNormal() {
        provider.failVoids(false);
        provider.delayAuthorisations(Duration.ZERO);
    }

    @Test
    void P8_anAuthorisationWhoseAnswerWasLost_is502_nothingIsPlaced_andTheWorkerVoidsItAtTheProvider() {
        SignedIn ada = AuthFixtures.customer();
        String variant = CartFixtures.variant(1731, 4);
        checkout(ada, variant, "tok_visa_lost").then().statusCode(502).contentType(Problem.MEDIA_TYPE).header("Retry-After", "5")
                .body("type", equalTo(PROBLEMS + "payment-provider-error"));
        nothingPlaced(ada, variant, 4);
        assertTrue(provider.holds(1731), "the provider held the amount; the checkout never heard");
        assertEquals(1, intents(1731), "the intent was recorded before the provider was asked");

        voids.runDue().await().atMost(WAIT);
        assertTrue(provider.holds(1731), "left alone before ORDERS_AUTHORISATION_VOID_AFTER: its checkout may still be under way");

        dueNow(1731);
        voids.runDue().await().atMost(WAIT);
        assertFalse(provider.holds(1731), "voided at the provider");
        assertEquals(0, intents(1731), "and the intent is gone");
    }

    @Test
    void aVoidTheProviderRefuses_isClaimedByOneOfTwoInstances_andRetriedAfterItsBackoff() {
        SignedIn ada = AuthFixtures.customer();
        String variant = CartFixtures.variant(1732, 2);
        checkout(ada, variant, "tok_visa_lost").then().statusCode(502);
        provider.failVoids(true);
        dueNow(1732);

        // two instances' rounds at once: one claims the intent (SKIP LOCKED), its void fails, and it waits before the next try
        List<io.smallrye.mutiny.Uni<Integer>> rounds = new ArrayList<>();
        rounds.add(voids.runDue());
        rounds.add(voids.runDue());
        io.smallrye.mutiny.Uni.join().all(rounds).andFailFast().await().atMost(WAIT);
        assertEquals(1, attempts(1732), "claimed by one round only");
        voids.runDue().await().atMost(WAIT);
        assertEquals(1, attempts(1732), "not tried again before its backoff is over");
        assertTrue(provider.holds(1732));

        provider.failVoids(false);
        dueNow(1732);
        voids.runDue().await().atMost(WAIT);
        assertFalse(provider.holds(1732));
        assertEquals(0, intents(1732));
    }

    @Test
    void aCheckoutFinishingAfterTheWorkerClaimedItsIntent_is502_releasesItsAuthorisation_andPlacesNothing() throws Exception {
        SignedIn ada = AuthFixtures.customer();
        String variant = CartFixtures.variant(1733, 3);
        String cartId = CartFixtures.myCartWith(ada, variant, 1);
        provider.delayAuthorisations(Duration.ofSeconds(3));
        CompletableFuture<Response> slow = CompletableFuture.supplyAsync(() -> {
            Map<String, Object> body = OrderFixtures.checkout(cartId);
            return OrderFixtures.place(ada, body).then().extract().response();
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (intents(1733) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(1, intents(1733), "the intent is recorded before the provider answers");
        dueNow(1733); // as if the provider had taken longer than ORDERS_AUTHORISATION_VOID_AFTER
        voids.runDue().await().atMost(WAIT);

        Response answer = slow.get(30, TimeUnit.SECONDS);
        answer.then().statusCode(502).contentType(Problem.MEDIA_TYPE).body("type", equalTo(PROBLEMS + "payment-provider-error"));
        assertFalse(provider.holds(1733), "the checkout released what the provider authorised after the void");
        given().auth().oauth2(ada.accessToken()).get("/v1/me/cart").then().body("lines", hasSize(1));
        given().auth().oauth2(ada.accessToken()).get("/v1/me/orders").then().body("data", hasSize(0));
        given().auth().oauth2(AuthFixtures.admin().accessToken()).get("/v1/admin/variants/" + variant).then().body("stock_on_hand", equalTo(3));
    }

    @Test
    void P8_aPaidCheckout_andADeclinedCard_leaveNoIntentAndNoHoldBehind() {
        SignedIn ada = AuthFixtures.customer();
        checkout(ada, CartFixtures.variant(1734, 2), "tok_declined").then().statusCode(402);
        assertEquals(0, intents(1734), "a declined card held nothing");
        checkout(ada, CartFixtures.variant(1735, 2), "tok_unheard_of").then().statusCode(400);
        assertEquals(0, intents(1735), "an unknown token held nothing");
        String variant = CartFixtures.variant(1736, 2);
        checkout(ada, variant, "tok_visa").then().statusCode(201).body("status", equalTo("paid")).body("payment.status", equalTo("captured"));
        assertEquals(0, intents(1736), "the order took the authorisation over");
        assertFalse(provider.holds(1736), "captured: the money moved, nothing is merely held");
    }

    private static Response checkout(SignedIn who, String variant, String paymentToken) {
        String cartId = CartFixtures.myCartWith(who, variant, 1);
        Map<String, Object> body = OrderFixtures.checkout(cartId);
        body.put("payment_token", paymentToken);
        return OrderFixtures.place(who, body).then().extract().response();
    }

    private static void nothingPlaced(SignedIn who, String variant, int stock) {
        given().auth().oauth2(who.accessToken()).get("/v1/me/cart").then().body("lines", hasSize(1));
        given().auth().oauth2(who.accessToken()).get("/v1/me/orders").then().body("data", hasSize(0));
        given().auth().oauth2(AuthFixtures.admin().accessToken()).get("/v1/admin/variants/" + variant).then().body("stock_on_hand", equalTo(stock));
    }

    private long intents(long amountMinor) {
        return pool.preparedQuery("select count(*) from payment_authorisation where amount_minor = $1").execute(Tuple.of(amountMinor))
                .await().atMost(WAIT).iterator().next().getLong(0);
    }

    private int attempts(long amountMinor) {
        return pool.preparedQuery("select attempts from payment_authorisation where amount_minor = $1").execute(Tuple.of(amountMinor))
                .await().atMost(WAIT).iterator().next().getInteger(0);
    }

    /** Time travel: the intent's void_after has come. */
    private void dueNow(long amountMinor) {
        pool.preparedQuery("update payment_authorisation set void_after = now() where amount_minor = $1").execute(Tuple.of(amountMinor))
                .await().atMost(WAIT);
    }
}
