package com.harmony.order;

import static com.harmony.order.OrderFixtures.paidOrder;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import com.harmony.AuthFixtures.SignedIn;
import com.harmony.cart.CartFixtures;
import com.harmony.platform.Outbox;
import com.harmony.platform.OutboxWorker;
import com.harmony.platform.TestOutboxPublisher;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The order lifecycle, back-office search and the fulfilment outbox (P2, P19). */
@QuarkusTest
class OrderLifecycleTest {

    private static final String PROBLEMS = "https://harmony.example/problems/";

    @Inject
    Pool pool;

    @Inject
    OutboxWorker worker;

    @Inject
    Outbox outbox;

    private static Response move(String token, String orderId, String to) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("to", to))
                .post("/v1/admin/orders/" + orderId + "/transitions");
    }

    @Test
    void supportMovesAPaidOrderThroughFulfilmentToDelivery() {
        SignedIn ada = AuthFixtures.customer();
        String id = paidOrder(ada, 1000, 1).path("id");
        String support = AuthFixtures.support().accessToken();
        given().auth().oauth2(support).get("/v1/admin/orders/" + id).then().statusCode(200)
                .body("allowed_transitions", containsInAnyOrder("fulfilled", "cancelled", "refunded"));
        move(support, id, "fulfilled").then().statusCode(200).body("status", equalTo("fulfilled"))
                .body("allowed_transitions", contains("shipped"));
        move(support, id, "shipped").then().statusCode(200).body("status", equalTo("shipped"));
        move(AuthFixtures.admin().accessToken(), id, "delivered").then().statusCode(200).body("status", equalTo("delivered"));
        given().auth().oauth2(ada.accessToken()).get("/v1/me/orders/" + id).then().body("status", equalTo("delivered"));
        long transitions = pool.preparedQuery("select count(*) from order_transition where order_id = $1")
                .execute(Tuple.of(UUID.fromString(id))).await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0);
        assertEquals(5, transitions, "placed, paid, fulfilled, shipped, delivered");
    }

    @Test
    void anIllegalTransitionIs409() {
        String id = paidOrder(AuthFixtures.customer(), 1000, 1).path("id");
        String support = AuthFixtures.support().accessToken();
        move(support, id, "delivered").then().statusCode(409).body("type", equalTo(PROBLEMS + "illegal-transition"));
        move(support, id, "placed").then().statusCode(409);
        move(support, id, "teleported").then().statusCode(400);
        move(support, UUID.randomUUID().toString(), "fulfilled").then().statusCode(404);
    }

    @Test
    void customersCannotMoveOrdersOrSearchThem() {
        SignedIn ada = AuthFixtures.customer();
        String id = paidOrder(ada, 1000, 1).path("id");
        move(ada.accessToken(), id, "fulfilled").then().statusCode(403);
        given().auth().oauth2(ada.accessToken()).get("/v1/admin/orders").then().statusCode(403);
        given().get("/v1/admin/orders").then().statusCode(401);
    }

    @Test
    void aCustomerCancelsBeforeFulfilment_stockReturnsAndThePaymentIsRefunded() {
        SignedIn ada = AuthFixtures.customer();
        String v = CartFixtures.variant(800, 5);
        String cartId = CartFixtures.myCartWith(ada, v, 2);
        String id = OrderFixtures.place(ada, OrderFixtures.checkout(cartId)).then().statusCode(201).extract().path("id");
        given().auth().oauth2(AuthFixtures.admin().accessToken()).get("/v1/admin/variants/" + v).then().body("stock_on_hand", equalTo(3));
        given().auth().oauth2(ada.accessToken()).post("/v1/me/orders/" + id + "/cancel").then().statusCode(200)
                .body("status", equalTo("cancelled"))
                .body("payment.status", equalTo("refunded"))
                .body("refunded.amount_minor", equalTo(1600));
        given().auth().oauth2(AuthFixtures.admin().accessToken()).get("/v1/admin/variants/" + v).then().body("stock_on_hand", equalTo(5));
        given().auth().oauth2(ada.accessToken()).post("/v1/me/orders/" + id + "/cancel").then().statusCode(409)
                .body("type", equalTo(PROBLEMS + "illegal-transition"));
        given().auth().oauth2(AuthFixtures.admin().accessToken()).get("/v1/admin/variants/" + v).then().body("stock_on_hand", equalTo(5));
    }

    @Test
    void aCustomerCannotCancelOnceTheOrderIsFulfilled() {
        SignedIn ada = AuthFixtures.customer();
        String id = paidOrder(ada, 1000, 1).path("id");
        move(AuthFixtures.support().accessToken(), id, "fulfilled").then().statusCode(200);
        given().auth().oauth2(ada.accessToken()).post("/v1/me/orders/" + id + "/cancel").then().statusCode(409)
                .body("type", equalTo(PROBLEMS + "illegal-transition"));
    }

    @Test
    void supportRefundsAPaidOrderInFull() {
        String id = paidOrder(AuthFixtures.customer(), 1500, 2).path("id");
        move(AuthFixtures.support().accessToken(), id, "refunded").then().statusCode(200)
                .body("status", equalTo("refunded")).body("payment.status", equalTo("refunded"))
                .body("refunded.amount_minor", equalTo(3000));
        move(AuthFixtures.support().accessToken(), id, "refunded").then().statusCode(409);
    }

    @Test
    void theBackOfficeSearchesOrdersByAccountStatusEmailAndNumber() {
        SignedIn ada = AuthFixtures.customer();
        Response first = paidOrder(ada, 100, 1);
        Response second = paidOrder(ada, 200, 1);
        String support = AuthFixtures.support().accessToken();
        move(support, second.path("id"), "fulfilled").then().statusCode(200);
        given().auth().oauth2(support).queryParam("account_id", ada.accountId()).get("/v1/admin/orders").then().statusCode(200)
                .body("data", hasSize(2));
        given().auth().oauth2(support).queryParam("account_id", ada.accountId()).queryParam("status", "fulfilled")
                .get("/v1/admin/orders").then().body("data", hasSize(1)).body("data[0].id", equalTo(second.path("id")));
        given().auth().oauth2(support).queryParam("number", (String) first.path("number")).get("/v1/admin/orders").then()
                .body("data", hasSize(1)).body("data[0].id", equalTo(first.path("id")));
        given().auth().oauth2(support).queryParam("account_id", ada.accountId()).queryParam("email", "ADA@example.com")
                .queryParam("created_from", "2000-01-01T00:00:00Z").get("/v1/admin/orders").then().body("data", hasSize(2));
        given().auth().oauth2(support).queryParam("status", "lost").get("/v1/admin/orders").then().statusCode(400)
                .body("errors[0].field", equalTo("status"));
        given().auth().oauth2(support).queryParam("created_from", "yesterday").get("/v1/admin/orders").then().statusCode(400)
                .body("errors[0].field", equalTo("created_from"));
        given().auth().oauth2(support).queryParam("account_id", "nope").get("/v1/admin/orders").then().statusCode(400);
    }

    @Test
    void P19_aPaidOrderWritesAFulfilmentEventWithOnlyTheDeliveryFields() {
        SignedIn ada = AuthFixtures.customer();
        Response order = paidOrder(ada, 4200, 3);
        Row event = pool.preparedQuery("select payload::text as payload, topic from outbox where aggregate_id = $1 and topic = $2")
                .execute(Tuple.of(UUID.fromString(order.path("id")), OrderService.FULFILMENT_TOPIC)).await().atMost(Duration.ofSeconds(5))
                .iterator().next();
        assertEquals(OrderService.FULFILMENT_TOPIC, event.getString("topic"));
        JsonObject payload = new JsonObject(event.getString("payload"));
        assertEquals(Set.of("order_number", "ship_to", "lines"), payload.fieldNames());
        assertEquals(Set.of("name", "line1", "line2", "city", "region", "postal_code", "country", "phone"),
                payload.getJsonObject("ship_to").fieldNames());
        assertEquals(Set.of("sku", "quantity"), payload.getJsonArray("lines").getJsonObject(0).fieldNames());
        assertEquals(order.path("number"), payload.getString("order_number"));
        assertEquals(3, payload.getJsonArray("lines").getJsonObject(0).getInteger("quantity"));
        String raw = event.getString("payload");
        assertFalse(raw.contains("@"), "no email");
        assertFalse(raw.contains("4242") || raw.contains("visa") || raw.contains("pi_test"), "no payment data");
    }

    @Test
    void theOutboxWorkerPublishesEachEventOnce_andRetriesFailuresWithBackoff() {
        String id = paidOrder(AuthFixtures.customer(), 100, 1).path("id");
        UUID failing = pool.withTransaction(conn -> outbox.append(conn, TestOutboxPublisher.UNREACHABLE, UUID.randomUUID(),
                new JsonObject().put("n", 1))).await().atMost(Duration.ofSeconds(5));
        while (worker.publishDue().await().atMost(Duration.ofSeconds(10)) > 0) {
            // drain what earlier tests left pending
        }
        String fulfilment = "select status, attempts, published_at::text as at from outbox where aggregate_id = $1 and topic = '"
                + OrderService.FULFILMENT_TOPIC + "'";
        Row published = pool.preparedQuery(fulfilment)
                .execute(Tuple.of(UUID.fromString(id))).await().atMost(Duration.ofSeconds(5)).iterator().next();
        assertEquals("published", published.getString("status"));
        worker.publishDue().await().atMost(Duration.ofSeconds(10));
        Row again = pool.preparedQuery(fulfilment)
                .execute(Tuple.of(UUID.fromString(id))).await().atMost(Duration.ofSeconds(5)).iterator().next();
        assertEquals(published.getString("at"), again.getString("at"), "not published twice");
        Row retry = pool.preparedQuery("select status, attempts, next_attempt_at > now() as later from outbox where id = $1")
                .execute(Tuple.of(failing)).await().atMost(Duration.ofSeconds(5)).iterator().next();
        assertEquals("pending", retry.getString("status"));
        assertEquals(1, retry.getInteger("attempts"));
        assertTrue(retry.getBoolean("later"), "the next attempt waits");
    }

    @Test
    void refundingAPaidOrderBeforeItShipsReturnsItsStock() {
        SignedIn ada = AuthFixtures.customer();
        String v = CartFixtures.variant(800, 5);
        String cartId = CartFixtures.myCartWith(ada, v, 2);
        String id = OrderFixtures.place(ada, OrderFixtures.checkout(cartId)).then().statusCode(201).extract().path("id");
        given().auth().oauth2(AuthFixtures.admin().accessToken()).get("/v1/admin/variants/" + v).then().body("stock_on_hand", equalTo(3));
        given().auth().oauth2(AuthFixtures.support().accessToken()).contentType(ContentType.JSON).body(Map.of("to", "refunded"))
                .post("/v1/admin/orders/" + id + "/transitions").then().statusCode(200).body("status", equalTo("refunded"));
        given().auth().oauth2(AuthFixtures.admin().accessToken()).get("/v1/admin/variants/" + v).then().body("stock_on_hand", equalTo(5));
    }
}
