package com.harmony.cart;

import static com.harmony.PersonalDataChecks.count;
import static com.harmony.PersonalDataChecks.erase;
import static com.harmony.PersonalDataChecks.execute;
import static com.harmony.PersonalDataChecks.export;
import static com.harmony.PersonalDataChecks.exported;
import static com.harmony.PersonalDataChecks.find;
import static com.harmony.PersonalDataChecks.purge;
import static com.harmony.PersonalDataChecks.purged;
import static com.harmony.cart.CartFixtures.add;
import static com.harmony.cart.CartFixtures.guestCart;
import static com.harmony.cart.CartFixtures.myCartWith;
import static com.harmony.cart.CartFixtures.variant;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import com.harmony.AuthFixtures.SignedIn;
import com.harmony.PersonalDataChecks.ExportedRow;
import com.harmony.cart.CartFixtures.GuestCart;
import com.harmony.platform.PersonalData.Erased;
import com.harmony.platform.PersonalData.Person;
import com.harmony.platform.PersonalData.Purged;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The cart's part in export, erasure and retention (P13, P28). */
@QuarkusTest
class CartPersonalDataTest {

    @Inject
    Pool pool;

    @Inject
    CartPersonalData carts;

    @Test
    void customersCartAndLinesAreExportedAndErased_anothersStay_P13_P28() {
        SignedIn ada = AuthFixtures.customer();
        SignedIn other = AuthFixtures.customer();
        String mug = variant(1200, 10);
        String cup = variant(800, 10);
        myCartWith(ada, mug, 2);
        String cartId = myCartWith(ada, cup, 1);
        String otherCart = myCartWith(other, mug, 1);
        Person person = Person.customer(UUID.fromString(ada.accountId()), UUID.randomUUID());

        assertEquals(Map.of("cart", 1L, "cart_line", 2L), find(pool, carts, person));
        List<ExportedRow> rows = export(pool, carts, person);
        assertEquals(3, rows.size());
        ExportedRow cart = exported(rows, "cart").get(0);
        assertEquals(cartId, cart.json().get("id").asText());
        assertFalse(cart.json().has("token_hash"), "a cart token's digest is a credential");
        assertEquals(3, exported(rows, "cart_line").stream().mapToInt(r -> r.json().get("quantity").asInt()).sum());

        List<Erased> erased = erase(pool, carts, person);
        assertEquals(List.of(Erased.deleted("cart_line", 2), Erased.deleted("cart", 1)), erased);
        assertEquals(0, count(pool, "select count(*) from cart where account_id = $1", UUID.fromString(ada.accountId())));
        assertEquals(0, count(pool, "select count(*) from cart_line where cart_id = $1", UUID.fromString(cartId)));
        assertEquals(1, count(pool, "select count(*) from cart_line where cart_id = $1", UUID.fromString(otherCart)));

        assertEquals(List.of(Erased.deleted("cart_line", 0), Erased.deleted("cart", 0)), erase(pool, carts, person), "a second run finds nothing");
        // (reading the cart opens a new, empty one)
        given().auth().oauth2(ada.accessToken()).get("/v1/me/cart").then().statusCode(200)
                .body("lines", org.hamcrest.Matchers.hasSize(0));
    }

    @Test
    void aGuestCartIsNotReachedByAVisitorId_onlyByItsToken_P28() {
        GuestCart guest = guestCart();
        add(guest, variant(500, 5), 1).then().statusCode(200);
        Person visitor = Person.visitor(UUID.randomUUID(), UUID.randomUUID());

        assertEquals(Map.of("cart", 0L, "cart_line", 0L), find(pool, carts, visitor));
        assertTrue(export(pool, carts, visitor).isEmpty());
        assertEquals(List.of(Erased.deleted("cart_line", 0), Erased.deleted("cart", 0)), erase(pool, carts, visitor));
        given().header("X-Cart-Token", guest.token()).get("/v1/carts/" + guest.id()).then().statusCode(200);
    }

    @Test
    void purgeDeletesExpiredCartsWithTheirLines_keepsLiveOnes_safeTwice_P28() {
        GuestCart idle = guestCart();
        add(idle, variant(500, 5), 2).then().statusCode(200);
        add(idle, variant(600, 5), 1).then().statusCode(200);
        GuestCart live = guestCart();
        add(live, variant(500, 5), 1).then().statusCode(200);
        execute(pool, "update cart set expires_at = now() - interval '1 minute' where id = $1", UUID.fromString(idle.id()));

        List<Purged> purged = purge(pool, carts);
        assertTrue(purged(purged, "cart") >= 1, purged::toString);
        assertTrue(purged(purged, "cart_line") >= 2, "the lines are counted, not lost to the cascade: " + purged);
        assertEquals(0, count(pool, "select count(*) from cart where id = $1", UUID.fromString(idle.id())));
        assertEquals(0, count(pool, "select count(*) from cart_line where cart_id = $1", UUID.fromString(idle.id())));
        assertEquals(1, count(pool, "select count(*) from cart_line where cart_id = $1", UUID.fromString(live.id())));

        List<Purged> again = purge(pool, carts);
        assertEquals(0, purged(again, "cart"));
        assertEquals(0, purged(again, "cart_line"));
        given().header("X-Cart-Token", live.token()).get("/v1/carts/" + live.id()).then().statusCode(200);
    }
}
