package com.harmony.cart;

import static io.restassured.RestAssured.given;

import com.harmony.AuthFixtures.SignedIn;
import com.harmony.catalog.CatalogFixtures;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;

/** Creates carts and purchasable variants through the HTTP API, unique per call. */
public final class CartFixtures {

    private CartFixtures() {
    }

    /** A guest cart as a mobile app holds it: its id and token. */
    public record GuestCart(String id, String token) {
    }

    public static GuestCart guestCart() {
        Response r = given().post("/v1/carts").then().statusCode(201).extract().response();
        return new GuestCart(r.path("id"), r.path("token"));
    }

    /** A new active variant with this price (USD) and stock; returns its id. */
    @SuppressWarnings("unchecked")
    public static String variant(long price, int stock) {
        Map<String, Object> p = CatalogFixtures.product(null, "Cart item", price, stock);
        return (String) ((List<Map<String, Object>>) p.get("variants")).get(0).get("id");
    }

    public static Response add(GuestCart cart, String variantId, int quantity) {
        return given().header("X-Cart-Token", cart.token()).contentType(ContentType.JSON)
                .body(Map.of("variant_id", variantId, "quantity", quantity))
                .post("/v1/carts/" + cart.id() + "/items");
    }

    public static Response addToMyCart(SignedIn who, String variantId, int quantity) {
        return given().auth().oauth2(who.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("variant_id", variantId, "quantity", quantity))
                .post("/v1/me/cart/items");
    }

    /** The signed-in customer's cart id, after putting quantity units of the variant in it. */
    public static String myCartWith(SignedIn who, String variantId, int quantity) {
        return addToMyCart(who, variantId, quantity).then().statusCode(200).extract().path("id");
    }
}
