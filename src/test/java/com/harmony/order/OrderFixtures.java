package com.harmony.order;

import static io.restassured.RestAssured.given;

import com.harmony.AuthFixtures.SignedIn;
import com.harmony.cart.CartFixtures;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Checkout through the HTTP API with sensible defaults. */
public final class OrderFixtures {

    private OrderFixtures() {
    }

    public static Map<String, Object> address() {
        Map<String, Object> a = new HashMap<>();
        a.put("name", "Ada Lovelace");
        a.put("line1", "12 Analytical Way");
        a.put("city", "Springfield");
        a.put("region", "IL");
        a.put("postal_code", "62701");
        a.put("country", "US");
        a.put("phone", "+1 217 555 0100");
        return a;
    }

    public static Map<String, Object> checkout(String cartId) {
        Map<String, Object> body = new HashMap<>();
        body.put("cart_id", cartId);
        body.put("shipping_address", address());
        body.put("billing_postal_code", "62701");
        body.put("payment_token", "tok_visa");
        body.put("email", "ada@example.com");
        return body;
    }

    public static Response place(SignedIn who, Map<String, Object> body) {
        return place(who, body, UUID.randomUUID().toString());
    }

    public static Response place(SignedIn who, Map<String, Object> body, String key) {
        return given().auth().oauth2(who.accessToken()).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(body).post("/v1/me/orders");
    }

    /** A paid order of quantity units of a new variant at this price; returns the order document. */
    public static Response paidOrder(SignedIn who, long price, int quantity) {
        String variant = CartFixtures.variant(price, quantity + 10);
        String cartId = CartFixtures.myCartWith(who, variant, quantity);
        return place(who, checkout(cartId)).then().statusCode(201).extract().response();
    }
}
