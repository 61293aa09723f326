package com.harmony.affiliate;

import com.harmony.platform.ScheduledRounds;
import com.harmony.platform.OutboxSubscriber;
import com.harmony.platform.Rows;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.UUID;

/**
 * Commissions follow the order's own events from the outbox. Each event is applied once (its id is
 * recorded in the same transaction), and what the events say is kept on the attributed order, so the
 * commission is recomputed from facts rather than adjusted by deltas: events arriving twice or out of
 * order give the same result. A commission is created when the order is paid, at the affiliate's rate
 * on the goods' value minus what was refunded; a cancel reverses it. Statuses: pending → approved
 * (after the return window) → paid (a payout run); reversed when nothing is earned.
 */
@ApplicationScoped
public class CommissionLedger implements OutboxSubscriber {

    private static final Set<String> TOPICS = Set.of("order.paid", "order.cancelled", "order.refunded", "order.partially_refunded");

    private static final String HAS_REFERRAL = "select 1 from affiliate_order where order_id = $1";
    private static final String APPLY_ONCE = "insert into affiliate_event_applied (event_id) values ($1) on conflict do nothing";
    private static final String FACTS = """
            update affiliate_order set refunded_minor = greatest(refunded_minor, $2), cancelled = cancelled or $3
            where order_id = $1 returning affiliate_id, outcome""";
    private static final String CREATE = """
            insert into commission (affiliate_id, order_id, currency, base_minor, rate_bp, amount_minor, status, approve_after)
            select o.affiliate_id, o.order_id, $2, $3, a.rate_bp, 0, 'pending', now() + $4 * interval '1 millisecond'
            from affiliate_order o join affiliate a on a.id = o.affiliate_id
            where o.order_id = $1 and o.outcome = 'attributed'
            on conflict (order_id) do nothing""";
    /** The one formula: rate × (goods value − refunds), nothing for a cancelled order; a paid commission keeps its status. */
    private static final String RECOMPUTE = """
            update commission c set
                amount_minor = case when o.cancelled then 0 else greatest(c.base_minor - o.refunded_minor, 0) * c.rate_bp / 10000 end,
                status = case when c.status = 'paid' then 'paid'
                              when o.cancelled or c.base_minor - o.refunded_minor <= 0 then 'reversed'
                              when c.status = 'reversed' then 'pending' else c.status end,
                updated_at = now()
            from affiliate_order o where o.order_id = c.order_id and c.order_id = $1""";
    private static final String APPROVE_DUE = """
            update commission set status = 'approved', updated_at = now() where status = 'pending' and approve_after <= now()""";

    private final Pool pool;
    private final AffiliateConfig config;

    CommissionLedger(Pool pool, AffiliateConfig config) {
        this.pool = pool;
        this.config = config;
    }

    @Override
    public boolean handles(String topic) {
        return TOPICS.contains(topic);
    }

    @Override
    public Uni<Void> handle(UUID eventId, String topic, JsonObject payload) {
        UUID orderId = UUID.fromString(payload.getString("order_id"));
        // Most orders came through no affiliate link: one read settles them, with no transaction and no
        // applied-marker row. An order's affiliate row is written at checkout, before it can be paid (P12).
        return pool.preparedQuery(HAS_REFERRAL).execute(Tuple.of(orderId)).chain(found -> found.size() == 0 ? Uni.createFrom().voidItem()
                : pool.withTransaction(conn -> conn.preparedQuery(APPLY_ONCE).execute(Tuple.of(eventId))
                        .chain(rows -> rows.rowCount() == 0 ? Uni.createFrom().voidItem() : apply(conn, orderId, topic, payload))));
    }

    private Uni<Void> apply(SqlConnection conn, UUID orderId, String topic, JsonObject payload) {
        JsonObject total = payload.getJsonObject("total");
        long refunded = switch (topic) {
            case "order.refunded" -> payload.containsKey("refunded") ? payload.getJsonObject("refunded").getLong("amount_minor")
                    : total.getLong("amount_minor");
            case "order.partially_refunded" -> payload.getJsonObject("refunded").getLong("amount_minor");
            default -> 0;
        };
        return conn.preparedQuery(FACTS).execute(Tuple.of(orderId, refunded, "order.cancelled".equals(topic)))
                .chain(rows -> Rows.first(rows) == null ? Uni.createFrom().voidItem() // not an attributed order
                        : ("order.paid".equals(topic) ? conn.preparedQuery(CREATE).execute(Tuple.of(orderId, total.getString("currency"),
                                total.getLong("amount_minor"), config.returnWindow().toMillis())).replaceWithVoid() : Uni.createFrom().voidItem())
                                .chain(() -> conn.preparedQuery(RECOMPUTE).execute(Tuple.of(orderId)))
                                .replaceWithVoid());
    }

    /** Commissions past the return window become approved: one statement, safe on every instance. */
    @Scheduled(every = "1h", delayed = "3m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> approveDue() {
        return ScheduledRounds.retriedNextRound("Commission approval", approveDueNow());
    }

    public Uni<Integer> approveDueNow() {
        return pool.query(APPROVE_DUE).execute().map(rows -> rows.rowCount());
    }
}
