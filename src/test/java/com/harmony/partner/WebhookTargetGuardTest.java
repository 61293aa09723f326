package com.harmony.partner;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The SSRF guard as production has it (no http, no private targets): subscriptions to loopback, private,
 * link-local or unique-local targets are refused with a problem, and a target that has become private
 * since it was accepted is refused again at delivery time, without a connection.
 */
@QuarkusTest
@TestProfile(WebhookTargetGuardTest.ProductionGuard.class)
class WebhookTargetGuardTest {

    public static class ProductionGuard implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("harmony.partner.webhooks.allow-http", "false", "harmony.partner.webhooks.allow-private-targets", "false");
        }
    }

    @Inject
    Pool pool;
    @Inject
    WebhookWorker worker;
    @Inject
    WebhookService webhooks;

    @Test
    void targetsOnPrivateLoopbackOrLinkLocalAddresses_andPlainHttp_areRefusedWithAProblem() {
        String token = PartnerFixtures.token(PartnerFixtures.client("catalog:read", "webhooks:manage"));
        for (String url : List.of("https://127.0.0.1/hook", "https://localhost:8443/hook", "https://10.1.2.3/hook", "https://192.168.1.20/hook",
                "https://172.16.0.5/hook", "https://169.254.169.254/latest/meta-data", "https://[::1]/hook", "https://[fd00::1]/hook",
                "https://[::ffff:10.0.0.1]/hook", "https://[2002:7f00:1::]/hook", "https://[2001:0:4136:e378::1]/hook", "https://0.0.0.0/hook", "https://100.64.0.1/hook", "https://224.0.0.1/hook",
                "https://192.0.2.1/hook", "https://[64:ff9b:1::7f00:1]/hook", "https://[::ffff:0:a00:1]/hook", "https://[100::1]/hook",
                "https://8.8.8.8:0/hook", "https://8.8.8.8:65536/hook",
                "http://example.com/hook", "ftp://example.com/hook", "https://user:pw@example.com/hook", "not a url")) {
            given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("url", url, "event_types", List.of("stock.changed")))
                    .post("/v1/partner/webhooks").then().statusCode(400).contentType("application/problem+json")
                    .body("type", containsString("webhook-target-refused"));
        }
        given().auth().oauth2(token).get("/v1/partner/webhooks").then().statusCode(200).body("data.size()", org.hamcrest.Matchers.equalTo(0));
    }

    @Test
    void aTargetThatResolvesPrivatelyAtDeliveryTime_isRefusedWithoutAConnection() {
        PartnerFixtures.Client c = PartnerFixtures.client("catalog:read", "webhooks:manage");
        String token = PartnerFixtures.token(c);
        // as if DNS had pointed the accepted host at loopback since: the stored target is now private
        UUID id = UUID.randomUUID();
        pool.preparedQuery("insert into webhook_subscription (id, client_id, url, event_types, secret) values ($1, $2, $3, $4, $5)")
                .execute(Tuple.of(id, UUID.fromString(c.id()), "https://127.0.0.1:9/hook", new String[] {"stock.changed"}, WebhookSigner.newSecret()))
                .await().atMost(Duration.ofSeconds(5));
        webhooks.fanOut(UUID.randomUUID(), "stock.changed", new io.vertx.core.json.JsonObject().put("variant_id", UUID.randomUUID().toString()))
                .await().atMost(Duration.ofSeconds(5));
        worker.deliverDue().await().atMost(Duration.ofSeconds(30));
        JsonPath d = given().auth().oauth2(token).get("/v1/partner/webhooks/" + id + "/deliveries").then().statusCode(200).extract().jsonPath();
        assertEquals("pending", d.getString("data[0].status"));
        String error = d.getString("data[0].attempt_history[0].error");
        assertTrue(error.startsWith("target refused"), error);
        assertTrue(d.get("data[0].attempt_history[0].response_status") == null);
        pool.preparedQuery("delete from webhook_subscription where id = $1").execute(Tuple.of(id)).await().atMost(Duration.ofSeconds(5));
    }
}
