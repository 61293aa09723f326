package com.harmony.partner;

import com.harmony.platform.Cursor;
import com.harmony.platform.ProblemException;
import com.harmony.platform.JsonText;
import com.harmony.platform.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A partner's webhook subscriptions, their deliveries and replays, and the fan-out of outbox events into
 * deliveries. A client sees only its own subscriptions: another client's is answered as not found. The
 * number a client may hold is decided under a lock on the client's row, so parallel creations never
 * exceed it.
 */
@ApplicationScoped
public class WebhookService {

    private static final String SUBSCRIPTION_JSON = """
            json_build_object('id', s.id, 'url', s.url, 'event_types', s.event_types, 'status', s.status,
                'consecutive_failures', s.consecutive_failures, 'paused_at', rfc3339(s.paused_at), 'paused_reason', s.paused_reason,
                'created_at', rfc3339(s.created_at), 'updated_at', rfc3339(s.updated_at))""";
    private static final String LOCK_CLIENT = "select 1 from partner_client where id = $1 and status = 'active' for update";
    private static final String COUNT = "select count(*) from webhook_subscription where client_id = $1";
    private static final String INSERT = """
            insert into webhook_subscription (id, client_id, url, event_types, secret) values ($1, $2, $3, $4, $5)""";
    private static final String ONE = "select " + SUBSCRIPTION_JSON + "::text as doc from webhook_subscription s where s.id = $1 and s.client_id = $2";
    private static final String ALL = "select coalesce(json_agg(" + SUBSCRIPTION_JSON + " order by s.created_at desc, s.id desc), '[]'::json)::text "
            + "from webhook_subscription s where s.client_id = $1";
    private static final String UPDATE = """
            update webhook_subscription set url = coalesce($3, url), event_types = coalesce($4, event_types),
                status = coalesce($5, status),
                consecutive_failures = case when $5 = 'active' then 0 else consecutive_failures end,
                paused_at = case when $5 = 'active' then null when $5 = 'paused' and status = 'active' then now() else paused_at end,
                paused_reason = case when $5 = 'active' then null when $5 = 'paused' and status = 'active' then 'paused by the partner'
                                     else paused_reason end,
                updated_at = now()
            where id = $1 and client_id = $2""";
    private static final String DELETE = "delete from webhook_subscription where id = $1 and client_id = $2";
    private static final String DELIVERY_JSON = """
            json_build_object('id', d.id, 'event_id', d.event_id, 'event_type', d.event_type, 'status', d.status, 'attempts', d.attempts,
                'next_attempt_at', case when d.status = 'pending' then rfc3339(d.next_attempt_at) end, 'retry_until', rfc3339(d.retry_until),
                'created_at', rfc3339(d.created_at), 'delivered_at', rfc3339(d.delivered_at),
                'attempt_history', (select coalesce(json_agg(json_build_object('attempted_at', rfc3339(a.attempted_at), 'latency_ms', a.latency_ms,
                    'response_status', a.response_status, 'error', a.error, 'response_excerpt', a.response_excerpt) order by a.id), '[]'::json)
                    from webhook_attempt a where a.delivery_id = d.id))::text""";
    private static final String DELIVERIES = "select d.id::text as id, d.created_at::text as k, " + DELIVERY_JSON + " as doc "
            + "from webhook_delivery d where d.subscription_id = $1 %s order by d.created_at desc, d.id desc limit $2";
    private static final String REPLAY = """
            update webhook_delivery d set status = 'pending', next_attempt_at = now(), delivered_at = null, retry_until = now() + $3 * interval '1 millisecond'
            from webhook_subscription s
            where d.id = $1 and d.subscription_id = $2 and s.id = d.subscription_id and s.client_id = $4""";
    private static final String REPLAY_EVENT = """
            update webhook_delivery d set status = 'pending', next_attempt_at = now(), delivered_at = null, retry_until = now() + $3 * interval '1 millisecond'
            from webhook_subscription s
            where d.event_id = $1 and d.subscription_id = $2 and s.id = d.subscription_id and s.client_id = $4 returning d.id""";
    private static final String DELIVERY = "select " + DELIVERY_JSON + " as doc from webhook_delivery d where d.id = $1";
    private static final String FAN_OUT = """
            insert into webhook_delivery (id, subscription_id, event_id, event_type, payload, retry_until)
            select gen_random_uuid(), s.id, $1, $2::text, $3, now() + $4 * interval '1 millisecond'
            from webhook_subscription s join partner_client c on c.id = s.client_id
            where s.status = 'active' and c.status = 'active' and $2::text = any(s.event_types) and $5 = any(c.scopes)
            on conflict (subscription_id, event_id) do nothing""";
    private static final String PAUSED = """
            select s.url, s.consecutive_failures, s.client_id from webhook_subscription s where s.id = $1 and s.status = 'paused'""";

    private final Pool pool;
    private final WebhookTargets targets;
    private final PartnerConfig.Webhooks config;

    WebhookService(Pool pool, WebhookTargets targets, PartnerConfig config) {
        this.pool = pool;
        this.targets = targets;
        this.config = config.webhooks();
    }

    /** A new subscription's document and its signing secret, shown this once. */
    public record Created(String document, String signingSecret) {
    }

    public Uni<Created> subscribe(UUID client, Set<String> scopes, String url, List<String> eventTypes) {
        List<String> types = checkTypes(eventTypes, scopes);
        UUID id = UUID.randomUUID();
        String secret = WebhookSigner.newSecret();
        return targets.check(url).chain(target -> pool.withTransaction(conn -> conn.preparedQuery(LOCK_CLIENT).execute(Tuple.of(client))
                        .chain(locked -> {
                            if (locked.size() == 0) {
                                throw new ProblemException(PartnerProblems.CLIENT_REVOKED, "This client is revoked.");
                            }
                            return conn.preparedQuery(COUNT).execute(Tuple.of(client));
                        })
                        .chain(count -> {
                            if (Rows.first(count).getLong(0) >= config.maxSubscriptions()) {
                                throw new ProblemException(PartnerProblems.TOO_MANY_SUBSCRIPTIONS,
                                        "A client may hold " + config.maxSubscriptions() + " subscriptions; delete one first.");
                            }
                            return conn.preparedQuery(INSERT).execute(Tuple.of(id, client, url.strip(), types.toArray(String[]::new), secret));
                        })))
                .chain(() -> get(client, id)).map(doc -> new Created(doc, secret));
    }

    public Uni<String> get(UUID client, UUID id) {
        return pool.preparedQuery(ONE).execute(Tuple.of(id, client)).map(rows -> {
            Row r = Rows.first(rows);
            if (r == null) {
                throw ProblemException.notFound("Webhook subscription");
            }
            return Rows.doc(r);
        });
    }

    public Uni<String> list(UUID client) {
        return pool.preparedQuery(ALL).execute(Tuple.of(client)).map(rows -> "{\"data\":" + JsonText.compact(Rows.first(rows).getString(0)) + "}");
    }

    /** Changes the url, the event types or the status; resuming (active) starts the failure count again. */
    public Uni<String> update(UUID client, Set<String> scopes, UUID id, String url, List<String> eventTypes, String status) {
        if (status != null && !status.equals("active") && !status.equals("paused")) {
            throw ProblemException.invalid("status", "must be active or paused");
        }
        List<String> types = eventTypes == null ? null : checkTypes(eventTypes, scopes);
        Uni<Void> checked = url == null ? Uni.createFrom().voidItem() : targets.check(url).replaceWithVoid();
        return checked.chain(() -> pool.preparedQuery(UPDATE).execute(Tuple.from(new Object[] {id, client, url == null ? null : url.strip(),
                        types == null ? null : types.toArray(String[]::new), status})))
                .chain(rows -> get(client, id));
    }

    public Uni<Void> delete(UUID client, UUID id) {
        return pool.preparedQuery(DELETE).execute(Tuple.of(id, client)).map(rows -> {
            if (rows.rowCount() == 0) {
                throw ProblemException.notFound("Webhook subscription");
            }
            return null;
        });
    }

    /** The subscription's deliveries newest first, each with every attempt. */
    public Uni<String> deliveries(UUID client, UUID id, int limit, String cursor) {
        String where = "";
        Tuple params = Tuple.of(id, limit + 1);
        if (cursor != null) {
            Cursor c = Cursor.decode(cursor, "newest");
            try {
                params = Tuple.of(id, limit + 1, c.key(), UUID.fromString(c.id()));
            } catch (IllegalArgumentException e) {
                throw Cursor.invalid();
            }
            where = "and (d.created_at, d.id) < ($3::text::timestamptz, $4)";
        }
        Tuple p = params;
        String sql = DELIVERIES.formatted(where);
        return get(client, id).chain(() -> pool.preparedQuery(sql).execute(p)).map(rows -> Cursor.page(rows, limit, "newest"));
    }

    /** Sends a delivery again (whatever its state), with a fresh retry period; receivers dedupe by webhook-id. */
    public Uni<String> replay(UUID client, UUID subscription, UUID delivery) {
        return pool.preparedQuery(REPLAY).execute(Tuple.of(delivery, subscription, config.retryFor().toMillis(), client))
                .chain(rows -> {
                    if (rows.rowCount() == 0) {
                        throw ProblemException.notFound("Delivery");
                    }
                    return delivery(delivery);
                });
    }

    /** Like {@link #replay}, naming the event (the webhook-id the receiver saw). */
    public Uni<String> replayEvent(UUID client, UUID subscription, UUID eventId) {
        return pool.preparedQuery(REPLAY_EVENT).execute(Tuple.of(eventId, subscription, config.retryFor().toMillis(), client))
                .chain(rows -> {
                    Row r = Rows.first(rows);
                    if (r == null) {
                        throw ProblemException.notFound("Delivery of that event");
                    }
                    return delivery(r.getUUID("id"));
                });
    }

    private Uni<String> delivery(UUID id) {
        return pool.preparedQuery(DELIVERY).execute(Tuple.of(id)).map(rows -> Rows.doc(Rows.first(rows)));
    }

    /**
     * One delivery per active subscription to the event's type, of an active client holding the type's
     * scope; once per (subscription, event), however often the outbox hands the event over.
     */
    Uni<Void> fanOut(UUID eventId, String topic, JsonObject payload) {
        WebhookEvents.Type type = WebhookEvents.ofTopic(topic);
        if (type == null || !WebhookEvents.forPartners(topic, payload)) {
            return Uni.createFrom().voidItem();
        }
        JsonObject envelope = new JsonObject().put("id", eventId.toString()).put("type", type.name())
                .put("timestamp", OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .put("data", WebhookEvents.data(topic, type, payload));
        return pool.preparedQuery(FAN_OUT).execute(Tuple.of(eventId, type.name(), envelope, config.retryFor().toMillis(), type.scope()))
                .replaceWithVoid();
    }

    /** What the pause email says: the url, how many failures and the client; null when it is not paused any more. */
    Uni<Row> paused(UUID subscription) {
        return pool.preparedQuery(PAUSED).execute(Tuple.of(subscription)).map(Rows::first);
    }

    static List<String> checkTypes(List<String> eventTypes, Set<String> scopes) {
        if (eventTypes == null || eventTypes.isEmpty()) {
            throw ProblemException.invalid("event_types", "name at least one event type");
        }
        for (String t : eventTypes) {
            WebhookEvents.Type type = WebhookEvents.TYPES.get(t);
            if (type == null) {
                throw ProblemException.invalid("event_types", "unknown event type '" + t + "'; known: " + String.join(", ", WebhookEvents.TYPES.keySet()));
            }
            if (!scopes.contains(type.scope())) {
                throw new ProblemException(PartnerProblems.EVENT_NOT_GRANTED, "Event type " + t + " needs the scope " + type.scope() + ".");
            }
        }
        return List.copyOf(new LinkedHashSet<>(eventTypes));
    }
}
