package com.harmony.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.http.CookieSameSite;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The cookie modes (COOKIES_SAME_SITE, COOKIES_DOMAIN): the default keeps __Host- names, no Domain, Lax with Strict
 * refresh and CSRF cookies; strict makes every cookie Strict; none needs Secure; a domain turns __Host- into __Secure-.
 * The cross-site mode over HTTP is {@link CrossSiteCookiesTest}; here the default over HTTP and the matrix in-process.
 */
@QuarkusTest
class CookieModesTest {

    @Test
    void byDefault_hostPrefixedHostOnlyCookies_laxWithStrictRefreshAndCsrf() {
        Response cart = given().post("/v1/carts");
        cart.then().statusCode(201);
        Map<String, Map<String, String>> set = SetCookies.of(cart);
        assertEquals(java.util.Set.of("__Host-harmony_cart", "__Host-harmony_csrf"), set.keySet());
        assertAttributes(set.get("__Host-harmony_cart"), "Lax", true);
        assertAttributes(set.get("__Host-harmony_csrf"), "Strict", false);
        // the CSRF token is also a response header, for a page that cannot read the API's cookies
        assertEquals(set.get("__Host-harmony_csrf").get("="), cart.header("X-CSRF-Token"));

        String email = AuthFixtures.uniqueEmail();
        AuthFixtures.submitRegistration(email);
        // a browser holding a cart cookie signs in with the cart's CSRF token (the sign-in is a cookie-carrying write)
        Response signIn = given().contentType(ContentType.JSON).cookie("__Host-harmony_cart", set.get("__Host-harmony_cart").get("="))
                .header("X-CSRF-Token", cart.header("X-CSRF-Token"))
                .body(Map.of("email", email, "password", AuthFixtures.PASSWORD, "use_cookies", true)).post("/v1/auth/sign-in");
        signIn.then().statusCode(200);
        Map<String, Map<String, String>> signedIn = SetCookies.of(signIn);
        assertAttributes(signedIn.get("__Host-harmony_session"), "Lax", true);
        assertAttributes(signedIn.get("__Host-harmony_refresh"), "Strict", true);
        assertAttributes(signedIn.get("__Host-harmony_csrf"), "Strict", false);
        // the merged guest cart's cookie is expired with the same name, Path and SameSite
        Map<String, String> expired = signedIn.get("__Host-harmony_cart");
        assertEquals("0", expired.get("max-age"));
        assertAttributes(expired, "Lax", true);
        assertEquals(signIn.<String>path("csrf_token"), signIn.header("X-CSRF-Token"));
    }

    @Test
    void aReissuedCsrfCookieComesWithTheHeaderToo_andCorsLetsConfiguredOriginsReadIt() {
        String email = AuthFixtures.uniqueEmail();
        AuthFixtures.submitRegistration(email);
        Response signIn = given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", AuthFixtures.PASSWORD, "use_cookies", true)).post("/v1/auth/sign-in");
        String token = signIn.path("csrf_token");
        Response refused = given().header("Origin", "http://localhost:5173").cookie("__Host-harmony_session", signIn.getCookie("__Host-harmony_session"))
                .contentType(ContentType.JSON).body(Map.of("name", "Ada")).patch("/v1/me");
        refused.then().statusCode(403).header("Access-Control-Expose-Headers", containsString("X-CSRF-Token"));
        assertEquals(token, refused.header("X-CSRF-Token"));
        given().header("Origin", "http://localhost:5173").cookie("__Host-harmony_session", signIn.getCookie("__Host-harmony_session"))
                .header("X-CSRF-Token", refused.header("X-CSRF-Token")).contentType(ContentType.JSON).body(Map.of("name", "Ada"))
                .patch("/v1/me").then().statusCode(200);
    }

    @Test
    void theModesInProcess() {
        Cookies lax = cookies(SecurityConfig.SameSiteMode.LAX, true, null);
        assertEquals(CookieSameSite.LAX, lax.sameSite(Cookies.SESSION));
        assertEquals(CookieSameSite.LAX, lax.sameSite(VisitorToken.COOKIE));
        assertEquals(CookieSameSite.STRICT, lax.sameSite(Cookies.REFRESH));
        assertEquals(CookieSameSite.STRICT, lax.sameSite(Cookies.CSRF));
        assertEquals("__Host-harmony_session", lax.wire(Cookies.SESSION));
        assertFalse(lax.httpOnly(Cookies.SESSION, "v", null).encode().contains("Domain"));

        Cookies strict = cookies(SecurityConfig.SameSiteMode.STRICT, true, null);
        for (String name : new String[] {Cookies.SESSION, Cookies.REFRESH, Cookies.CART, Cookies.CSRF, VisitorToken.COOKIE, ReferralAttribution.COOKIE}) {
            assertEquals(CookieSameSite.STRICT, strict.sameSite(name), name);
        }

        Cookies crossSite = cookies(SecurityConfig.SameSiteMode.NONE, true, "shop.example");
        String session = crossSite.httpOnly(Cookies.SESSION, "v", null).encode().replace("HTTPOnly", "HttpOnly");
        assertTrue(session.startsWith("__Secure-harmony_session=v;"), session);
        assertTrue(session.contains("; Domain=shop.example") && session.contains("; Secure") && session.contains("; SameSite=None")
                && session.contains("; HttpOnly"), session);
        String csrf = crossSite.csrf("t", null).encode();
        assertTrue(csrf.startsWith("__Secure-harmony_csrf=t;") && csrf.contains("; SameSite=None") && !csrf.contains("HttpOnly"), csrf);
        String gone = crossSite.expired(Cookies.CART).encode();
        assertTrue(gone.contains("Domain=shop.example") && gone.contains("SameSite=None") && gone.contains("Max-Age=0"), gone);

        // plain http development: no prefix, no Secure, but the Domain still applies
        Cookies plain = cookies(SecurityConfig.SameSiteMode.LAX, false, "localhost");
        String plainSession = plain.httpOnly(Cookies.SESSION, "v", null).encode();
        assertTrue(plainSession.startsWith("harmony_session=v;") && plainSession.contains("Domain=localhost") && !plainSession.contains("Secure"), plainSession);
        plain.check(null);

        // SameSite=None or Partitioned without Secure: browsers would drop every cookie, so the service refuses to start
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> cookies(SecurityConfig.SameSiteMode.NONE, false, null).check(null));
        assertTrue(e.getMessage().contains("COOKIES_SAME_SITE=none"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> cookies(SecurityConfig.SameSiteMode.LAX, false, null, true).check(null));
        assertTrue(e.getMessage().contains("COOKIES_PARTITIONED=true"), e.getMessage());

        // Partitioned (CHIPS) goes on every Set-Cookie, expiring ones included; off by default
        Cookies chips = cookies(SecurityConfig.SameSiteMode.NONE, true, "shop.example", true);
        assertTrue(chips.header(chips.httpOnly(Cookies.SESSION, "v", null)).endsWith("; SameSite=None; Partitioned"));
        assertTrue(chips.header(chips.expired(Cookies.CSRF)).endsWith("; Partitioned"));
        assertFalse(crossSite.header(crossSite.httpOnly(Cookies.SESSION, "v", null)).contains("Partitioned"));
    }

    private static void assertAttributes(Map<String, String> cookie, String sameSite, boolean httpOnly) {
        assertEquals("/", cookie.get("path"));
        assertTrue(cookie.containsKey("secure"), "Secure");
        assertFalse(cookie.containsKey("domain"), "no Domain on a __Host- cookie");
        assertEquals(sameSite, cookie.get("samesite"));
        assertEquals(httpOnly, cookie.containsKey("httponly"), "HttpOnly");
        assertFalse(cookie.containsKey("partitioned"), "not Partitioned by default");
    }

    static Cookies cookies(SecurityConfig.SameSiteMode mode, boolean secure, String domain) {
        return cookies(mode, secure, domain, false);
    }

    static Cookies cookies(SecurityConfig.SameSiteMode mode, boolean secure, String domain, boolean partitioned) {
        Cookies c = new Cookies();
        c.config = new SecurityConfig() {
            @Override
            public boolean secureCookies() {
                return secure;
            }

            @Override
            public SameSiteMode cookieSameSite() {
                return mode;
            }

            @Override
            public Optional<String> cookieDomain() {
                return Optional.ofNullable(domain);
            }

            @Override
            public boolean cookiePartitioned() {
                return partitioned;
            }

            @Override
            public Optional<String> secretKey() {
                return Optional.empty();
            }
        };
        return c;
    }
}
