package com.harmony.cart;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import com.harmony.cart.CartFixtures.GuestCart;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.quarkus.arc.Arc;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** P22: what a visitor put in a guest cart follows them into their account when they sign in. */
@QuarkusTest
class SignInMergeTest {

    @Test
    void P22_signingInWithAGuestCartTokenMergesItIntoTheAccountCart() {
        String email = AuthFixtures.uniqueEmail();
        AuthFixtures.register(email);
        String shared = CartFixtures.variant(500, 50);
        String guestOnly = CartFixtures.variant(700, 50);
        // the account already holds 2 of the shared variant
        AuthFixtures.SignedIn before = AuthFixtures.signIn(email, AuthFixtures.PASSWORD);
        CartFixtures.addToMyCart(before, shared, 2).then().statusCode(200);

        GuestCart guest = CartFixtures.guestCart();
        CartFixtures.add(guest, shared, 3).then().statusCode(200);
        CartFixtures.add(guest, guestOnly, 1).then().statusCode(200);

        String token = given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", AuthFixtures.PASSWORD, "cart_token", guest.token()))
                .post("/v1/auth/sign-in").then().statusCode(200).extract().path("access_token");

        given().auth().oauth2(token).get("/v1/me/cart").then().statusCode(200)
                .body("lines", hasSize(2))
                .body("lines.find { it.variant_id == '" + shared + "' }.quantity", equalTo(5))
                .body("lines.find { it.variant_id == '" + guestOnly + "' }.quantity", equalTo(1));
        // the guest cart is gone: its token opens nothing any more
        given().header("X-Cart-Token", guest.token()).get("/v1/carts/" + guest.id()).then().statusCode(404);
    }

    /**
     * A cart holds one currency: guest lines in another currency than the account cart's stay behind at a merge, and a
     * line whose variant was repriced in another currency is shown unavailable, outside a subtotal it would falsify.
     */
    @Test
    void P22_aMergeKeepsTheAccountCartsCurrency_andALineRepricedInAnotherIsNotSummed() {
        String email = AuthFixtures.uniqueEmail();
        AuthFixtures.register(email);
        AuthFixtures.SignedIn before = AuthFixtures.signIn(email, AuthFixtures.PASSWORD);
        String dollars = CartFixtures.variant(1000, 50);
        CartFixtures.addToMyCart(before, dollars, 1).then().statusCode(200);
        String euros = CartFixtures.variant(700, 50);
        String admin = AuthFixtures.admin().accessToken();
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("currency", "EUR")).patch("/v1/admin/variants/" + euros)
                .then().statusCode(200);
        GuestCart guest = CartFixtures.guestCart();
        CartFixtures.add(guest, euros, 2).then().statusCode(200);

        String token = given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", AuthFixtures.PASSWORD, "cart_token", guest.token()))
                .post("/v1/auth/sign-in").then().statusCode(200).extract().path("access_token");
        given().auth().oauth2(token).get("/v1/me/cart").then().statusCode(200)
                .body("lines.variant_id", contains(dollars))
                .body("subtotal.amount_minor", equalTo(1000)).body("subtotal.currency", equalTo("USD"));

        // a dollar line repriced in euros while it sits in the cart
        String repriced = CartFixtures.variant(300, 50);
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("variant_id", repriced, "quantity", 1))
                .post("/v1/me/cart/items").then().statusCode(200).body("subtotal.amount_minor", equalTo(1300));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("currency", "EUR")).patch("/v1/admin/variants/" + repriced)
                .then().statusCode(200);
        given().auth().oauth2(token).get("/v1/me/cart").then().statusCode(200)
                .body("subtotal.amount_minor", equalTo(1000)).body("subtotal.currency", equalTo("USD"))
                .body("has_unavailable_items", equalTo(true))
                .body("lines.find { it.variant_id == '" + repriced + "' }.available", equalTo(false))
                .body("lines.find { it.variant_id == '" + repriced + "' }.unit_price.currency", equalTo("EUR"));
    }

    /** The line limit holds for a merge too: the guest's lines fill the room left, oldest first; the rest are not carried over. */
    @Test
    void P22_aMergeNeverTakesTheAccountCartPastItsLineLimit() {
        String email = AuthFixtures.uniqueEmail();
        AuthFixtures.register(email);
        AuthFixtures.SignedIn before = AuthFixtures.signIn(email, AuthFixtures.PASSWORD);
        String accountCart = CartFixtures.addToMyCart(before, CartFixtures.variant(500, 50), 1).then().statusCode(200).extract().path("id");
        GuestCart guest = CartFixtures.guestCart();
        String guestFirst = CartFixtures.variant(700, 50);
        CartFixtures.add(guest, guestFirst, 1).then().statusCode(200);
        // 94 more lines in the account cart (95) and 11 more in the guest cart (12), of variants the catalog no longer knows
        Pool pool = Arc.container().instance(Pool.class).get();
        String more = "insert into cart_line (cart_id, variant_id, quantity, added_at) select $1, gen_random_uuid(), 1, now() + interval '1 minute' from generate_series(1, $2)";
        pool.preparedQuery(more).execute(Tuple.of(UUID.fromString(accountCart), CartService.MAX_LINES - 6)).await().atMost(Duration.ofSeconds(5));
        pool.preparedQuery(more).execute(Tuple.of(UUID.fromString(guest.id()), 11)).await().atMost(Duration.ofSeconds(5));

        String token = given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", AuthFixtures.PASSWORD, "cart_token", guest.token()))
                .post("/v1/auth/sign-in").then().statusCode(200).extract().path("access_token");

        given().auth().oauth2(token).get("/v1/me/cart").then().statusCode(200)
                .body("lines", hasSize(CartService.MAX_LINES))
                .body("lines.find { it.variant_id == '" + guestFirst + "' }.quantity", equalTo(1));
    }

    @Test
    void P22_browsersSigningInWithTheCartCookieMergeAndForgetTheCookie() {
        String email = AuthFixtures.uniqueEmail();
        AuthFixtures.register(email);
        String variant = CartFixtures.variant(900, 10);
        Response created = given().post("/v1/carts");
        created.then().statusCode(201);
        Map<String, String> cookies = created.getCookies();
        String cartId = created.path("id");
        given().cookies(cookies).header("X-CSRF-Token", cookies.get("__Host-harmony_csrf")).contentType(ContentType.JSON)
                .body(Map.of("variant_id", variant, "quantity", 2)).post("/v1/carts/" + cartId + "/items").then().statusCode(200);

        Response signIn = given().cookies(cookies).header("X-CSRF-Token", cookies.get("__Host-harmony_csrf")).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", AuthFixtures.PASSWORD, "use_cookies", true)).post("/v1/auth/sign-in");
        signIn.then().statusCode(200);
        String setCookies = String.join("\n", signIn.headers().getValues("Set-Cookie"));
        assertTrue(setCookies.matches("(?s).*__Host-harmony_cart=;[^\n]*Max-Age=0.*"), setCookies);
        given().cookie("__Host-harmony_session", signIn.getCookie("__Host-harmony_session")).get("/v1/me/cart").then().statusCode(200)
                .body("lines", hasSize(1)).body("lines[0].quantity", equalTo(2));
    }
}
