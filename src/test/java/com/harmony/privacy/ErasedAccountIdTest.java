package com.harmony.privacy;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.harmony.AuthFixtures;
import com.harmony.AuthFixtures.SignedIn;
import com.harmony.cart.CartFixtures;
import com.harmony.order.OrderFixtures;
import com.harmony.platform.OutboxWorker;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An erased account's id is a key to everything that was theirs: after erasure no row of any table, in
 * any column (uuid columns too, which the text scan of {@link ErasureScanTest} leaves out), holds it.
 * Kept records (orders for tax) carry a pseudonym instead.
 */
@QuarkusTest
@io.quarkus.test.common.QuarkusTestResource(com.harmony.MailServer.class)
class ErasedAccountIdTest {

    @Inject
    Pool pool;
    @Inject
    RequestProcessor processor;
    @Inject
    OutboxWorker outbox;

    @Test
    void P28_afterErasureNoRowOfAnyTableHoldsTheAccountsId_evenWhereTheyCancelledAnOrderThemselves() {
        SignedIn customer = AuthFixtures.customer();
        String variant = CartFixtures.variant(1500, 10);
        String orderId = given().auth().oauth2(customer.accessToken()).header("Idempotency-Key", UUID.randomUUID().toString())
                .contentType("application/json").body(OrderFixtures.checkout(CartFixtures.myCartWith(customer, variant, 2)))
                .post("/v1/me/orders").then().statusCode(201).extract().path("id");
        // their own cancel puts the units back on hand, with an inventory record of the move
        given().auth().oauth2(customer.accessToken()).post("/v1/me/orders/" + orderId + "/cancel").then().statusCode(200);
        CartFixtures.addToMyCart(customer, variant, 1).then().statusCode(200);
        outbox.publishDue().await().atMost(Duration.ofSeconds(60));
        assertFalse(tablesHolding(customer.accountId()).isEmpty(), "the account's id is stored before");

        String request = PrivacyProcessingTest.confirmedRequest(customer, Map.of("kind", "erasure"));
        PrivacyProcessingTest.processAndPublish(processor, outbox);
        given().auth().oauth2(AuthFixtures.admin().accessToken()).get("/v1/admin/privacy-requests/" + request).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("completed"));

        assertEquals(List.of(), tablesHolding(customer.accountId()), "tables still holding the erased account's id");
    }

    /** Every table with a row whose text form (all its columns) contains the value. */
    private List<String> tablesHolding(String value) {
        List<String> tables = new ArrayList<>();
        pool.query("select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'")
                .execute().await().atMost(Duration.ofSeconds(10)).forEach(r -> tables.add(r.getString(0)));
        List<String> found = new ArrayList<>();
        for (String table : tables) {
            Row n = pool.preparedQuery("select count(*) from \"" + table + "\" t where position($1 in t::text) > 0").execute(Tuple.of(value))
                    .await().atMost(Duration.ofSeconds(30)).iterator().next();
            if (n.getLong(0) > 0) {
                found.add(table);
            }
        }
        return found;
    }
}
