package com.harmony.order;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.harmony.AuthFixtures;
import com.harmony.AuthFixtures.SignedIn;
import com.harmony.cart.CartFixtures;
import com.harmony.cart.CartFixtures.GuestCart;
import com.harmony.cart.CartService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The whole journey of one buyer, from an anonymous cart to a refunded return (P2, P4, P8, P9, P19, P22). */
@QuarkusTest
class OrderScenarioTest {

    @Inject
    CartService carts;

    @Test
    void P2_aGuestFillsACart_signsIn_checksOut_receivesTheOrder_andReturnsPartOfIt() {
        String tee = CartFixtures.variant(2000, 10);
        String mug = CartFixtures.variant(900, 10);

        GuestCart guest = CartFixtures.guestCart();
        CartFixtures.add(guest, tee, 2).then().statusCode(200);
        CartFixtures.add(guest, mug, 1).then().statusCode(200).body("subtotal.amount_minor", equalTo(4900));

        SignedIn ada = AuthFixtures.customer();
        // what the sign-in endpoint does for every SignInListener once accounts are merged
        carts.onSignIn(UUID.fromString(ada.accountId()), new com.harmony.platform.SignInListener.Guest(guest.token(), null)).await().atMost(Duration.ofSeconds(10));
        String cartId = given().auth().oauth2(ada.accessToken()).get("/v1/me/cart").then().statusCode(200)
                .body("lines", hasSize(2)).body("subtotal.amount_minor", equalTo(4900)).extract().path("id");

        Response order = OrderFixtures.place(ada, OrderFixtures.checkout(cartId)).then().statusCode(201)
                .body("status", equalTo("paid")).body("total.amount_minor", equalTo(4900)).extract().response();
        String orderId = order.path("id");

        String support = AuthFixtures.support().accessToken();
        for (String to : List.of("fulfilled", "shipped", "delivered")) {
            given().auth().oauth2(support).contentType(ContentType.JSON).body(Map.of("to", to))
                    .post("/v1/admin/orders/" + orderId + "/transitions").then().statusCode(200).body("status", equalTo(to));
        }

        int teeLine = order.path("lines[0].variant_id").equals(tee) ? 1 : 2;
        String returnId = given().header("Idempotency-Key", UUID.randomUUID().toString()).contentType(ContentType.JSON)
                .body(Map.of("order_number", order.path("number"), "email", "ada@example.com", "postal_code", "62701",
                        "lines", List.of(Map.of("line_no", teeLine, "quantity", 1)), "resolution", "refund"))
                .post("/v1/returns").then().statusCode(201).extract().path("id");
        given().auth().oauth2(support).header("Idempotency-Key", UUID.randomUUID().toString()).contentType(ContentType.JSON)
                .body(Map.of()).post("/v1/admin/returns/" + returnId + "/approve").then().statusCode(200)
                .body("refund.amount_minor", equalTo(2000));

        given().auth().oauth2(ada.accessToken()).get("/v1/me/orders").then().statusCode(200)
                .body("data", hasSize(1)).body("data[0].status", equalTo("delivered"));
        given().auth().oauth2(ada.accessToken()).get("/v1/me/orders/" + orderId).then()
                .body("refunded.amount_minor", equalTo(2000)).body("payment.status", equalTo("partially_refunded"));
        given().auth().oauth2(AuthFixtures.admin().accessToken()).get("/v1/admin/variants/" + tee).then().body("stock_on_hand", equalTo(8));
    }
}
