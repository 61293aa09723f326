package com.harmony.partner;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import com.harmony.MailServer;
import com.harmony.cart.CartFixtures;
import com.harmony.platform.OutboxWorker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Signed webhooks (issue #13) end to end: real receivers on loopback, the outbox fanning events out,
 * the delivery worker signing, retrying, pausing and replaying, and partners kept apart.
 */
@QuarkusTest
@QuarkusTestResource(MailServer.class)
class WebhookDeliveryTest {

    @Inject
    OutboxWorker outbox;
    @Inject
    WebhookWorker worker;
    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;
    @Inject
    WebhookService webhooks;

    /** A partner with a subscription to stock.changed at the receiver: its token, subscription id and signing secret. */
    record Subscribed(PartnerFixtures.Client client, String token, String id, String secret) {
    }

    /** Subscribes once the outbox holds nothing older, so only this test's events reach the subscription. */
    private Subscribed subscribe(String url, String... types) {
        publish();
        PartnerFixtures.Client c = PartnerFixtures.client("catalog:read", "orders:read", "webhooks:manage");
        String token = PartnerFixtures.token(c);
        JsonPath r = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("url", url, "event_types", List.of(types))).post("/v1/partner/webhooks")
                .then().statusCode(201).body("signing_secret", startsWith("whsec_")).body("subscription.status", equalTo("active"))
                .extract().jsonPath();
        return new Subscribed(c, token, r.getString("subscription.id"), r.getString("signing_secret"));
    }

    /** Moves a variant's stock: one stock.changed event. */
    private static void adjustStock(String variant, int delta) {
        given().auth().oauth2(AuthFixtures.admin().accessToken()).header("Idempotency-Key", UUID.randomUUID().toString())
                .contentType(ContentType.JSON).body(Map.of("delta", delta, "reason", "cycle count"))
                .post("/v1/admin/variants/" + variant + "/stock-adjustments").then().statusCode(200);
    }

    /** A variant whose stock moves that many times, each a stock.changed event, published: its id. */
    private String stockChanges(int events) {
        String variant = CartFixtures.variant(1500, 10);
        for (int i = 0; i < events; i++) {
            adjustStock(variant, 1);
        }
        publish();
        return variant;
    }

    private void publish() {
        for (int i = 0; i < 10 && outbox.publishDue().await().atMost(Duration.ofSeconds(30)) > 0; i++) {
            // until the outbox is empty
        }
    }

    /** Delivery rounds until the condition holds (at most rounds of them). */
    private void deliverUntil(BooleanSupplier done, int rounds) {
        for (int i = 0; i < rounds && !done.getAsBoolean(); i++) {
            worker.deliverDue().await().atMost(Duration.ofSeconds(30));
        }
    }

    private static JsonPath deliveries(Subscribed s) {
        return given().auth().oauth2(s.token()).get("/v1/partner/webhooks/" + s.id() + "/deliveries?limit=100").then().statusCode(200)
                .extract().jsonPath();
    }

    private static void delete(Subscribed s) {
        given().auth().oauth2(s.token()).delete("/v1/partner/webhooks/" + s.id());
    }

    /** What a receiver does: recompute the Standard Webhooks signature with the secret's key. */
    static String expectedSignature(String secret, WebhookReceiver.Received r) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal((r.id() + "." + r.timestamp() + "." + r.body()).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anEventIsDeliveredToARealReceiver_withAVerifiableSignature_andOnlyTheFieldsItNeeds() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.answering(200)) {
            Subscribed s = subscribe(receiver.url(), "stock.changed");
            try {
                String variant = CartFixtures.variant(1500, 10);
                publish();
                adjustStock(variant, 5);
                publish();
                deliverUntil(() -> receiver.received.stream().anyMatch(r -> r.body().contains(variant)), 5);
                WebhookReceiver.Received got = receiver.received.stream().filter(r -> r.body().contains(variant)).findFirst().orElseThrow();
                assertEquals(expectedSignature(s.secret(), got), got.signature());
                assertTrue(Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(got.timestamp())) < 60);
                JsonObject body = new JsonObject(got.body());
                assertEquals(got.id(), body.getString("id"));
                assertEquals("stock.changed", body.getString("type"));
                assertEquals(15, body.getJsonObject("data").getInteger("stock_on_hand"));
                assertEquals(Set.of("variant_id", "product_id", "sku", "stock_on_hand", "delta", "reason"), body.getJsonObject("data").fieldNames());
                JsonPath d = deliveries(s);
                int i = d.getList("data.event_id").indexOf(got.id());
                assertEquals("delivered", d.getString("data[" + i + "].status"));
                assertEquals(200, d.getInt("data[" + i + "].attempt_history[0].response_status"));
            } finally {
                delete(s);
            }
        }
    }

    @Test
    void aBacklogOfSeveralBatchesIsDeliveredByOnePoll() {
        try (WebhookReceiver receiver = WebhookReceiver.answering(200)) {
            Subscribed s = subscribe(receiver.url(), "stock.changed");
            try {
                String variant = stockChanges(45); // more than two batches of 20

                worker.drainDue().await().atMost(Duration.ofSeconds(60));

                assertEquals(45, receiver.received.stream().filter(r -> r.body().contains(variant)).map(WebhookReceiver.Received::id).distinct().count());
                assertTrue(deliveries(s).getList("data.status").stream().allMatch("delivered"::equals));
            } finally {
                delete(s);
            }
        }
    }

    @Test
    void aLeaseReadsItsBatchOffTheDueIndex_evenWhenThePlannersCostsFavourSortingTheDeliveries() {
        try (WebhookReceiver receiver = WebhookReceiver.answering(200)) {
            Subscribed s = subscribe(receiver.url(), "stock.changed");
            try {
                stockChanges(30);

                // as OutboxDrainTest's lease: costs that favour a scan and a sort of every due delivery, plans made afresh
                long[] seen = pool.withTransaction(conn -> conn.query("discard plans").execute()
                        .chain(() -> conn.query("set local random_page_cost = 1000").execute())
                        .chain(() -> conn.query("select count(*) as n from webhook_delivery where status = 'pending' and next_attempt_at <= now()").execute())
                        .chain(due -> fetchedThroughDueIndex(conn)
                                .chain(before -> conn.preparedQuery(WebhookWorker.CLAIM).execute(io.vertx.mutiny.sqlclient.Tuple.of(5, 1L))
                                        .chain(leased -> fetchedThroughDueIndex(conn)
                                                .map(after -> new long[] {due.iterator().next().getLong("n"), leased.size(), after - before})))))
                        .await().atMost(Duration.ofSeconds(10));

                assertEquals(5, seen[1]);
                assertTrue(seen[2] >= 5 && seen[2] <= seen[0] - 25, "the lease of 5 fetched " + seen[2] + " of " + seen[0] + " due deliveries through the due index");
                deliverUntil(() -> deliveries(s).getList("data.status").stream().allMatch("delivered"::equals), 5);
            } finally {
                delete(s);
            }
        }
    }

    /** Live rows this transaction fetched through webhook_delivery_due so far (simple index scans only). */
    private static Uni<Long> fetchedThroughDueIndex(io.vertx.mutiny.sqlclient.SqlConnection conn) {
        return conn.query("select pg_stat_get_xact_tuples_fetched('webhook_delivery_due'::regclass) as n").execute()
                .map(rows -> rows.iterator().next().getLong("n"));
    }

    @Test
    void aSaleAnnouncesTheVariantsNewStockLevel_withTheUnitsSoldAndReasonSale() {
        try (WebhookReceiver receiver = WebhookReceiver.answering(200)) {
            Subscribed s = subscribe(receiver.url(), "stock.changed");
            try {
                AuthFixtures.SignedIn buyer = AuthFixtures.customer();
                String variant = CartFixtures.variant(1800, 10);
                String cartId = CartFixtures.myCartWith(buyer, variant, 3);
                com.harmony.order.OrderFixtures.place(buyer, com.harmony.order.OrderFixtures.checkout(cartId)).then().statusCode(201);
                publish();
                java.util.function.Supplier<List<JsonObject>> sales = () -> receiver.received.stream()
                        .map(r -> new JsonObject(r.body()).getJsonObject("data"))
                        .filter(d -> variant.equals(d.getString("variant_id")) && "sale".equals(d.getString("reason"))).toList();
                deliverUntil(() -> !sales.get().isEmpty(), 5);
                JsonObject data = sales.get().get(0);
                assertEquals(7, data.getInteger("stock_on_hand"));
                assertEquals(-3, data.getInteger("delta"));
                assertTrue(data.getString("sku") != null && !data.getString("sku").isBlank());
                assertTrue(data.getString("product_id").matches("[0-9a-f-]{36}"));
                assertEquals(1, sales.get().size(), "one event for one reservation");
            } finally {
                delete(s);
            }
        }
    }

    @Test
    void orderEventsCarryNoBuyerData() {
        try (WebhookReceiver receiver = WebhookReceiver.answering(204)) {
            Subscribed s = subscribe(receiver.url(), "order.paid", "order.cancelled");
            try {
                AuthFixtures.SignedIn buyer = AuthFixtures.customer();
                String orderId = com.harmony.order.OrderFixtures.paidOrder(buyer, 2500, 1).path("id");
                publish();
                deliverUntil(() -> receiver.received.stream().anyMatch(r -> r.body().contains(orderId)), 5);
                WebhookReceiver.Received got = receiver.received.stream().filter(r -> r.body().contains(orderId)).findFirst().orElseThrow();
                JsonObject data = new JsonObject(got.body()).getJsonObject("data");
                assertEquals("order.paid", new JsonObject(got.body()).getString("type"));
                assertEquals("paid", data.getString("status"));
                assertEquals(2500, data.getJsonObject("total").getInteger("amount_minor"));
                for (String personal : List.of(buyer.accountId(), buyer.email(), "ada@example.com", "Ada Lovelace", "Analytical", "account_id")) {
                    assertFalse(got.body().contains(personal), "the webhook must not carry " + personal);
                }
            } finally {
                delete(s);
            }
        }
    }

    @Test
    void whileTheReceiverIsDown_attemptsAreRecorded_andTheEventIsDeliveredOnceItIsUp() {
        try (WebhookReceiver receiver = new WebhookReceiver(n -> n <= 2 ? 503 : 200)) {
            Subscribed s = subscribe(receiver.url(), "stock.changed");
            try {
                String variant = CartFixtures.variant(1500, 10);
                adjustStock(variant, -1);
                publish();
                deliverUntil(() -> deliveries(s).getList("data.status").contains("delivered"), 6);
                JsonPath d = deliveries(s);
                assertEquals(List.of("delivered"), d.getList("data.status"));
                assertEquals(List.of(503, 503, 200), d.getList("data[0].attempt_history.response_status"));
                assertEquals("HTTP 503", d.getString("data[0].attempt_history[0].error"));
                assertEquals(3, d.getInt("data[0].attempts"));
                assertEquals(3, receiver.received.size());
                assertEquals(1, receiver.received.stream().map(WebhookReceiver.Received::id).distinct().count(), "every attempt carries the same webhook-id");
            } finally {
                delete(s);
            }
        }
    }

    @Test
    void aReceiverKilledMidRun_getsEveryEventAtLeastOnce_andExactlyOnceByWebhookId() {
        List<WebhookReceiver.Received> all = new ArrayList<>();
        String variant = CartFixtures.variant(1500, 100);
        Subscribed s;
        try (WebhookReceiver dying = new WebhookReceiver(n -> n == 3 ? -1 : 200)) {
            s = subscribe(dying.url(), "stock.changed");
            for (int i = 1; i <= 8; i++) {
                adjustStock(variant, i);
            }
            publish();
            worker.deliverDue().await().atMost(Duration.ofSeconds(30));
            all.addAll(dying.received);
        }
        try (WebhookReceiver back = WebhookReceiver.answering(200)) {
            // the partner brings its endpoint back (on a new port) and points the subscription at it
            given().auth().oauth2(s.token()).contentType(ContentType.JSON).body(Map.of("url", back.url())).patch("/v1/partner/webhooks/" + s.id())
                    .then().statusCode(200);
            deliverUntil(() -> deliveries(s).getList("data.status").stream().allMatch("delivered"::equals), 6);
            all.addAll(back.received);
            JsonPath d = deliveries(s);
            assertEquals(8, d.getList("data").size());
            assertTrue(d.getList("data.status").stream().allMatch("delivered"::equals), d.getList("data.status")::toString);
            Set<String> expected = new HashSet<>(d.getList("data.event_id"));
            Set<String> seen = new HashSet<>();
            all.forEach(r -> seen.add(r.id()));
            assertEquals(expected, seen, "every event arrived, deduplicated by webhook-id, exactly once");
            Set<Integer> deltas = new HashSet<>();
            all.forEach(r -> deltas.add(new JsonObject(r.body()).getJsonObject("data").getInteger("delta")));
            assertEquals(Set.of(1, 2, 3, 4, 5, 6, 7, 8), deltas, "nothing lost");
            assertTrue(all.size() >= 8);
            // the dropped connection is told in words, never as this server's exception and its addresses
            List<Object> errors = d.getList("data.attempt_history.error.flatten()");
            assertTrue(errors.stream().anyMatch(java.util.Objects::nonNull), errors::toString);
            errors.stream().filter(java.util.Objects::nonNull).forEach(e -> assertTrue(e.toString().matches("HTTP \\d{3}|[a-z ]+"), e.toString()));
        } finally {
            delete(s);
        }
    }

    @Test
    void afterRepeatedFailures_theSubscriptionIsPaused_andItsContactIsEmailed_thenResumingDelivers() {
        try (WebhookReceiver receiver = new WebhookReceiver(n -> n <= 8 ? 500 : 200)) {
            Subscribed s = subscribe(receiver.url(), "stock.changed");
            try {
                adjustStock(CartFixtures.variant(1500, 10), 1);
                publish();
                deliverUntil(() -> false, 10);
                given().auth().oauth2(s.token()).get("/v1/partner/webhooks/" + s.id()).then().statusCode(200)
                        .body("status", equalTo("paused")).body("consecutive_failures", equalTo(8))
                        .body("paused_reason", containsString("8 consecutive failed deliveries"));
                assertEquals(8, receiver.received.size(), "a paused subscription gets no attempts");
                publish();
                String mail = MailServer.messageTo(s.client().contactEmail(), "Webhook subscription paused");
                assertTrue(mail.contains(s.id()) && mail.contains(receiver.url()), mail);

                given().auth().oauth2(s.token()).contentType(ContentType.JSON).body(Map.of("status", "active"))
                        .patch("/v1/partner/webhooks/" + s.id()).then().statusCode(200).body("status", equalTo("active"))
                        .body("consecutive_failures", equalTo(0));
                deliverUntil(() -> deliveries(s).getList("data.status").contains("delivered"), 3);
                assertEquals(List.of("delivered"), deliveries(s).getList("data.status"));
            } finally {
                delete(s);
            }
        }
    }

    @Test
    void aReplay_sendsTheDeliveryAgainWithTheSameWebhookId() {
        try (WebhookReceiver receiver = WebhookReceiver.answering(200)) {
            Subscribed s = subscribe(receiver.url(), "stock.changed");
            try {
                adjustStock(CartFixtures.variant(1500, 10), 2);
                publish();
                deliverUntil(() -> receiver.received.size() >= 1, 5);
                JsonPath d = deliveries(s);
                String delivery = d.getString("data[0].id");
                String event = d.getString("data[0].event_id");
                given().auth().oauth2(s.token()).post("/v1/partner/webhooks/" + s.id() + "/deliveries/" + delivery + "/replay")
                        .then().statusCode(202).body("status", equalTo("pending")).body("delivered_at", org.hamcrest.Matchers.nullValue());
                deliverUntil(() -> receiver.received.size() >= 2, 5);
                given().auth().oauth2(s.token()).post("/v1/partner/webhooks/" + s.id() + "/events/" + event + "/replay").then().statusCode(202);
                deliverUntil(() -> receiver.received.size() >= 3, 5);
                assertEquals(3, receiver.received.size());
                assertEquals(Set.of(event), new HashSet<>(receiver.received.stream().map(WebhookReceiver.Received::id).toList()));
                assertEquals(3, deliveries(s).getInt("data[0].attempts"));
            } finally {
                delete(s);
            }
        }
    }

    @Test
    void anotherPartnerCannotSeeChangeOrReplaySomeoneElsesSubscription() {
        try (WebhookReceiver receiver = WebhookReceiver.answering(200)) {
            Subscribed mine = subscribe(receiver.url(), "stock.changed");
            try {
                adjustStock(CartFixtures.variant(1500, 10), 1);
                publish();
                deliverUntil(() -> receiver.received.size() >= 1, 5);
                String delivery = deliveries(mine).getString("data[0].id");
                String other = PartnerFixtures.token(PartnerFixtures.client("webhooks:manage", "catalog:read"));
                String path = "/v1/partner/webhooks/" + mine.id();
                given().auth().oauth2(other).get(path).then().statusCode(404).body("type", containsString("not-found"));
                given().auth().oauth2(other).get(path + "/deliveries").then().statusCode(404);
                given().auth().oauth2(other).contentType(ContentType.JSON).body(Map.of("status", "paused")).patch(path).then().statusCode(404);
                given().auth().oauth2(other).post(path + "/deliveries/" + delivery + "/replay").then().statusCode(404);
                given().auth().oauth2(other).delete(path).then().statusCode(404);
                given().auth().oauth2(other).get("/v1/partner/webhooks").then().statusCode(200).body("data", equalTo(List.of()));
                given().auth().oauth2(mine.token()).get(path).then().statusCode(200).body("status", equalTo("active"));
            } finally {
                delete(mine);
            }
        }
    }

    @Test
    void eventTypesBeyondTheTokensScopes_orUnknown_areRefused() {
        PartnerFixtures.Client c = PartnerFixtures.client("catalog:read", "orders:read", "webhooks:manage");
        String narrow = PartnerFixtures.token(c, "webhooks:manage catalog:read");
        given().auth().oauth2(narrow).contentType(ContentType.JSON).body(Map.of("url", "http://127.0.0.1:9/hook", "event_types", List.of("order.paid")))
                .post("/v1/partner/webhooks").then().statusCode(403).body("type", containsString("webhook-event-not-granted"));
        given().auth().oauth2(narrow).contentType(ContentType.JSON).body(Map.of("url", "http://127.0.0.1:9/hook", "event_types", List.of("order.exploded")))
                .post("/v1/partner/webhooks").then().statusCode(400).body("type", containsString("validation-failed"));
        given().auth().oauth2(PartnerFixtures.token(c, "orders:read")).get("/v1/partner/webhooks").then().statusCode(403);
    }

    @Test
    void aDeliveryClaimedByAnInstanceThatDied_isSentAgainOnceItsLeaseRunsOut() {
        try (WebhookReceiver receiver = WebhookReceiver.answering(200)) {
            Subscribed s = subscribe(receiver.url(), "stock.changed");
            try {
                adjustStock(CartFixtures.variant(1500, 10), 3);
                publish();
                // another instance claims the delivery (committed) and dies before sending it
                pool.preparedQuery(WebhookWorker.CLAIM).execute(io.vertx.mutiny.sqlclient.Tuple.of(100, Duration.ofMinutes(1).toMillis()))
                        .await().atMost(Duration.ofSeconds(5));
                worker.deliverDue().await().atMost(Duration.ofSeconds(30));
                assertEquals(0, receiver.received.size(), "a leased delivery is nobody else's");
                // its lease runs out
                pool.preparedQuery("update webhook_delivery set next_attempt_at = now() where subscription_id = $1 and status = 'pending'")
                        .execute(io.vertx.mutiny.sqlclient.Tuple.of(UUID.fromString(s.id()))).await().atMost(Duration.ofSeconds(5));
                deliverUntil(() -> receiver.received.size() >= 1, 5);
                JsonPath d = deliveries(s);
                assertEquals("delivered", d.getString("data[0].status"));
                assertEquals(2, d.getInt("data[0].attempts"), "the dead instance's claim counts as an attempt");
                assertEquals(1, d.getList("data[0].attempt_history").size(), "only the attempt that was made is recorded");
            } finally {
                delete(s);
            }
        }
    }

    @Test
    void aDeliveryStillFailingWhenItsRetryPeriodEnds_isFailed_andAReplayStartsAFreshPeriod() {
        try (WebhookReceiver receiver = new WebhookReceiver(n -> n == 1 ? 500 : 200)) {
            Subscribed s = subscribe(receiver.url(), "stock.changed");
            try {
                adjustStock(CartFixtures.variant(1500, 10), 4);
                publish();
                // WEBHOOK_RETRY_FOR has run out
                pool.preparedQuery("update webhook_delivery set retry_until = now() where subscription_id = $1")
                        .execute(io.vertx.mutiny.sqlclient.Tuple.of(UUID.fromString(s.id()))).await().atMost(Duration.ofSeconds(5));
                deliverUntil(() -> !deliveries(s).getList("data.status").contains("pending"), 3);
                JsonPath d = deliveries(s);
                assertEquals("failed", d.getString("data[0].status"));
                assertEquals(List.of(500), d.getList("data[0].attempt_history.response_status"));
                worker.deliverDue().await().atMost(Duration.ofSeconds(30));
                assertEquals(1, receiver.received.size(), "a failed delivery is not retried");

                given().auth().oauth2(s.token()).post("/v1/partner/webhooks/" + s.id() + "/deliveries/" + d.getString("data[0].id") + "/replay")
                        .then().statusCode(202).body("status", equalTo("pending"));
                deliverUntil(() -> receiver.received.size() >= 2, 3);
                assertEquals("delivered", deliveries(s).getString("data[0].status"));
            } finally {
                delete(s);
            }
        }
    }

    @Test
    void aNewProductIsAnnouncedAsProductChanged() {
        try (WebhookReceiver receiver = WebhookReceiver.answering(200)) {
            Subscribed s = subscribe(receiver.url(), "product.changed");
            try {
                String product = (String) com.harmony.catalog.CatalogFixtures.product(null, "Webhook mug", 1200, 5).get("id");
                publish();
                deliverUntil(() -> receiver.received.stream().anyMatch(r -> r.body().contains(product)), 5);
                JsonObject body = new JsonObject(receiver.received.stream().filter(r -> r.body().contains(product)).findFirst().orElseThrow().body());
                assertEquals("product.changed", body.getString("type"));
                assertEquals("created", body.getJsonObject("data").getString("change"));
                assertEquals("active", body.getJsonObject("data").getString("status"));
                assertEquals(Set.of("product_id", "slug", "status", "change", "updated_at"), body.getJsonObject("data").fieldNames());
            } finally {
                delete(s);
            }
        }
    }

    @Test
    void erasureNoticesReachOnlyProcessorsHoldingPrivacyNotices_onlyForPartnerRecipients_withReferencesButNotTheRecipientsContact() {
        try (WebhookReceiver receiver = WebhookReceiver.answering(200)) {
            publish();
            PartnerFixtures.Client processor = PartnerFixtures.client("privacy:notices", "webhooks:manage");
            String token = PartnerFixtures.token(processor);
            String id = given().auth().oauth2(token).contentType(ContentType.JSON)
                    .body(Map.of("url", receiver.url(), "event_types", List.of("privacy.erasure-notice"))).post("/v1/partner/webhooks")
                    .then().statusCode(201).extract().path("subscription.id");
            PartnerFixtures.Client other = PartnerFixtures.client("orders:read", "webhooks:manage");
            given().auth().oauth2(PartnerFixtures.token(other)).contentType(ContentType.JSON)
                    .body(Map.of("url", receiver.url(), "event_types", List.of("privacy.erasure-notice"))).post("/v1/partner/webhooks")
                    .then().statusCode(403).body("type", containsString("webhook-event-not-granted"));
            String request = UUID.randomUUID().toString();
            // the mail provider's notice (a digest of the address) is mailed to it, never handed to a partner
            webhooks.fanOut(UUID.randomUUID(), "privacy.erasure-notice", new JsonObject().put("request_id", UUID.randomUUID().toString())
                    .put("recipient", "mail_provider").put("references", new io.vertx.core.json.JsonArray().add("sha256:" + "ab".repeat(32))))
                    .await().atMost(Duration.ofSeconds(5));
            webhooks.fanOut(UUID.randomUUID(), "privacy.erasure-notice", new JsonObject().put("request_id", request).put("recipient", "carrier")
                    .put("references", new io.vertx.core.json.JsonArray().add("HC-ABC123"))).await().atMost(Duration.ofSeconds(5));
            deliverUntil(() -> receiver.received.size() >= 1, 5);
            worker.deliverDue().await().atMost(Duration.ofSeconds(30));
            assertEquals(1, receiver.received.size(), "only the carrier's notice");
            JsonObject data = new JsonObject(receiver.received.get(0).body()).getJsonObject("data");
            assertEquals(request, data.getString("request_id"));
            assertEquals("carrier", data.getString("recipient"));
            assertEquals(List.of("HC-ABC123"), data.getJsonArray("references").getList());
            assertEquals(Set.of("request_id", "recipient", "references"), data.fieldNames());
            given().auth().oauth2(token).delete("/v1/partner/webhooks/" + id).then().statusCode(204);
        }
    }

    @Test
    void aRevokedClientsPendingDeliveriesAreNotSent() {
        try (WebhookReceiver receiver = WebhookReceiver.answering(200)) {
            Subscribed s = subscribe(receiver.url(), "stock.changed");
            adjustStock(CartFixtures.variant(1500, 10), 6);
            publish();
            given().auth().oauth2(AuthFixtures.admin().accessToken()).post("/v1/admin/partner-clients/" + s.client().id() + "/revocation")
                    .then().statusCode(200);
            worker.deliverDue().await().atMost(Duration.ofSeconds(30));
            worker.deliverDue().await().atMost(Duration.ofSeconds(30));
            assertEquals(0, receiver.received.size());
        }
    }

    @Test
    void aBurstOfParallelSubscriptionCreations_neverExceedsTheLimit() throws Exception {
        PartnerFixtures.Client c = PartnerFixtures.client("catalog:read", "webhooks:manage");
        String token = PartnerFixtures.token(c);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 28; i++) {
                results.add(threads.submit(() -> given().auth().oauth2(token).contentType(ContentType.JSON)
                        .body(Map.of("url", "http://127.0.0.1:9/hook", "event_types", List.of("stock.changed"))).post("/v1/partner/webhooks").statusCode()));
            }
            int created = 0;
            int refused = 0;
            for (Future<Integer> f : results) {
                int status = f.get();
                created += status == 201 ? 1 : 0;
                refused += status == 409 ? 1 : 0;
            }
            assertEquals(20, created, "WEBHOOK_MAX_SUBSCRIPTIONS");
            assertEquals(8, refused);
            List<String> ids = given().auth().oauth2(token).get("/v1/partner/webhooks").then().statusCode(200).extract().path("data.id");
            assertEquals(20, ids.size());
            for (String id : ids) {
                given().auth().oauth2(token).delete("/v1/partner/webhooks/" + id).then().statusCode(204);
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
