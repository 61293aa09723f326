package com.harmony.cart;

import static com.harmony.cart.CartFixtures.add;
import static com.harmony.cart.CartFixtures.addToMyCart;
import static com.harmony.cart.CartFixtures.guestCart;
import static com.harmony.cart.CartFixtures.variant;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import com.harmony.AuthFixtures.SignedIn;
import com.harmony.cart.CartFixtures.GuestCart;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Carts for guests and accounts (P4, P22): server-side prices, tokens, versions, merge and expiry. */
@QuarkusTest
class CartTest {

    private static final String PROBLEMS = "https://harmony.example/problems/";

    @Inject
    CartService carts;

    @Inject
    CartPersonalData cartData;

    @Inject
    Pool pool;

    /** A cart ETag of this version ("<version>-<digest>"). */
    private static org.hamcrest.Matcher<String> version(int n) {
        return org.hamcrest.Matchers.startsWith("\"" + n + "-");
    }

    @Test
    void P22_anyoneCanCreateAGuestCartAndAddManyItems_pricedByTheServer() {
        GuestCart cart = guestCart();
        String tee = variant(1999, 10);
        String mug = variant(850, 10);
        add(cart, tee, 2).then().statusCode(200).header("ETag", version(2));
        add(cart, mug, 3).then().statusCode(200)
                .header("ETag", version(3))
                .body("owner", equalTo("guest"))
                .body("lines", hasSize(2))
                .body("lines[0].variant_id", equalTo(tee))
                .body("lines[0].unit_price.amount_minor", equalTo(1999))
                .body("lines[0].line_total.amount_minor", equalTo(3998))
                .body("lines[1].line_total.amount_minor", equalTo(2550))
                .body("subtotal.amount_minor", equalTo(6548))
                .body("subtotal.currency", equalTo("USD"))
                .body("item_count", equalTo(5))
                .body("stock_warning", is(false))
                .body("token", nullValue());
        given().header("X-Cart-Token", cart.token()).get("/v1/carts/" + cart.id()).then().statusCode(200)
                .header("ETag", version(3)).body("subtotal.amount_minor", equalTo(6548));
    }

    @Test
    void anAddAnswersTheCartExactlyAsAReadThenShowsIt_inTheOrderLinesWereAdded() {
        GuestCart cart = guestCart();
        String tee = variant(1999, 10);
        String mug = variant(850, 2);
        String cap = variant(1250, 10);
        add(cart, tee, 1).then().statusCode(200);
        add(cart, mug, 3).then().statusCode(200);
        Response last = add(cart, tee, 2); // adds up on the first line, which stays first
        Response read = given().header("X-Cart-Token", cart.token()).get("/v1/carts/" + cart.id());
        assertEquals(read.jsonPath().getMap(""), last.jsonPath().getMap(""), "the add's answer is the cart a read shows");
        assertEquals(read.header("ETag"), last.header("ETag"));
        assertEquals(java.util.List.of(tee, mug), last.jsonPath().getList("lines.variant_id"));
        assertEquals(java.util.List.of(3, 3), last.jsonPath().getList("lines.quantity"));
        assertEquals(Boolean.TRUE, last.jsonPath().get("stock_warning"), "3 mugs of 2 in stock");

        SignedIn ada = AuthFixtures.customer();
        addToMyCart(ada, cap, 1).then().statusCode(200);
        Response mine = addToMyCart(ada, mug, 1);
        Response myRead = given().auth().oauth2(ada.accessToken()).get("/v1/me/cart");
        assertEquals(myRead.jsonPath().getMap(""), mine.jsonPath().getMap(""));
        assertEquals(myRead.header("ETag"), mine.header("ETag"));
        assertEquals(java.util.List.of(cap, mug), mine.jsonPath().getList("lines.variant_id"));
    }

    @Test
    void creatingACart_returnsItsTokenOnceAndSetsTheSessionCookies() {
        Response r = given().post("/v1/carts").then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.containsString("/v1/carts/"))
                .extract().response();
        assertNotNull(r.path("token"));
        assertEquals(r.path("token"), r.getCookie("__Host-harmony_cart"));
        assertNotNull(r.getCookie("__Host-harmony_csrf"));
        assertTrue(r.header("ETag").startsWith("\"1-"), r.header("ETag"));
    }

    @Test
    void aGuestCartNeedsItsToken_aWrongOrMissingTokenIsNotFound() {
        GuestCart cart = guestCart();
        GuestCart other = guestCart();
        given().get("/v1/carts/" + cart.id()).then().statusCode(404).body("type", equalTo(PROBLEMS + "not-found"));
        given().header("X-Cart-Token", other.token()).get("/v1/carts/" + cart.id()).then().statusCode(404);
        add(new GuestCart(cart.id(), other.token()), variant(100, 1), 1).then().statusCode(404);
        given().header("X-Cart-Token", cart.token()).get("/v1/carts/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void browsersUseTheCartCookie_andCookieWritesMustEchoTheCsrfToken() {
        Response created = given().post("/v1/carts").then().statusCode(201).extract().response();
        String id = created.path("id");
        String token = created.getCookie("__Host-harmony_cart");
        String csrf = created.getCookie("__Host-harmony_csrf");
        Map<String, Object> body = Map.of("variant_id", variant(500, 5), "quantity", 1);
        given().cookie("__Host-harmony_cart", token).contentType(ContentType.JSON).body(body)
                .post("/v1/carts/" + id + "/items").then().statusCode(403).body("type", equalTo(PROBLEMS + "csrf-failed"));
        given().cookie("__Host-harmony_cart", token).cookie("__Host-harmony_csrf", csrf).header("X-CSRF-Token", csrf)
                .contentType(ContentType.JSON).body(body)
                .post("/v1/carts/" + id + "/items").then().statusCode(200).body("item_count", equalTo(1));
        given().cookie("__Host-harmony_cart", token).get("/v1/carts/" + id).then().statusCode(200).body("item_count", equalTo(1));
    }

    @Test
    void aClientCannotSendAPrice_theFieldIsRefused() {
        GuestCart cart = guestCart();
        given().header("X-Cart-Token", cart.token()).contentType(ContentType.JSON)
                .body(Map.of("variant_id", variant(1000, 5), "quantity", 1, "unit_price_minor", 1))
                .post("/v1/carts/" + cart.id() + "/items").then().statusCode(400)
                .body("type", equalTo(PROBLEMS + "malformed-request"))
                .body("errors[0].field", equalTo("unit_price_minor"));
    }

    @Test
    void aCatalogPriceChangeShowsInTheCartAtOnce() {
        GuestCart cart = guestCart();
        String v = variant(1000, 5);
        add(cart, v, 2).then().statusCode(200).body("subtotal.amount_minor", equalTo(2000));
        given().auth().oauth2(AuthFixtures.admin().accessToken()).contentType(ContentType.JSON).body(Map.of("price_minor", 1200))
                .patch("/v1/admin/variants/" + v).then().statusCode(200);
        given().header("X-Cart-Token", cart.token()).get("/v1/carts/" + cart.id()).then().statusCode(200)
                .body("subtotal.amount_minor", equalTo(2400));
    }

    @Test
    void addingAVariantAgainAddsUp_andQuantitiesAreBounded() {
        GuestCart cart = guestCart();
        String v = variant(100, 500);
        add(cart, v, 40).then().statusCode(200);
        add(cart, v, 50).then().statusCode(200).body("lines", hasSize(1)).body("lines[0].quantity", equalTo(90));
        add(cart, v, 10).then().statusCode(422).body("type", equalTo(PROBLEMS + "quantity-limit"));
        add(cart, v, 0).then().statusCode(400).body("errors[0].field", equalTo("quantity"));
        add(cart, v, 100).then().statusCode(400);
        add(cart, v, -1).then().statusCode(400);
    }

    @Test
    void unknownOrArchivedVariantsAreAClearProblem() {
        GuestCart cart = guestCart();
        add(cart, UUID.randomUUID().toString(), 1).then().statusCode(422)
                .body("type", equalTo(PROBLEMS + "variant-unavailable"))
                .body("errors[0].field", equalTo("variant_id"));
        String v = variant(100, 5);
        given().auth().oauth2(AuthFixtures.admin().accessToken()).post("/v1/admin/variants/" + v + "/archive").then().statusCode(200);
        add(cart, v, 1).then().statusCode(422).body("type", equalTo(PROBLEMS + "variant-unavailable"));

        // an active variant of an archived product cannot be bought either
        Map<String, Object> product = com.harmony.catalog.CatalogFixtures.product(null, "Archived later", 100, 5);
        @SuppressWarnings("unchecked")
        String ofArchived = (String) ((java.util.List<Map<String, Object>>) product.get("variants")).get(0).get("id");
        given().auth().oauth2(AuthFixtures.admin().accessToken()).post("/v1/admin/products/" + product.get("id") + "/archive")
                .then().statusCode(200);
        add(cart, ofArchived, 1).then().statusCode(422).body("type", equalTo(PROBLEMS + "variant-unavailable"));
        given().header("X-Cart-Token", cart.token()).get("/v1/carts/" + cart.id()).then().header("ETag", version(1)).body("lines", hasSize(0));
    }

    @Test
    void aVariantArchivedAfterAddingIsShownUnavailableAndLeftOutOfTheSubtotal() {
        GuestCart cart = guestCart();
        String kept = variant(300, 5);
        String gone = variant(700, 5);
        add(cart, kept, 1).then().statusCode(200);
        add(cart, gone, 1).then().statusCode(200);
        given().auth().oauth2(AuthFixtures.admin().accessToken()).post("/v1/admin/variants/" + gone + "/archive").then().statusCode(200);
        given().header("X-Cart-Token", cart.token()).get("/v1/carts/" + cart.id()).then().statusCode(200)
                .body("has_unavailable_items", is(true))
                .body("lines[1].available", is(false))
                .body("lines[1].line_total", nullValue())
                .body("subtotal.amount_minor", equalTo(300));
    }

    @Test
    void aLineAboveTheStockOnHandCarriesAStockWarning() {
        GuestCart cart = guestCart();
        add(cart, variant(100, 2), 3).then().statusCode(200)
                .body("stock_warning", is(true))
                .body("lines[0].stock_warning", is(true))
                .body("lines[0].available_quantity", equalTo(2));
    }

    @Test
    void linesCanBeChangedRemovedAndCleared() {
        GuestCart cart = guestCart();
        String a = variant(100, 50);
        String b = variant(200, 50);
        add(cart, a, 1).then().statusCode(200);
        add(cart, b, 1).then().statusCode(200);
        given().header("X-Cart-Token", cart.token()).contentType(ContentType.JSON).body(Map.of("quantity", 5))
                .patch("/v1/carts/" + cart.id() + "/items/" + a).then().statusCode(200).body("lines[0].quantity", equalTo(5));
        given().header("X-Cart-Token", cart.token()).delete("/v1/carts/" + cart.id() + "/items/" + b).then().statusCode(200)
                .body("lines", hasSize(1));
        given().header("X-Cart-Token", cart.token()).delete("/v1/carts/" + cart.id() + "/items/" + b).then().statusCode(404);
        given().header("X-Cart-Token", cart.token()).contentType(ContentType.JSON).body(Map.of("quantity", 2))
                .patch("/v1/carts/" + cart.id() + "/items/" + b).then().statusCode(404);
        given().header("X-Cart-Token", cart.token()).delete("/v1/carts/" + cart.id() + "/items").then().statusCode(200)
                .body("lines", hasSize(0)).body("subtotal", nullValue()).body("item_count", equalTo(0));
    }

    @Test
    void aStaleOrWeakIfMatchIsRefusedWith412_notSilentlyOverwritten() {
        GuestCart cart = guestCart();
        String v = variant(100, 50);
        String etag = add(cart, v, 1).then().statusCode(200).extract().header("ETag");
        String written = given().header("X-Cart-Token", cart.token()).header("If-Match", etag).contentType(ContentType.JSON).body(Map.of("quantity", 4))
                .patch("/v1/carts/" + cart.id() + "/items/" + v).then().statusCode(200).header("ETag", not(etag)).extract().header("ETag");
        given().header("X-Cart-Token", cart.token()).header("If-Match", etag).contentType(ContentType.JSON).body(Map.of("quantity", 9))
                .patch("/v1/carts/" + cart.id() + "/items/" + v).then().statusCode(412)
                .body("type", equalTo(PROBLEMS + "precondition-failed"));
        // only a tag this API could have issued names a version: a bare digest-less dash or a zero-padded version does not
        String version = written.substring(1, written.indexOf('-'));
        for (String odd : List.of("\"" + version + "-\"", "\"0" + written.substring(1), "\"" + version + "-x-y\"")) {
            given().header("X-Cart-Token", cart.token()).header("If-Match", odd).delete("/v1/carts/" + cart.id() + "/items").then().statusCode(412);
        }
        given().header("X-Cart-Token", cart.token()).header("If-Match", "garbage")
                .delete("/v1/carts/" + cart.id() + "/items").then().statusCode(412);
        // If-Match compares strongly (RFC 9110): the current tag made weak does not match either
        given().header("X-Cart-Token", cart.token()).header("If-Match", "W/\"3\"")
                .delete("/v1/carts/" + cart.id() + "/items").then().statusCode(412).body("type", equalTo(PROBLEMS + "precondition-failed"));
        given().header("X-Cart-Token", cart.token()).header("If-None-Match", written).get("/v1/carts/" + cart.id())
                .then().statusCode(304);
        given().header("X-Cart-Token", cart.token()).get("/v1/carts/" + cart.id()).then().body("lines[0].quantity", equalTo(4));
    }

    /**
     * What the catalog adds to a cart (prices, stock warnings) is in its ETag: after staff reprice a variant or cut its
     * stock, If-None-Match with the older tag answers the cart as it now reads, never 304. The cart itself did not
     * change, so a write over the older tag still goes through.
     */
    @Test
    void aPriceOrStockChangeMovesTheCartsETag_soRevalidationShowsIt() {
        GuestCart cart = guestCart();
        String v = variant(1000, 10);
        String before = add(cart, v, 3).then().statusCode(200).extract().header("ETag");
        given().header("X-Cart-Token", cart.token()).header("If-None-Match", before).get("/v1/carts/" + cart.id()).then().statusCode(304);
        String admin = AuthFixtures.admin().accessToken();
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("price_minor", 1500)).patch("/v1/admin/variants/" + v)
                .then().statusCode(200);
        String repriced = given().header("X-Cart-Token", cart.token()).header("If-None-Match", before).get("/v1/carts/" + cart.id())
                .then().statusCode(200).body("subtotal.amount_minor", equalTo(4500)).header("ETag", version(2)).header("ETag", not(before))
                .extract().header("ETag");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("stock_on_hand", 2)).patch("/v1/admin/variants/" + v)
                .then().statusCode(200);
        given().header("X-Cart-Token", cart.token()).header("If-None-Match", repriced).get("/v1/carts/" + cart.id())
                .then().statusCode(200).body("stock_warning", is(true)).header("ETag", not(repriced));
        given().header("X-Cart-Token", cart.token()).header("If-Match", before).contentType(ContentType.JSON).body(Map.of("quantity", 2))
                .patch("/v1/carts/" + cart.id() + "/items/" + v).then().statusCode(200).header("ETag", version(3));
    }

    @Test
    void concurrentWritesWithTheSameIfMatch_exactlyOneWins_theOthersGet412() throws Exception {
        GuestCart cart = guestCart();
        String v = variant(100, 50);
        String etag = add(cart, v, 1).then().statusCode(200).extract().header("ETag");
        java.util.List<java.util.concurrent.Callable<Integer>> writes = new java.util.ArrayList<>();
        for (int q = 2; q <= 7; q++) {
            int quantity = q;
            writes.add(() -> given().header("X-Cart-Token", cart.token()).header("If-Match", etag).contentType(ContentType.JSON)
                    .body(Map.of("quantity", quantity)).patch("/v1/carts/" + cart.id() + "/items/" + v).statusCode());
        }
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(writes.size());
        java.util.List<Integer> statuses = new java.util.ArrayList<>();
        try {
            for (var f : threads.invokeAll(writes)) statuses.add(f.get());
        } finally {
            threads.shutdown();
        }
        assertEquals(1, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
        assertEquals(writes.size() - 1, statuses.stream().filter(s -> s == 412).count(), statuses.toString());
        given().header("X-Cart-Token", cart.token()).get("/v1/carts/" + cart.id()).then().header("ETag", version(3));
    }

    @Test
    void oneCartHoldsOneCurrency() {
        GuestCart cart = guestCart();
        add(cart, variant(100, 5), 1).then().statusCode(200);
        Map<String, Object> eur = com.harmony.catalog.CatalogFixtures.product(null, "Euro item", 100, 5);
        @SuppressWarnings("unchecked")
        String eurVariant = (String) ((java.util.List<Map<String, Object>>) eur.get("variants")).get(0).get("id");
        given().auth().oauth2(AuthFixtures.admin().accessToken()).contentType(ContentType.JSON).body(Map.of("currency", "EUR"))
                .patch("/v1/admin/variants/" + eurVariant).then().statusCode(200);
        add(cart, eurVariant, 1).then().statusCode(409).body("type", equalTo(PROBLEMS + "cart-currency-mismatch"));
    }

    @Test
    void aSignedInCustomerHasAnAccountCart_thatNoOtherCustomerSees() {
        SignedIn ada = AuthFixtures.customer();
        SignedIn bob = AuthFixtures.customer();
        String v = variant(400, 9);
        given().auth().oauth2(ada.accessToken()).get("/v1/me/cart").then().statusCode(200)
                .body("owner", equalTo("account")).body("lines", hasSize(0)).header("ETag", version(1));
        addToMyCart(ada, v, 2).then().statusCode(200).body("subtotal.amount_minor", equalTo(800)).header("ETag", version(2));
        given().auth().oauth2(bob.accessToken()).get("/v1/me/cart").then().statusCode(200).body("lines", hasSize(0));
        String adaCart = given().auth().oauth2(ada.accessToken()).get("/v1/me/cart").then().extract().path("id");
        given().auth().oauth2(bob.accessToken()).get("/v1/carts/" + adaCart).then().statusCode(404);
        given().get("/v1/me/cart").then().statusCode(401);
        given().auth().oauth2(AuthFixtures.withRoles("support").accessToken()).get("/v1/me/cart").then().statusCode(403);
    }

    @Test
    void atSignIn_theGuestCartMergesIntoTheAccountCart_sameVariantsAddUpCapped() {
        SignedIn ada = AuthFixtures.customer();
        String shared = variant(100, 500);
        String guestOnly = variant(200, 500);
        String big = variant(300, 500);
        addToMyCart(ada, shared, 1).then().statusCode(200);
        addToMyCart(ada, big, 60).then().statusCode(200);
        GuestCart guest = guestCart();
        add(guest, shared, 2).then().statusCode(200);
        add(guest, guestOnly, 1).then().statusCode(200);
        add(guest, big, 60).then().statusCode(200);

        carts.onSignIn(UUID.fromString(ada.accountId()), new com.harmony.platform.SignInListener.Guest(guest.token(), null)).await().atMost(Duration.ofSeconds(10));

        Response mine = given().auth().oauth2(ada.accessToken()).get("/v1/me/cart").then().statusCode(200)
                .body("lines", hasSize(3)).extract().response();
        assertEquals(3, quantityOf(mine, shared));
        assertEquals(1, quantityOf(mine, guestOnly));
        assertEquals(CartService.MAX_QUANTITY, quantityOf(mine, big));
        given().header("X-Cart-Token", guest.token()).get("/v1/carts/" + guest.id()).then().statusCode(404);
    }

    @Test
    void atSignIn_anUnknownTokenOrNoTokenChangesNothingAndNeverFails() {
        SignedIn ada = AuthFixtures.customer();
        carts.onSignIn(UUID.fromString(ada.accountId()), new com.harmony.platform.SignInListener.Guest("no-such-token", null)).await().atMost(Duration.ofSeconds(10));
        carts.onSignIn(UUID.fromString(ada.accountId()), new com.harmony.platform.SignInListener.Guest(null, null)).await().atMost(Duration.ofSeconds(10));
        given().auth().oauth2(ada.accessToken()).get("/v1/me/cart").then().statusCode(200).body("lines", hasSize(0));
    }

    @Test
    void idleCartsExpire_andThePurgeDeletesThem() {
        GuestCart cart = guestCart();
        add(cart, variant(100, 5), 1).then().statusCode(200).body("expires_at", notNullValue());
        pool.preparedQuery("update cart set expires_at = now() - interval '1 minute' where id = $1")
                .execute(Tuple.of(UUID.fromString(cart.id()))).await().atMost(Duration.ofSeconds(5));
        given().header("X-Cart-Token", cart.token()).get("/v1/carts/" + cart.id()).then().statusCode(404);
        pool.withTransaction(conn -> cartData.purge(conn)).await().atMost(Duration.ofSeconds(5));
        long left = pool.preparedQuery("select count(*) from cart where id = $1").execute(Tuple.of(UUID.fromString(cart.id())))
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0);
        assertEquals(0, left);
    }

    @Test
    void aRefusedAddChangesNothing_theCartKeepsItsVersionAndLines() {
        GuestCart cart = guestCart();
        String v = variant(100, 500);
        add(cart, v, 95).then().statusCode(200).header("ETag", version(2));
        Map<String, Object> before = given().header("X-Cart-Token", cart.token()).get("/v1/carts/" + cart.id()).jsonPath().getMap("");

        add(cart, v, 5).then().statusCode(422).body("type", equalTo(PROBLEMS + "quantity-limit"));
        add(cart, UUID.randomUUID().toString(), 1).then().statusCode(422).body("type", equalTo(PROBLEMS + "variant-unavailable"));
        add(new GuestCart(cart.id(), guestCart().token()), variant(100, 5), 1).then().statusCode(404);
        given().header("X-Cart-Token", cart.token()).header("If-Match", "\"1\"").contentType(ContentType.JSON)
                .body(Map.of("variant_id", v, "quantity", 1)).post("/v1/carts/" + cart.id() + "/items")
                .then().statusCode(412).body("type", equalTo(PROBLEMS + "precondition-failed"))
                .body("detail", equalTo("The cart is at version 2, not the one you sent in If-Match; read it again and reapply your change."));

        Response after = given().header("X-Cart-Token", cart.token()).get("/v1/carts/" + cart.id());
        after.then().header("ETag", version(2));
        assertEquals(before, after.jsonPath().getMap(""), "a refused add leaves the cart as it was");
        given().header("X-Cart-Token", cart.token()).header("If-Match", "\"2\"").contentType(ContentType.JSON)
                .body(Map.of("variant_id", v, "quantity", 4)).post("/v1/carts/" + cart.id() + "/items")
                .then().statusCode(200).header("ETag", version(3)).body("lines[0].quantity", equalTo(99));
    }

    @Test
    void anAccountsFirstAddCreatesItsCart_andAnExpiredOneIsReplacedByAFreshCart() {
        SignedIn ada = AuthFixtures.customer();
        String v = variant(300, 10);
        addToMyCart(ada, UUID.randomUUID().toString(), 1).then().statusCode(422).body("type", equalTo(PROBLEMS + "variant-unavailable"));
        addToMyCart(ada, v, 2).then().statusCode(200).header("ETag", version(2)).body("owner", equalTo("account"))
                .body("lines", hasSize(1)).body("subtotal.amount_minor", equalTo(600));
        pool.preparedQuery("update cart set expires_at = now() - interval '1 minute' where account_id = $1")
                .execute(Tuple.of(UUID.fromString(ada.accountId()))).await().atMost(Duration.ofSeconds(5));
        addToMyCart(ada, v, 1).then().statusCode(200).header("ETag", version(2))
                .body("lines", hasSize(1)).body("lines[0].quantity", equalTo(1));
    }

    @Test
    void aBurstOfParallelAddsToOneCart_countsEveryUnit_andNeverPassesTheLineLimit() throws Exception {
        GuestCart cart = guestCart();
        String v = variant(100, 500);
        java.util.List<Integer> statuses = inParallel(java.util.Collections.nCopies(40, () -> add(cart, v, 1).statusCode()));
        assertEquals(java.util.Collections.nCopies(40, 200), statuses);
        given().header("X-Cart-Token", cart.token()).get("/v1/carts/" + cart.id()).then()
                .header("ETag", version(41)).body("lines[0].quantity", equalTo(40));

        // 97 more lines (of variants the catalog no longer knows) make 98, then ten new variants at once: two fit
        pool.preparedQuery("insert into cart_line (cart_id, variant_id, quantity) select $1, gen_random_uuid(), 1 from generate_series(1, 97)")
                .execute(Tuple.of(UUID.fromString(cart.id()))).await().atMost(Duration.ofSeconds(5));
        java.util.List<java.util.concurrent.Callable<Integer>> adds = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String other = variant(100, 5);
            adds.add(() -> add(cart, other, 1).statusCode());
        }
        statuses = inParallel(adds);
        assertEquals(2, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
        assertEquals(8, statuses.stream().filter(s -> s == 422).count(), statuses.toString());
        given().header("X-Cart-Token", cart.token()).get("/v1/carts/" + cart.id()).then().body("lines", hasSize(CartService.MAX_LINES));
    }

    private static java.util.List<Integer> inParallel(java.util.List<java.util.concurrent.Callable<Integer>> calls) throws Exception {
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(calls.size());
        try {
            java.util.List<Integer> out = new java.util.ArrayList<>();
            for (var f : threads.invokeAll(calls)) {
                out.add(f.get());
            }
            return out;
        } finally {
            threads.shutdown();
        }
    }

    private static int quantityOf(Response cart, String variantId) {
        java.util.List<Map<String, Object>> lines = cart.path("lines");
        return lines.stream().filter(l -> variantId.equals(l.get("variant_id"))).mapToInt(l -> (Integer) l.get("quantity")).findFirst().orElse(-1);
    }
}
