package com.harmony.order;

import static com.harmony.cart.CartFixtures.myCartWith;
import static com.harmony.cart.CartFixtures.variant;
import static com.harmony.order.OrderFixtures.checkout;
import static com.harmony.order.OrderFixtures.place;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import com.harmony.AuthFixtures.SignedIn;
import com.harmony.cart.CartFixtures;
import com.harmony.cart.CartFixtures.GuestCart;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Checkout (P4, P8): signed-in only, server-side prices, provider tokens, idempotency, no oversell. */
@QuarkusTest
class CheckoutTest {

    private static final String PROBLEMS = "https://harmony.example/problems/";

    @Inject
    Pool pool;

    @Test
    void P4_placingAnOrderNeedsASignedInCustomer() {
        given().header("Idempotency-Key", UUID.randomUUID().toString()).contentType(ContentType.JSON)
                .body(checkout(UUID.randomUUID().toString())).post("/v1/me/orders").then().statusCode(401);
        given().auth().oauth2(AuthFixtures.withRoles("support").accessToken()).header("Idempotency-Key", UUID.randomUUID().toString())
                .contentType(ContentType.JSON).body(checkout(UUID.randomUUID().toString())).post("/v1/me/orders").then().statusCode(403);
    }

    @Test
    void P8_aCheckoutCarryingACardNumberOrSecurityCodeIsRefused() {
        SignedIn ada = AuthFixtures.customer();
        String cartId = myCartWith(ada, variant(1000, 5), 1);
        place(ada, checkoutWith(cartId, "card_number", "4242424242424242")).then().statusCode(400)
                .body("type", equalTo(PROBLEMS + "malformed-request")).body("errors[0].field", equalTo("card_number"));
        place(ada, checkoutWith(cartId, "cvc", "123")).then().statusCode(400).body("errors[0].field", equalTo("cvc"));
        given().auth().oauth2(ada.accessToken()).get("/v1/me/orders").then().statusCode(200).body("data", hasSize(0));
    }

    /** The fields that do take text cannot carry a card number either: it would be stored with the order. */
    @Test
    void P8_aCardNumberTypedIntoThePostalCodeOrAnAddressFieldIsRefused() {
        SignedIn ada = AuthFixtures.customer();
        String cartId = myCartWith(ada, variant(1000, 5), 1);
        place(ada, checkoutWith(cartId, "billing_postal_code", "4242424242424242")).then().statusCode(400)
                .body("type", equalTo(PROBLEMS + "validation-failed")).body("errors[0].field", equalTo("billing_postal_code"));
        // behind a country code or a house number, with dots or slashes between its groups, it is still one
        for (Map.Entry<String, String> typed : List.of(Map.entry("line1", "4111 1111 1111 1111"), Map.entry("line2", "card 4111-1111-1111-1111 exp 12/34"),
                Map.entry("phone", "4242 4242 4242 4242"), Map.entry("phone", "+14111111111111111"), Map.entry("phone", "+44 4111 1111 1111 1111"),
                Map.entry("line1", "Apt 4111.1111.1111.1111"), Map.entry("line2", "12 4111/1111/1111/1111"))) {
            place(ada, shippingTo(checkout(cartId), Map.of(typed.getKey(), typed.getValue()))).then().statusCode(400)
                    .body("errors[0].field", equalTo("shipping_address." + typed.getKey()));
        }
        given().auth().oauth2(ada.accessToken()).get("/v1/me/orders").then().statusCode(200).body("data", hasSize(0));
        // numbers that only look long are not card numbers: a ZIP+4, a 13-digit phone, a house number
        place(ada, shippingTo(checkoutWith(cartId, "billing_postal_code", "62701-1234"),
                Map.of("phone", "+86 138 0013 8000", "line1", "1234 Long Road, unit 5678901"))).then().statusCode(201);
    }

    /** The checkout body with one more field, or one replaced. */
    private static Map<String, Object> checkoutWith(String cartId, String field, Object value) {
        Map<String, Object> body = checkout(cartId);
        body.put(field, value);
        return body;
    }

    /** The checkout body with these fields of its shipping address replaced. */
    private static Map<String, Object> shippingTo(Map<String, Object> body, Map<String, String> fields) {
        @SuppressWarnings("unchecked")
        Map<String, Object> address = new java.util.HashMap<>((Map<String, Object>) body.get("shipping_address"));
        address.putAll(fields);
        body.put("shipping_address", address);
        return body;
    }

    @Test
    void P8_noColumnAnywhereCanHoldACardNumberOrSecurityCode() {
        List<String> suspicious = new ArrayList<>();
        for (Row r : pool.query("""
                select table_name || '.' || column_name as c from information_schema.columns
                where table_schema = current_schema()
                  and (column_name ~* '(card_?number|^pan$|cvc|cvv|security_code|card_code)')""")
                .execute().await().atMost(Duration.ofSeconds(5))) {
            suspicious.add(r.getString("c"));
        }
        assertEquals(List.of(), suspicious);
    }

    @Test
    void P8_aPaidOrderKeepsOnlyBrandLastFourExpiryAndThePostalCode() {
        SignedIn ada = AuthFixtures.customer();
        String v = variant(1250, 10);
        String cartId = myCartWith(ada, v, 2);
        Response order = place(ada, checkout(cartId)).then().statusCode(201)
                .header("Location", matchesPattern(".*/v1/me/orders/[0-9a-f-]{36}"))
                .body("status", equalTo("paid"))
                .body("number", matchesPattern("HC-[0-9A-Z]{10}"))
                .body("total.amount_minor", equalTo(2500))
                .body("total.currency", equalTo("USD"))
                .body("lines[0].unit_price.amount_minor", equalTo(1250))
                .body("lines[0].quantity", equalTo(2))
                .body("payment.brand", equalTo("visa"))
                .body("payment.last4", equalTo("4242"))
                .body("payment.exp_month", equalTo(12))
                .body("payment.exp_year", equalTo(2034))
                .body("payment.status", equalTo("captured"))
                .body("billing_postal_code", equalTo("62701"))
                .body("shipping_address.city", equalTo("Springfield"))
                .body("email", equalTo("ada@example.com"))
                .extract().response();
        assertTrue(!order.asString().contains("pi_test_"), "the provider reference stays server-side");
        given().auth().oauth2(ada.accessToken()).get("/v1/me/cart").then().body("lines", hasSize(0));
        given().auth().oauth2(AuthFixtures.admin().accessToken()).get("/v1/admin/variants/" + v).then().body("stock_on_hand", equalTo(8));
    }

    @Test
    void aDeclinedCardIs402_andLeavesCartAndStockAlone() {
        SignedIn ada = AuthFixtures.customer();
        String v = variant(500, 3);
        String cartId = myCartWith(ada, v, 1);
        Map<String, Object> body = checkout(cartId);
        body.put("payment_token", "tok_declined");
        place(ada, body).then().statusCode(402).body("type", equalTo(PROBLEMS + "payment-declined"));
        body.put("payment_token", "tok_error");
        place(ada, body).then().statusCode(502).header("Retry-After", "5").body("type", equalTo(PROBLEMS + "payment-provider-error"));
        body.put("payment_token", "tok_unheard_of");
        place(ada, body).then().statusCode(400).body("errors[0].field", equalTo("payment_token"));
        nothingPlaced(ada, v, 3);
        body.put("payment_token", "tok_mastercard");
        place(ada, body).then().statusCode(201).body("payment.brand", equalTo("mastercard")).body("payment.last4", equalTo("4444"));
    }

    @Test
    void aCartChangedWhileTheOrderIsBeingPlaced_is409CartChanged_andNothingIsOrderedOrReserved() throws Exception {
        SignedIn ada = AuthFixtures.customer();
        String v = variant(700, 4);
        String cartId = myCartWith(ada, v, 1);
        // another tab of the customer's holds the cart while it changes it
        placeWhileHeld(ada, cartId, "select 1 from cart where id = $1 for update",
                "update cart set version = version + 1, updated_at = now() where id = $1", UUID.fromString(cartId))
                .then().statusCode(409).body("type", equalTo(PROBLEMS + "cart-changed"));
        nothingPlaced(ada, v, 4);
    }

    @Test
    void stockGoneWhileTheOrderIsBeingPlaced_is409InsufficientStock_andNothingIsOrderedReservedOrAnnounced() throws Exception {
        SignedIn ada = AuthFixtures.customer();
        String v = variant(650, 5);
        String cartId = myCartWith(ada, v, 2);
        // a stock count elsewhere holds the variant while the order's reservation waits for it, then takes every unit
        placeWhileHeld(ada, cartId, "select 1 from catalog_variant where id = $1 for update",
                "update catalog_variant set stock_on_hand = 0 where id = $1", UUID.fromString(v))
                .then().statusCode(409).body("type", equalTo(PROBLEMS + "insufficient-stock"));
        given().auth().oauth2(ada.accessToken()).get("/v1/me/cart").then().body("lines", hasSize(1)).body("lines[0].quantity", equalTo(2));
        given().auth().oauth2(ada.accessToken()).get("/v1/me/orders").then().body("data", hasSize(0));
        // the reservation's stock.changed event went out with it and was rolled back with it
        assertEquals(0L, pool.preparedQuery("select count(*) as n from outbox where topic = 'stock.changed' and aggregate_id = $1 and payload->>'reason' = 'sale'")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(UUID.fromString(v))).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong("n"));
    }

    /** Orders are answered as compact JSON, like every other answer, though PostgreSQL writes them with spaces. */
    private static void assertCompact(String body) {
        try {
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            assertEquals(json.writeValueAsString(json.readTree(body)), body, "no whitespace between tokens");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    /** The refused checkout left the cart's one line in place, the variant's stock untouched and no order. */
    private static void nothingPlaced(SignedIn who, String variant, int stock) {
        given().auth().oauth2(who.accessToken()).get("/v1/me/cart").then().body("lines", hasSize(1));
        given().auth().oauth2(AuthFixtures.admin().accessToken()).get("/v1/admin/variants/" + variant).then().body("stock_on_hand", equalTo(stock));
        given().auth().oauth2(who.accessToken()).get("/v1/me/orders").then().body("data", hasSize(0));
    }

    /**
     * Checks out while another transaction holds a row (lock, $1 the id): once the order's transaction
     * waits for that row, the other changes it (change, $1 the id) and commits. Answers the checkout's response.
     */
    private Response placeWhileHeld(SignedIn who, String cartId, String lock, String change, UUID id) throws Exception {
        Duration wait = Duration.ofSeconds(10);
        io.vertx.mutiny.sqlclient.SqlConnection other = pool.getConnection().await().atMost(wait);
        io.vertx.mutiny.sqlclient.Transaction tx = other.begin().await().atMost(wait);
        other.preparedQuery(lock).execute(io.vertx.mutiny.sqlclient.Tuple.of(id)).await().atMost(wait);
        java.util.concurrent.CompletableFuture<Response> placing =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> place(who, checkout(cartId)));
        long deadline = System.nanoTime() + wait.toNanos();
        while (pool.query("select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'")
                .execute().await().atMost(wait).iterator().next().getLong("n") == 0) {
            assertTrue(System.nanoTime() < deadline, "the order's transaction waits for the held row");
            Thread.sleep(20);
        }
        other.preparedQuery(change).execute(io.vertx.mutiny.sqlclient.Tuple.of(id)).await().atMost(wait);
        tx.commit().await().atMost(wait);
        other.close().await().atMost(wait);
        return placing.get(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void checkoutRefusesBadShippingEmailAndCarts() {
        SignedIn ada = AuthFixtures.customer();
        String cartId = myCartWith(ada, variant(500, 3), 1);
        Map<String, Object> saved = checkout(cartId);
        saved.remove("shipping_address");
        saved.put("shipping_address_id", UUID.randomUUID().toString());
        place(ada, saved).then().statusCode(400).body("errors[0].field", equalTo("shipping_address_id"));
        Map<String, Object> neither = checkout(cartId);
        neither.remove("shipping_address");
        place(ada, neither).then().statusCode(400).body("errors[0].field", equalTo("shipping_address"));
        Map<String, Object> badEmail = checkout(cartId);
        badEmail.put("email", "not-an-email");
        place(ada, badEmail).then().statusCode(400).body("errors[0].field", equalTo("email"));
        Map<String, Object> badAddress = checkout(cartId);
        ((Map<String, Object>) badAddress.get("shipping_address")).put("country", "usa");
        place(ada, badAddress).then().statusCode(400).body("errors[0].field", equalTo("shipping_address.country"));
        SignedIn bob = AuthFixtures.customer();
        place(bob, checkout(cartId)).then().statusCode(400).body("errors[0].field", equalTo("cart_id"));
        String bobsEmptyCart = given().auth().oauth2(bob.accessToken()).get("/v1/me/cart").then().extract().path("id");
        place(bob, checkout(bobsEmptyCart)).then().statusCode(409).body("type", equalTo(PROBLEMS + "cart-empty"));
    }

    @Test
    void aSignedInCustomerMayCheckOutAGuestCartWhoseTokenTheyHold() {
        SignedIn ada = AuthFixtures.customer();
        GuestCart cart = CartFixtures.guestCart();
        CartFixtures.add(cart, variant(700, 4), 2).then().statusCode(200);
        place(ada, checkout(cart.id())).then().statusCode(400);
        given().auth().oauth2(ada.accessToken()).header("Idempotency-Key", UUID.randomUUID().toString())
                .header("X-Cart-Token", cart.token()).contentType(ContentType.JSON).body(checkout(cart.id()))
                .post("/v1/me/orders").then().statusCode(201).body("total.amount_minor", equalTo(1400));
    }

    @Test
    void aMissingIdempotencyKeyIs400() {
        SignedIn ada = AuthFixtures.customer();
        String cartId = myCartWith(ada, variant(500, 3), 1);
        given().auth().oauth2(ada.accessToken()).contentType(ContentType.JSON).body(checkout(cartId))
                .post("/v1/me/orders").then().statusCode(400).body("type", equalTo(PROBLEMS + "idempotency-key-missing"));
    }

    @Test
    void theSameKeyAndBodyReplaysTheFirstResponse_aDifferentBodyIs422() {
        SignedIn ada = AuthFixtures.customer();
        String cartId = myCartWith(ada, variant(500, 3), 1);
        String key = UUID.randomUUID().toString();
        Response first = place(ada, checkout(cartId), key).then().statusCode(201).extract().response();
        Response again = place(ada, checkout(cartId), key).then().statusCode(201)
                .header("Idempotent-Replayed", "true").extract().response();
        assertEquals(first.path("id"), (String) again.path("id"));
        assertEquals(first.header("Location"), again.header("Location"));
        assertEquals(first.asString(), again.asString(), "the replay is the first answer, byte for byte");
        assertCompact(first.asString());
        Map<String, Object> other = checkout(cartId);
        other.put("billing_postal_code", "10001");
        place(ada, other, key).then().statusCode(422).body("type", equalTo(PROBLEMS + "idempotency-key-reused"));
        given().auth().oauth2(ada.accessToken()).get("/v1/me/orders").then().body("data", hasSize(1));
        SignedIn bob = AuthFixtures.customer();
        String bobsCart = myCartWith(bob, variant(500, 3), 1);
        place(bob, checkout(bobsCart), key).then().statusCode(201).header("Idempotent-Replayed", (String) null);
    }

    @Test
    void concurrentDuplicatesCreateOneOrder() throws Exception {
        SignedIn ada = AuthFixtures.customer();
        String cartId = myCartWith(ada, variant(500, 30), 1);
        String key = UUID.randomUUID().toString();
        List<Response> answers = race(8, () -> place(ada, checkout(cartId), key));
        Set<String> ids = new HashSet<>();
        for (Response r : answers) {
            assertTrue(r.statusCode() == 201 || r.statusCode() == 409, "got " + r.statusCode() + " " + r.asString());
            if (r.statusCode() == 201) ids.add(r.path("id"));
        }
        assertEquals(1, ids.size());
        given().auth().oauth2(ada.accessToken()).get("/v1/me/orders").then().body("data", hasSize(1));
    }

    @Test
    void buyersRacingForTheLastUnitsNeverOversell() throws Exception {
        String v = variant(999, 3);
        List<SignedIn> buyers = new ArrayList<>();
        List<String> carts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            SignedIn b = AuthFixtures.customer();
            buyers.add(b);
            carts.add(myCartWith(b, v, 1));
        }
        List<Callable<Response>> attempts = new ArrayList<>();
        for (int i = 0; i < buyers.size(); i++) {
            SignedIn b = buyers.get(i);
            String cart = carts.get(i);
            attempts.add(() -> place(b, checkout(cart)));
        }
        List<Response> answers = raceAll(attempts);
        long won = answers.stream().filter(r -> r.statusCode() == 201).count();
        long lost = answers.stream().filter(r -> r.statusCode() == 409 && r.asString().contains("insufficient-stock")).count();
        assertEquals(3, won, "exactly the units on hand are sold");
        assertEquals(buyers.size() - 3, lost);
        given().auth().oauth2(AuthFixtures.admin().accessToken()).get("/v1/admin/variants/" + v).then().body("stock_on_hand", equalTo(0));
    }

    @Test
    void orderHistoryShowsOnlyMyOrders_andAnotherCustomersOrderIsNotFound() {
        SignedIn ada = AuthFixtures.customer();
        SignedIn bob = AuthFixtures.customer();
        String first = OrderFixtures.paidOrder(ada, 100, 1).path("id");
        String second = OrderFixtures.paidOrder(ada, 200, 1).path("id");
        String third = OrderFixtures.paidOrder(ada, 300, 1).path("id");
        Response page1 = given().auth().oauth2(ada.accessToken()).get("/v1/me/orders?limit=2").then().statusCode(200)
                .body("data", hasSize(2)).body("has_more", equalTo(true))
                .body("data[0].id", equalTo(third)).body("data[1].id", equalTo(second))
                .body("data[0].total.amount_minor", equalTo(300)).body("data[0].item_count", equalTo(1))
                .extract().response();
        given().auth().oauth2(ada.accessToken()).queryParam("limit", 2).queryParam("cursor", (String) page1.path("next_cursor"))
                .get("/v1/me/orders").then().statusCode(200)
                .body("data", hasSize(1)).body("data[0].id", equalTo(first)).body("has_more", equalTo(false));
        given().auth().oauth2(ada.accessToken()).get("/v1/me/orders?cursor=bogus").then().statusCode(400);
        given().auth().oauth2(ada.accessToken()).get("/v1/me/orders/" + first).then().statusCode(200).body("id", equalTo(first));
        assertCompact(page1.asString());
        assertCompact(given().auth().oauth2(ada.accessToken()).get("/v1/me/orders/" + first).asString());
        given().auth().oauth2(bob.accessToken()).get("/v1/me/orders/" + first).then().statusCode(404);
        given().auth().oauth2(bob.accessToken()).get("/v1/me/orders").then().body("data", hasSize(0));
        given().auth().oauth2(bob.accessToken()).post("/v1/me/orders/" + first + "/cancel").then().statusCode(404);
    }

    static List<Response> race(int n, Callable<Response> attempt) throws Exception {
        List<Callable<Response>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) all.add(attempt);
        return raceAll(all);
    }

    static List<Response> raceAll(List<Callable<Response>> attempts) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(attempts.size());
        try {
            List<Response> out = new ArrayList<>();
            for (Future<Response> f : pool.invokeAll(attempts)) out.add(f.get());
            return out;
        } finally {
            pool.shutdown();
        }
    }
}
