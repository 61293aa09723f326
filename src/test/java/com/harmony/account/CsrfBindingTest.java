package com.harmony.account;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.harmony.AuthFixtures;
import com.harmony.cart.CartFixtures;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.quarkus.test.junit.QuarkusTest;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CSRF token is bound to what the cookies authenticate: a signed-in browser's token is an HMAC of
 * its session (the same for the session's life), a guest's of its cart. A token from another session
 * or cart is refused, and so is anything a sibling site plants under our plain cookie names.
 */
@QuarkusTest
class CsrfBindingTest {

    private static final String PROBLEMS = "https://harmony.example/problems/";

    private static Response browserSignIn(String email) {
        Response r = given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", AuthFixtures.PASSWORD, "use_cookies", true)).post("/v1/auth/sign-in");
        r.then().statusCode(200);
        return r;
    }

    private static Response rename(Map<String, String> cookies, String csrf, String name) {
        return given().cookies(cookies).header("X-CSRF-Token", csrf).contentType(ContentType.JSON).body(Map.of("name", name))
                .patch("/v1/me");
    }

    @Test
    void aCsrfTokenFromAnotherSessionIsRefused_theSessionsOwnIsAccepted() {
        String emailA = AuthFixtures.uniqueEmail();
        String emailB = AuthFixtures.uniqueEmail();
        AuthFixtures.register(emailA);
        AuthFixtures.register(emailB);
        Response a = browserSignIn(emailA);
        Response b = browserSignIn(emailB);
        String tokenA = a.path("csrf_token");
        String tokenB = b.path("csrf_token");
        assertNotEquals(tokenA, tokenB);

        // session B's cookies with A's token, even with A's token planted as B's CSRF cookie too
        Map<String, String> bWithA = new HashMap<>(b.getCookies());
        bWithA.put("__Host-harmony_csrf", tokenA);
        rename(b.getCookies(), tokenA, "Forged").then().statusCode(403).body("type", equalTo(PROBLEMS + "csrf-failed"));
        rename(bWithA, tokenA, "Forged").then().statusCode(403).body("type", equalTo(PROBLEMS + "csrf-failed"));

        rename(b.getCookies(), tokenB, "Bea").then().statusCode(200).body("name", equalTo("Bea"));
        rename(a.getCookies(), tokenA, "Ada").then().statusCode(200).body("name", equalTo("Ada"));
    }

    @Test
    void aStaleOrLostCsrfCookieIsSetAgain_byTheNextPersonalReadOrByTheRefusal() {
        String email = AuthFixtures.uniqueEmail();
        AuthFixtures.register(email);
        Response signIn = browserSignIn(email);
        String token = signIn.path("csrf_token");
        Map<String, String> stale = new HashMap<>(signIn.getCookies());
        stale.put("__Host-harmony_csrf", "left-over-from-an-old-key");
        Response read = given().cookies(stale).get("/v1/me");
        read.then().statusCode(200);
        assertEquals(token, read.getCookie("__Host-harmony_csrf"));
        Response refused = rename(stale, "left-over-from-an-old-key", "Forged");
        refused.then().statusCode(403);
        assertEquals(token, refused.getCookie("__Host-harmony_csrf"));
        // public catalog reads never set it: shared caches may keep them
        assertNull(given().cookies(stale).get("/v1/products").getCookie("__Host-harmony_csrf"));
        // a browser that holds the right one is not sent it again
        assertNull(given().cookies(signIn.getCookies()).get("/v1/me").getCookie("__Host-harmony_csrf"));
    }

    @Test
    void anotherSignInOfTheSameAccountHasItsOwnToken() {
        String email = AuthFixtures.uniqueEmail();
        AuthFixtures.register(email);
        Response first = browserSignIn(email);
        Response second = browserSignIn(email);
        rename(second.getCookies(), first.path("csrf_token"), "Forged").then().statusCode(403);
        rename(second.getCookies(), second.path("csrf_token"), "Changed").then().statusCode(200);
    }

    @Test
    void theRefreshCookieAloneNamesItsSession_soABrowserBackFromARestartCanRefresh() {
        String email = AuthFixtures.uniqueEmail();
        AuthFixtures.register(email);
        Response signIn = given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", AuthFixtures.PASSWORD, "use_cookies", true, "remember_me", true))
                .post("/v1/auth/sign-in");
        String csrf = signIn.path("csrf_token");
        String refresh = signIn.getCookie("__Host-harmony_refresh");
        String other = browserSignIn(emailOfAnotherAccount()).path("csrf_token");
        given().cookie("__Host-harmony_refresh", refresh).header("X-CSRF-Token", other).post("/v1/auth/refresh")
                .then().statusCode(403).body("type", equalTo(PROBLEMS + "csrf-failed"));
        // the session cookie died with the browser; the persistent refresh and CSRF cookies remain
        given().cookie("__Host-harmony_refresh", refresh).header("X-CSRF-Token", csrf).post("/v1/auth/refresh")
                .then().statusCode(200);
    }

    @Test
    void aGuestCartsCsrfTokenIsBoundToThatCart() {
        Response one = given().post("/v1/carts");
        Response two = given().post("/v1/carts");
        String cartOne = one.getCookie("__Host-harmony_cart");
        String csrfOne = one.getCookie("__Host-harmony_csrf");
        String csrfTwo = two.getCookie("__Host-harmony_csrf");
        assertNotEquals(csrfOne, csrfTwo);
        Map<String, Object> body = Map.of("variant_id", CartFixtures.variant(700, 5), "quantity", 1);
        given().cookie("__Host-harmony_cart", cartOne).cookie("__Host-harmony_csrf", csrfTwo).header("X-CSRF-Token", csrfTwo)
                .contentType(ContentType.JSON).body(body).post("/v1/carts/" + one.path("id") + "/items")
                .then().statusCode(403).body("type", equalTo(PROBLEMS + "csrf-failed"));
        given().cookie("__Host-harmony_cart", cartOne).header("X-CSRF-Token", csrfOne)
                .contentType(ContentType.JSON).body(body).post("/v1/carts/" + one.path("id") + "/items")
                .then().statusCode(200).body("item_count", equalTo(1));
    }

    @Test
    void plainNamedCookiesArePlantedOnes_andAreIgnoredWhenCookiesAreSecure() {
        String email = AuthFixtures.uniqueEmail();
        AuthFixtures.register(email);
        Response signIn = browserSignIn(email);
        String session = signIn.getCookie("__Host-harmony_session");
        // the same valid session under the plain name authenticates nothing: only __Host- names count over HTTPS
        given().cookie("harmony_session", session).get("/v1/me").then().statusCode(401);
        given().cookie("__Host-harmony_session", session).get("/v1/me").then().statusCode(200).body("email", equalTo(email));
        // a planted plain-named cart cookie does not turn a cookieless request into a CSRF-checked one, nor open the cart
        Response cart = given().post("/v1/carts");
        given().cookie("harmony_cart", cart.getCookie("__Host-harmony_cart")).get("/v1/carts/" + cart.path("id"))
                .then().statusCode(404);
    }

    private static String emailOfAnotherAccount() {
        String email = AuthFixtures.uniqueEmail();
        AuthFixtures.register(email);
        return email;
    }
}
