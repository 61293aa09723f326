package com.harmony.platform;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import com.harmony.AuthFixtures.SignedIn;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every response of the public listener carries: no-store on anything holding tokens or personal
 * data (so no browser cache or proxy keeps it), and the standard hardening headers for a JSON API.
 */
@QuarkusTest
class EdgeHeadersTest {

    private static void assertNotStored(Response r, String what) {
        assertEquals("no-store", r.header("Cache-Control"), what);
        assertEquals("no-cache", r.header("Pragma"), what);
    }

    private static void assertHardened(Response r, String what) {
        assertEquals("nosniff", r.header("X-Content-Type-Options"), what);
        assertEquals("no-referrer", r.header("Referrer-Policy"), what);
        assertEquals("default-src 'none'; frame-ancestors 'none'", r.header("Content-Security-Policy"), what);
        assertEquals("DENY", r.header("X-Frame-Options"), what);
        assertNull(r.header("Strict-Transport-Security"), what + ": HSTS is off unless harmony.http.hsts says TLS is on");
    }

    @Test
    void responsesHoldingTokensOrPersonalDataAreNeverStored() {
        String email = AuthFixtures.uniqueEmail();
        AuthFixtures.register(email);
        Response signIn = given().contentType(ContentType.JSON).body(Map.of("email", email, "password", AuthFixtures.PASSWORD))
                .post("/v1/auth/sign-in");
        assertEquals(200, signIn.statusCode());
        assertNotStored(signIn, "sign-in (tokens)");
        Response refreshed = given().contentType(ContentType.JSON).body(Map.of("refresh_token", signIn.path("refresh_token")))
                .post("/v1/auth/refresh");
        assertEquals(200, refreshed.statusCode());
        assertNotStored(refreshed, "refresh (tokens)");
        String token = refreshed.path("access_token");
        for (String path : List.of("/v1/me", "/v1/me/addresses", "/v1/me/orders", "/v1/me/cart")) {
            Response r = given().auth().oauth2(token).get(path);
            assertEquals(200, r.statusCode(), path);
            assertNotStored(r, path);
        }
        String admin = AuthFixtures.admin().accessToken();
        for (String path : List.of("/v1/admin/accounts", "/v1/admin/orders", "/v1/admin/returns", "/v1/admin/refunds")) {
            Response r = given().auth().oauth2(admin).get(path);
            assertEquals(200, r.statusCode(), path);
            assertNotStored(r, path);
        }
        Response cart = given().post("/v1/carts");
        assertEquals(201, cart.statusCode());
        assertNotStored(cart, "a guest cart (carries its token)");
        assertNotStored(given().get("/v1/me"), "a 401 problem");
    }

    @Test
    void personalReadsKeepTheirETags_andTheNotModifiedAnswerIsNotStoredEither() {
        SignedIn customer = AuthFixtures.customer();
        Response me = given().auth().oauth2(customer.accessToken()).get("/v1/me");
        String etag = me.header("ETag");
        assertNotNull(etag);
        assertNotStored(me, "/v1/me");
        Response unchanged = given().auth().oauth2(customer.accessToken()).header("If-None-Match", etag).get("/v1/me");
        assertEquals(304, unchanged.statusCode());
        assertNotStored(unchanged, "304 of /v1/me");
    }

    @Test
    void publicCatalogReadsAndTheSpecStayCacheable() {
        for (String path : List.of("/v1/products", "/v1/categories", "/q/openapi")) {
            Response r = given().get(path);
            assertEquals(200, r.statusCode(), path);
            assertNull(r.header("Cache-Control"), path);
            assertNull(r.header("Pragma"), path);
            assertHardened(r, path);
        }
        Response products = given().get("/v1/products");
        assertEquals(304, given().header("If-None-Match", products.header("ETag")).get("/v1/products").statusCode());
        // their problems are not: a 404 or a bad query is this request's answer, not the resource's
        for (String path : List.of("/v1/products/no-such-product", "/v1/products?limit=500", "/v1/categories/no-such-category")) {
            Response r = given().get(path);
            assertTrue(r.statusCode() >= 400, path + " " + r.statusCode());
            assertNotStored(r, path);
        }
    }

    @Test
    void everyResponseCarriesTheSecurityHeaders_problemsIncluded() {
        assertHardened(given().get("/v1/ping"), "ping");
        assertHardened(given().get("/v1/no-such-thing"), "404 problem");
        assertHardened(given().get("/v1/me"), "401 problem");
        assertHardened(given().contentType(ContentType.JSON).body("{").post("/v1/accounts"), "400 problem");
        assertHardened(given().contentType(ContentType.JSON).body("{\"x\":\"" + "a".repeat(300 * 1024) + "\"}").post("/v1/accounts"),
                "413 problem written before any route");
        assertHardened(given().header("Origin", "https://evil.example").get("/v1/ping"), "CORS refusal");
    }
}
