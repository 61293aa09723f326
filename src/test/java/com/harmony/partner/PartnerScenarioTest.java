package com.harmony.partner;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.harmony.AuthFixtures;
import com.harmony.order.OrderFixtures;
import com.harmony.platform.OutboxWorker;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The partner integration's whole flow: an admin creates a client, the partner gets a token, subscribes,
 * follows an order from payment to delivery through signed webhooks and the orders endpoint, its secret
 * is rotated, and the client is revoked.
 */
@QuarkusTest
class PartnerScenarioTest {

    @Inject
    OutboxWorker outbox;
    @Inject
    WebhookWorker worker;

    private void publishAndDeliver() {
        for (int i = 0; i < 10 && outbox.publishDue().await().atMost(Duration.ofSeconds(30)) > 0; i++) {
            // until the outbox is empty
        }
        for (int i = 0; i < 3; i++) {
            worker.deliverDue().await().atMost(Duration.ofSeconds(30));
        }
    }

    private static void move(String orderId, String to) {
        given().auth().oauth2(AuthFixtures.admin().accessToken()).header("Idempotency-Key", UUID.randomUUID().toString())
                .contentType(ContentType.JSON).body(Map.of("to", to, "note", "warehouse")).post("/v1/admin/orders/" + orderId + "/transitions")
                .then().statusCode(200);
    }

    @Test
    void aPartnerFollowsAnOrderFromPaymentToDelivery_thenItsSecretIsRotatedAndTheClientRevoked() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.answering(200)) {
            publishAndDeliver();
            PartnerFixtures.Client client = PartnerFixtures.client("orders:read", "webhooks:manage");
            String token = PartnerFixtures.token(client);
            String secret = given().auth().oauth2(token).contentType(ContentType.JSON)
                    .body(Map.of("url", receiver.url(), "event_types", List.of("order.paid", "order.shipped", "order.delivered")))
                    .post("/v1/partner/webhooks").then().statusCode(201).extract().path("signing_secret");

            var order = OrderFixtures.paidOrder(AuthFixtures.customer(), 3100, 1);
            String orderId = order.path("id");
            move(orderId, "fulfilled");
            move(orderId, "shipped");
            move(orderId, "delivered");
            publishAndDeliver();

            List<String> types = receiver.received.stream().filter(r -> r.body().contains(orderId))
                    .map(r -> new JsonObject(r.body()).getString("type")).toList();
            // deliveries go out concurrently, so in any order; each exactly once here
            assertEquals(3, types.size());
            assertEquals(java.util.Set.of("order.paid", "order.shipped", "order.delivered"), new java.util.HashSet<>(types));
            for (WebhookReceiver.Received r : receiver.received) {
                assertEquals(WebhookDeliveryTest.expectedSignature(secret, r), r.signature());
            }
            given().auth().oauth2(token).get("/v1/partner/orders?status=delivered&limit=100").then().statusCode(200)
                    .body("data.number", hasItem((String) order.path("number")));

            String fresh = given().auth().oauth2(AuthFixtures.admin().accessToken())
                    .post("/v1/admin/partner-clients/" + client.id() + "/secret-rotation").then().statusCode(200).extract().path("client_secret");
            PartnerFixtures.tokenRequest(client.id(), client.secret(), null).then().statusCode(200);
            String second = PartnerFixtures.token(new PartnerFixtures.Client(client.id(), fresh, client.contactEmail()));

            given().auth().oauth2(AuthFixtures.admin().accessToken()).post("/v1/admin/partner-clients/" + client.id() + "/revocation")
                    .then().statusCode(200);
            given().auth().oauth2(token).get("/v1/partner/orders").then().statusCode(401);
            given().auth().oauth2(second).get("/v1/partner/webhooks").then().statusCode(401);
            PartnerFixtures.tokenRequest(client.id(), fresh, null).then().statusCode(401);
        }
    }
}
