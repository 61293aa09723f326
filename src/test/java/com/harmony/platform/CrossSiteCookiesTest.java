package com.harmony.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import com.harmony.MailServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A storefront on another site (COOKIES_SAME_SITE=none, COOKIES_DOMAIN, COOKIES_PARTITIONED): every cookie is SameSite=None,
 * Secure, Partitioned, with the Domain, named __Secure- (a __Host- cookie may carry no Domain); only those names are read; the CSRF token a page on
 * another site cannot read from the cookie is in the X-CSRF-Token response header. The browser side of this mode is
 * proved by the storefront e2e (.ci/storefront).
 */
@QuarkusTest
@QuarkusTestResource(MailServer.class)
@TestProfile(CrossSiteCookiesTest.CrossSite.class)
class CrossSiteCookiesTest {

    public static class CrossSite implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("harmony.security.cookie-same-site", "none", "harmony.security.cookie-domain", "shop.example",
                    "harmony.security.cookie-partitioned", "true");
        }
    }

    private static final String PROBLEMS = "https://harmony.example/problems/";

    @Test
    void guestCartCookiesAreSameSiteNoneWithTheDomain_andTheCsrfHeaderOpensWrites() {
        Response created = given().post("/v1/carts");
        created.then().statusCode(201);
        Map<String, Map<String, String>> set = SetCookies.of(created);
        assertEquals(java.util.Set.of("__Secure-harmony_cart", "__Secure-harmony_csrf"), set.keySet());
        assertCrossSite(set.get("__Secure-harmony_cart"), true);
        assertCrossSite(set.get("__Secure-harmony_csrf"), false);
        String cart = set.get("__Secure-harmony_cart").get("=");
        String csrf = created.header("X-CSRF-Token");
        assertEquals(set.get("__Secure-harmony_csrf").get("="), csrf);

        String items = "/v1/carts/" + created.path("id") + "/items";
        given().cookie("__Secure-harmony_cart", cart).delete(items).then().statusCode(403).body("type", equalTo(PROBLEMS + "csrf-failed"));
        given().cookie("__Secure-harmony_cart", cart).header("X-CSRF-Token", csrf).delete(items).then().statusCode(200);
        // only the configured prefix counts: a __Host- or plain copy opens nothing
        given().cookie("__Host-harmony_cart", cart).get("/v1/carts/" + created.path("id")).then().statusCode(404);
        given().cookie("harmony_cart", cart).get("/v1/carts/" + created.path("id")).then().statusCode(404);
        given().cookie("__Secure-harmony_cart", cart).get("/v1/carts/" + created.path("id")).then().statusCode(200);

        // the visitor cookie too
        Response visitor = given().header("X-Forwarded-For", AuthFixtures.randomClient()).post("/v1/visitors");
        visitor.then().statusCode(201);
        assertCrossSite(SetCookies.of(visitor).get("__Secure-harmony_visitor"), true);
    }

    @Test
    void signInAndSignOutCookiesAreSameSiteNoneWithTheDomain() {
        String email = AuthFixtures.uniqueEmail();
        AuthFixtures.submitRegistration(email);
        Response signIn = given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", AuthFixtures.PASSWORD, "use_cookies", true)).post("/v1/auth/sign-in");
        signIn.then().statusCode(200);
        Map<String, Map<String, String>> set = SetCookies.of(signIn);
        assertCrossSite(set.get("__Secure-harmony_session"), true);
        assertCrossSite(set.get("__Secure-harmony_refresh"), true);
        assertCrossSite(set.get("__Secure-harmony_csrf"), false);
        String session = set.get("__Secure-harmony_session").get("=");
        String csrf = signIn.header("X-CSRF-Token");
        assertEquals(signIn.<String>path("csrf_token"), csrf);

        given().cookie("__Secure-harmony_session", session).get("/v1/me").then().statusCode(200).body("email", equalTo(email));
        given().cookie("__Host-harmony_session", session).get("/v1/me").then().statusCode(401);

        Response out = given().cookie("__Secure-harmony_session", session).header("X-CSRF-Token", csrf).post("/v1/auth/sign-out");
        out.then().statusCode(204);
        Map<String, Map<String, String>> cleared = SetCookies.of(out);
        for (String name : new String[] {"__Secure-harmony_session", "__Secure-harmony_refresh", "__Secure-harmony_csrf"}) {
            // the browser deletes a Domain cookie only when told with the same Domain; a cross-site answer only with SameSite=None
            assertEquals("0", cleared.get(name).get("max-age"), name);
            assertEquals("shop.example", cleared.get(name).get("domain"), name);
            assertEquals("None", cleared.get(name).get("samesite"), name);
            assertTrue(cleared.get(name).containsKey("partitioned"), name + " Partitioned, or the browser keeps the partitioned one");
        }
    }

    private static void assertCrossSite(Map<String, String> cookie, boolean httpOnly) {
        assertEquals("/", cookie.get("path"));
        assertEquals("shop.example", cookie.get("domain"));
        assertEquals("None", cookie.get("samesite"));
        assertTrue(cookie.containsKey("secure"), "Secure");
        assertTrue(cookie.containsKey("partitioned"), "Partitioned");
        assertEquals(httpOnly, cookie.containsKey("httponly"), "HttpOnly");
        assertFalse(cookie.get("=").isEmpty());
    }
}
