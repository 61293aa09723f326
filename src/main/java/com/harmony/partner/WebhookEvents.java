package com.harmony.partner;

import com.harmony.catalog.CatalogService;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The event types partners can subscribe to, the outbox topics they come from, the scope a client needs
 * for each, and the only fields their payload carries (P19): ids, statuses, amounts and references,
 * never names, emails, addresses or account ids.
 */
final class WebhookEvents {

    /** An event type: the scope it needs and the payload fields it keeps. */
    record Type(String name, String scope, List<String> fields) {
    }

    private static final List<String> ORDER_FIELDS = List.of("order_id", "order_number", "status", "previous_status", "total", "refunded");

    static final Map<String, Type> TYPES = types();

    /** Outbox topic → event type, where the names differ (both return decisions are one event). */
    private static final Map<String, String> TOPICS = Map.of("return.approved", "return.decided", "return.rejected", "return.decided");

    private WebhookEvents() {
    }

    private static Map<String, Type> types() {
        Map<String, Type> m = new LinkedHashMap<>();
        for (String s : List.of("order.paid", "order.shipped", "order.delivered", "order.cancelled", "order.refunded")) {
            m.put(s, new Type(s, PartnerScopes.ORDERS_READ, ORDER_FIELDS));
        }
        m.put("return.decided", new Type("return.decided", PartnerScopes.ORDERS_READ,
                List.of("order_id", "order_number", "return_id", "return_status", "decision")));
        m.put(CatalogService.PRODUCT_TOPIC, new Type(CatalogService.PRODUCT_TOPIC, PartnerScopes.CATALOG_READ,
                List.of("product_id", "slug", "status", "change", "updated_at")));
        m.put(CatalogService.STOCK_TOPIC, new Type(CatalogService.STOCK_TOPIC, PartnerScopes.CATALOG_READ,
                List.of("variant_id", "product_id", "sku", "stock_on_hand", "delta", "reason")));
        m.put("privacy.erasure-notice", new Type("privacy.erasure-notice", PartnerScopes.PRIVACY_NOTICES,
                List.of("request_id", "recipient", "references")));
        return m;
    }

    /**
     * Recipients a partner integration may stand for. The payment gateway is told through its own API and the
     * mail provider by mail: their notices (the provider's references, a digest of the address) are for them
     * alone and go to no partner.
     */
    private static final java.util.Set<String> PARTNER_RECIPIENTS = java.util.Set.of("carrier", "marketing_partner");

    /** Whether partners see this event at all: every event of a type, except erasure notices meant for someone else. */
    static boolean forPartners(String topic, JsonObject payload) {
        return !"privacy.erasure-notice".equals(TOPICS.getOrDefault(topic, topic)) || PARTNER_RECIPIENTS.contains(payload.getString("recipient"));
    }

    /** The event type an outbox topic becomes, or null when partners never see it. */
    static Type ofTopic(String topic) {
        return TYPES.get(TOPICS.getOrDefault(topic, topic));
    }

    /** The event's data: the outbox payload cut down to the type's fields (a return decision says which). */
    static JsonObject data(String topic, Type type, JsonObject payload) {
        JsonObject data = new JsonObject();
        for (String f : type.fields()) {
            if (payload.containsKey(f)) {
                data.put(f, payload.getValue(f));
            }
        }
        if (type.name().equals("return.decided")) {
            data.put("decision", topic.equals("return.approved") ? "approved" : "rejected");
        }
        return data;
    }
}
