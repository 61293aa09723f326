package com.harmony.order;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import com.harmony.AuthFixtures;
import com.harmony.AuthFixtures.SignedIn;
import com.harmony.cart.CartFixtures;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Checkout ships to an address from the buyer's own address book, never to someone else's (P10, P19). */
@QuarkusTest
class AddressBookCheckoutTest {

    @Test
    void checkoutShipsToAnAddressFromMyAddressBook() {
        SignedIn ada = AuthFixtures.customer();
        String addressId = given().auth().oauth2(ada.accessToken()).get("/v1/me/addresses").then().extract().path("data[0].id");
        String cartId = CartFixtures.myCartWith(ada, CartFixtures.variant(1500, 5), 1);
        Map<String, Object> body = OrderFixtures.checkout(cartId);
        body.remove("shipping_address");
        body.remove("email");
        body.put("shipping_address_id", addressId);
        OrderFixtures.place(ada, body).then().statusCode(201)
                .body("shipping_address.line1", equalTo("12 Analytical Way"))
                .body("email", equalTo(ada.email()));
    }

    @Test
    void anotherCustomersAddressIsRefused() {
        SignedIn ada = AuthFixtures.customer();
        SignedIn bob = AuthFixtures.customer();
        String adasAddress = given().auth().oauth2(ada.accessToken()).get("/v1/me/addresses").then().extract().path("data[0].id");
        String cartId = CartFixtures.myCartWith(bob, CartFixtures.variant(1500, 5), 1);
        Map<String, Object> body = OrderFixtures.checkout(cartId);
        body.remove("shipping_address");
        body.put("shipping_address_id", adasAddress);
        OrderFixtures.place(bob, body).then().statusCode(400).body("errors[0].field", equalTo("shipping_address_id"));
    }
}
