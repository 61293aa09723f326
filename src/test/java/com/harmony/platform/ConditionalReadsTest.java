package com.harmony.platform;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.harmony.AuthFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every list and single-resource read carries an ETag, and If-None-Match with it answers 304. */
@QuarkusTest
class ConditionalReadsTest {

    private static void conditional(String token, String path) {
        Response first = given().auth().oauth2(token).get(path);
        assertEquals(200, first.statusCode(), path);
        String etag = first.header("ETag");
        assertNotNull(etag, path + " has no ETag");
        assertEquals(304, given().auth().oauth2(token).header("If-None-Match", etag).get(path).statusCode(), path);
    }

    @Test
    void readsOfListsAndSingleResourcesAreConditional() {
        String admin = AuthFixtures.admin().accessToken();
        AuthFixtures.SignedIn customer = AuthFixtures.customer();
        for (String path : List.of("/v1/products", "/v1/categories", "/v1/admin/products", "/v1/admin/accounts",
                "/v1/admin/accounts/" + customer.accountId(), "/v1/admin/orders", "/v1/admin/returns")) {
            conditional(admin, path);
        }
        for (String path : List.of("/v1/me", "/v1/me/addresses", "/v1/me/cart", "/v1/me/orders")) {
            conditional(customer.accessToken(), path);
        }
    }
}
