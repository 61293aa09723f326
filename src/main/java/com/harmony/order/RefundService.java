package com.harmony.order;

import com.harmony.order.OrderMoves.Locked;
import com.harmony.order.OrderService.Actor;
import com.harmony.payment.PaymentProvider;
import com.harmony.platform.Money;
import com.harmony.platform.NewestFirst;
import com.harmony.platform.ProblemException;
import com.harmony.platform.Rows;
import com.harmony.platform.ScheduledRounds;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Money going back to buyers. A refund is first recorded as a pending intent, in the transaction of
 * the move that causes it (cancel, full or partial refund, return, late capture), with the amount
 * already reserved on the order and its lines. Only then is the provider called, with the refund's id
 * as its idempotency key; success settles it in one transaction, failure leaves it pending with the
 * error and a backoff, and {@link RefundWorker} (or support, through retry) tries again. Attempts hold
 * a lease in PostgreSQL, so two instances never run the same refund at once and a crashed attempt is
 * picked up when its lease ends.
 */
@ApplicationScoped
public class RefundService {

    private static final Logger LOG = Logger.getLogger(RefundService.class);

    private static final String INSERT = """
            insert into payment_refund (order_id, return_id, kind, reason, amount_minor, currency, requested_by, requested_role, note)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id""";
    private static final String RESERVE_ON_ORDER = """
            update orders set refunded_minor = refunded_minor + $2, version = version + 1, updated_at = now()
            where id = $1 and refunded_minor + $2 <= total_minor""";
    private static final String CLAIM_ONE = """
            update payment_refund r set attempts = r.attempts + 1, next_attempt_at = now() + $2 * interval '1 millisecond',
                leased_until = now() + $2 * interval '1 millisecond'
            from orders o
            where r.id = $1 and o.id = r.order_id and r.status = 'pending' and r.next_attempt_at <= now()
              and (r.leased_until is null or r.leased_until <= now())
            returning r.id, r.kind, r.amount_minor, r.currency, o.payment_reference""";
    private static final String CLAIM_DUE = """
            update payment_refund r set attempts = r.attempts + 1, next_attempt_at = now() + $2 * interval '1 millisecond',
                leased_until = now() + $2 * interval '1 millisecond'
            from orders o
            where o.id = r.order_id and r.id in (
                select id from payment_refund where status = 'pending' and next_attempt_at <= now()
                  and (leased_until is null or leased_until <= now())
                order by next_attempt_at limit $1 for update skip locked)
            returning r.id, r.kind, r.amount_minor, r.currency, o.payment_reference""";
    private static final String FAILED = """
            update payment_refund set last_error = $2, leased_until = null,
                next_attempt_at = now() + least($3 * power(2, least(greatest(attempts - 1, 0), 30)), $4) * interval '1 millisecond'
            where id = $1 and status = 'pending'""";
    private static final String SUCCEEDED = """
            update payment_refund set status = 'succeeded', provider_reference = $2, completed_at = now(), last_error = null,
                leased_until = null
            where id = $1 and status = 'pending' returning order_id, return_id, kind, reason, amount_minor""";
    private static final String SETTLED_TOTALS = """
            select coalesce(sum(amount_minor) filter (where status = 'succeeded' and kind = 'refund'), 0)::bigint as settled,
                   count(*) filter (where status = 'pending' and kind = 'refund') as pending,
                   (select coalesce(sum(line_total_minor - refunded_minor - exchanged_quantity * unit_price_minor), 0)
                    from order_line where order_id = $1)::bigint as owed
            from payment_refund where order_id = $1""";
    private static final String RETURN_REFERENCE = "update order_return set refund_reference = $2 where id = $1";
    /** The exchange a replacement order made, and the order it replaced. */
    private static final String EXCHANGE_OF = "select id, order_id from order_return where exchange_order_id = $1 and status = 'exchanged'";
    /** The replaced units' value moves from each line's exchange budget to its refund budget; answers it per line. */
    private static final String EXCHANGE_TO_REFUND = """
            update order_line l set exchanged_quantity = l.exchanged_quantity - rl.quantity,
                   refunded_minor = l.refunded_minor + l.unit_price_minor * rl.quantity
            from order_return_line rl
            where rl.return_id = $1 and l.order_id = $2 and l.line_no = rl.line_no
            returning (l.unit_price_minor * rl.quantity)::bigint as amount""";
    private static final String SUPERSEDE_RELEASES = """
            update payment_refund set status = 'superseded', completed_at = now()
            where order_id = $1 and kind = 'release' and status = 'pending'""";
    private static final String MAKE_DUE = """
            update payment_refund r set next_attempt_at = now() from orders o
            where r.id = $1 and r.status = 'pending' and o.id = r.order_id returning r.id, o.account_id""";
    private static final String STATUS = "select status from payment_refund where id = $1";
    private static final String ORDER_OF = "select order_id from payment_refund where id = $1";

    static final String REFUND_JSON = """
            json_build_object('id', r.id, 'order_id', r.order_id, 'order_number', o.number, 'kind', r.kind, 'reason', r.reason,
                'amount', json_build_object('amount_minor', r.amount_minor, 'currency', r.currency), 'status', r.status,
                'return_id', r.return_id, 'attempts', r.attempts, 'last_error', r.last_error,
                'next_attempt_at', case when r.status = 'pending' then rfc3339(r.next_attempt_at) end,
                'note', r.note, 'created_at', rfc3339(r.created_at), 'completed_at', rfc3339(r.completed_at))::text""";
    private static final NewestFirst LISTING = new NewestFirst("payment_refund r join orders o on o.id = r.order_id", "r", "created_at",
            "refunds", REFUND_JSON);
    private static final String BY_ID = "select " + REFUND_JSON + " as doc from payment_refund r join orders o on o.id = r.order_id where r.id = $1";

    private final Pool pool;
    private final PaymentProvider payments;
    private final OrderMoves moves;
    private final RefundConfig config;

    RefundService(Pool pool, PaymentProvider payments, OrderMoves moves, RefundConfig config) {
        this.pool = pool;
        this.payments = payments;
        this.moves = moves;
        this.config = config;
    }

    /** What a refund is for; kind "release" gives back an authorisation that was never captured. */
    record Intent(String kind, String reason, Money amount, UUID returnId, Actor actor, String note) {

        static Intent refund(String reason, Money amount, UUID returnId, Actor actor, String note) {
            return new Intent("refund", reason, amount, returnId, actor, note);
        }

        /** An exchange paid back because its replacement was cancelled or refunded. */
        static Intent exchangePaidBack(Money amount, UUID returnId, Actor actor) {
            return refund("return", amount, returnId, actor, EXCHANGE_REASON);
        }

        boolean paysBackAnExchange() {
            return "refund".equals(kind) && EXCHANGE_REASON.equals(note);
        }
    }

    /** The note of an exchange paid back because its replacement was cancelled or refunded. */
    static final String EXCHANGE_REASON = "the replacement order was cancelled";

    // ------------------------------------------------------------------ inside the caller's transaction

    /**
     * Records the intent on the locked order: the amount is reserved on the order (never beyond its
     * total), the payment becomes refund_pending and order.refund_requested is written. The caller has
     * already reserved the amount on the lines.
     */
    Uni<UUID> record(SqlConnection conn, Locked o, Intent i) {
        boolean refund = "refund".equals(i.kind());
        // a replacement's exchange paid back draws on the value the exchange left captured, even once the rest went back
        boolean holds = i.paysBackAnExchange() ? o.payment().holdsExchangedMoney() : o.payment().holdsCapturedMoney();
        if (refund && (!holds || i.amount().amountMinor() == 0)) {
            return Uni.createFrom().failure(new ProblemException(OrderProblems.NOT_REFUNDABLE, "Nothing was paid for this that "
                    + "could go back: the payment is " + o.payment() + "."));
        }
        Uni<Locked> reserved = !refund ? Uni.createFrom().item(o)
                : conn.preparedQuery(RESERVE_ON_ORDER).execute(Tuple.of(o.id(), i.amount().amountMinor())).map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new ProblemException(OrderProblems.REFUND_EXCEEDS_BALANCE, "The order has less than "
                                + i.amount().amountMinor() + " left to refund.");
                    }
                    return o;
                }).chain(locked -> moves.payment(conn, locked, PaymentStatus.refund_pending));
        return reserved.chain(locked -> conn.preparedQuery(INSERT).execute(Tuple.from(new Object[] {o.id(), i.returnId(), i.kind(),
                        i.reason(), i.amount().amountMinor(), i.amount().currency(), i.actor().id(), i.actor().role(), i.note()}))
                .map(rows -> Rows.first(rows).getUUID("id"))
                .call(id -> moves.audited(conn, "refund.requested", "refund", id, o.accountId(), i.actor()))
                .call(id -> refund ? moves.event(conn, o.id(), "order.refund_requested", OrderMoves.orderPayload(locked, i.actor())
                        .put("refund", refundPayload(id, i.amount(), i.reason(), i.returnId()))) : Uni.createFrom().voidItem()));
    }

    /**
     * A replacement order was cancelled: the buyer sent goods back and now gets nothing in their place, so the exchange
     * becomes a refund on the order it replaced. Each line's replaced units move back into its refund budget (the same
     * value, so the budget still holds), the return becomes refund_pending and the refund is recorded. Null when the
     * cancelled order replaces nothing. If the original order can no longer pay out, the cancel is refused as a whole.
     */
    Uni<UUID> exchangeCancelled(SqlConnection conn, UUID replacementId, Actor actor) {
        return conn.preparedQuery(EXCHANGE_OF).execute(Tuple.of(replacementId)).chain(rows -> {
            Row exchange = Rows.first(rows);
            if (exchange == null) {
                return Uni.createFrom().nullItem();
            }
            UUID returnId = exchange.getUUID("id");
            return moves.lock(conn, exchange.getUUID("order_id")).chain(original -> {
                if (!original.payment().holdsExchangedMoney()) {
                    throw new ProblemException(OrderProblems.NOT_REFUNDABLE, "This order replaces items of order " + original.number()
                            + ", whose payment is " + original.payment() + ": cancelling it could not pay the buyer back. Contact support.");
                }
                return conn.preparedQuery(EXCHANGE_TO_REFUND).execute(Tuple.of(returnId, original.id()))
                        .map(lines -> new Money(java.util.stream.StreamSupport.stream(lines.spliterator(), false)
                                .mapToLong(l -> l.getLong("amount")).sum(), original.currency()))
                        .call(() -> moves.moveReturn(conn, returnId, ReturnStatus.exchanged, ReturnStatus.refund_pending, actor,
                                EXCHANGE_REASON))
                        .chain(amount -> conn.preparedQuery(ReturnService.SET_REFUND_AMOUNT).execute(Tuple.of(returnId, amount.amountMinor()))
                                // units that cost nothing pay nothing back: the exchange just ends
                                .chain(() -> amount.amountMinor() == 0 ? freeExchangeEnded(conn, original, returnId, actor)
                                        : record(conn, original, Intent.exchangePaidBack(amount, returnId, actor))));
            });
        });
    }

    private Uni<UUID> freeExchangeEnded(SqlConnection conn, Locked original, UUID returnId, Actor actor) {
        return moves.moveReturn(conn, returnId, ReturnStatus.refund_pending, ReturnStatus.refunded, actor, EXCHANGE_REASON)
                .chain(() -> moves.returnEvent(conn, original, returnId, "return.refunded", ReturnStatus.refunded, actor))
                .replaceWith((UUID) null);
    }

    /** A capture that landed after the order was cancelled: any pending release is moot, the money goes back. */
    Uni<UUID> recordLateCapture(SqlConnection conn, Locked o, Actor actor) {
        return conn.preparedQuery(SUPERSEDE_RELEASES).execute(Tuple.of(o.id()))
                .chain(() -> moves.payment(conn, o, PaymentStatus.captured))
                .chain(captured -> conn.preparedQuery(OrderSql.RESERVE_REMAINING).execute(Tuple.of(o.id()))
                        .map(rows -> new Money(Rows.first(rows).getLong("remaining"), o.currency()))
                        .chain(owed -> record(conn, captured, Intent.refund("late_capture", owed, null, actor,
                                "captured after the order was cancelled"))));
    }

    // ------------------------------------------------------------------ attempts

    /**
     * One attempt at a refund, if nobody else holds it. Never fails: the intent is committed already, so
     * whatever goes wrong here stays recorded on the refund (or its lease runs out) and the worker retries.
     */
    public Uni<Void> attempt(UUID refundId) {
        return pool.preparedQuery(CLAIM_ONE).execute(Tuple.of(refundId, config.lease().toMillis()))
                .chain(rows -> {
                    Row claimed = Rows.first(rows);
                    return claimed == null ? Uni.createFrom().voidItem() : attemptClaimed(claimed).replaceWithVoid();
                })
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("Refund %s not attempted now (%s); the worker will", refundId, e.getClass().getSimpleName());
                    return null;
                });
    }

    /**
     * One worker round: claims due refunds (SKIP LOCKED, so instances share them) and attempts them all at once, so the
     * round ends within one provider call's timeout, inside every claim's lease (one after another, a slow provider
     * would let the last claims run out and another instance call for them too); answers how many settled.
     */
    public Uni<Integer> runDue() {
        return round().map(ScheduledRounds.Round::done);
    }

    /** Rounds while they come back full and settle something: every refund due is tried in one poll, however many. */
    Uni<Integer> drainDue() {
        return ScheduledRounds.drain(this::round, config.batchSize());
    }

    private Uni<ScheduledRounds.Round> round() {
        return pool.preparedQuery(CLAIM_DUE).execute(Tuple.of(config.batchSize(), config.lease().toMillis()))
                .chain(rows -> ScheduledRounds.attemptAll(rows, this::attemptClaimed));
    }

    /** Calls the provider for a claimed refund; true when it settled. */
    private Uni<Boolean> attemptClaimed(Row claimed) {
        UUID id = claimed.getUUID("id");
        String reference = claimed.getString("payment_reference");
        Uni<String> call = "release".equals(claimed.getString("kind"))
                ? payments.release(reference).replaceWith(reference)
                : payments.refund(reference, new Money(claimed.getLong("amount_minor"), claimed.getString("currency")), id.toString());
        return call.onItem().transformToUni(providerRef -> pool.withTransaction(conn -> settle(conn, id, providerRef)))
                .map(v -> true)
                .onFailure(PaymentProvider.AlreadyCaptured.class).recoverWithUni(e -> refundLateCapture(id, e))
                .onFailure().recoverWithUni(e -> failed(id, e).map(v -> false));
    }

    /**
     * The gateway refused a release because it had captured the payment after all (the capture's answer was lost, then
     * the buyer cancelled): the money was taken, so the release gives way to a refund of it, attempted at once.
     */
    private Uni<Boolean> refundLateCapture(UUID releaseId, Throwable refused) {
        return pool.withTransaction(conn -> lockOrderOf(conn, releaseId)
                        .chain(o -> o.payment() == PaymentStatus.authorised || o.payment() == PaymentStatus.released
                                ? recordLateCapture(conn, o, Actor.SYSTEM) : Uni.createFrom().<UUID>nullItem()))
                .chain(refundId -> {
                    if (refundId == null) {
                        return failed(releaseId, refused); // the books already hold the capture: left for support, with its error
                    }
                    LOG.warnf("Release %s refused: the payment was captured; refunding it instead (refund %s)", releaseId, refundId);
                    return attempt(refundId);
                })
                .replaceWith(false);
    }

    private Uni<Void> failed(UUID id, Throwable e) {
        String why = e instanceof ProblemException p ? p.type().slug() + ": " + p.getMessage() : e.getClass().getSimpleName();
        LOG.warnf("Refund %s not settled, retried later: %s", id, why);
        return pool.preparedQuery(FAILED).execute(Tuple.of(id, why.length() > 500 ? why.substring(0, 500) : why,
                        config.retryBackoff().toMillis(), config.maxBackoff().toMillis()))
                .replaceWithVoid()
                .onFailure().recoverWithItem(f -> {
                    LOG.warnf("Could not record the failure of refund %s (%s); its lease will run out and it is retried",
                            id, f.getClass().getSimpleName());
                    return null;
                });
    }

    /**
     * The provider paid it back: the refund succeeds once (compare-and-set), and the order, its return
     * and its payment status follow in the same transaction.
     */
    private Uni<Void> settle(SqlConnection conn, UUID refundId, String providerRef) {
        return lockOrderOf(conn, refundId)
                .chain(o -> conn.preparedQuery(SUCCEEDED).execute(Tuple.of(refundId, providerRef)).chain(rows -> {
                    Row r = Rows.first(rows);
                    if (r == null) {
                        return Uni.createFrom().voidItem(); // settled meanwhile by another attempt
                    }
                    if ("release".equals(r.getString("kind"))) {
                        return moves.payment(conn, o, PaymentStatus.released).replaceWithVoid();
                    }
                    Money amount = new Money(r.getLong("amount_minor"), o.currency());
                    return settled(conn, o, refundId, amount, r.getString("reason"), r.getUUID("return_id"), providerRef);
                }));
    }

    /** Locks the order a refund belongs to, as every move of its money does first. */
    private Uni<Locked> lockOrderOf(SqlConnection conn, UUID refundId) {
        return conn.preparedQuery(ORDER_OF).execute(Tuple.of(refundId)).chain(rows -> moves.lock(conn, Rows.first(rows).getUUID("order_id")));
    }

    private Uni<Void> settled(SqlConnection conn, Locked o, UUID refundId, Money amount, String reason, UUID returnId, String providerRef) {
        Actor system = Actor.SYSTEM;
        return conn.preparedQuery(SETTLED_TOTALS).execute(Tuple.of(o.id())).chain(rows -> {
            Row t = Rows.first(rows);
            long settled = t.getLong("settled");
            boolean pendingLeft = t.getLong("pending") > 0;
            boolean full = !pendingLeft && t.getLong("owed") == 0;
            JsonObject payload = OrderMoves.orderPayload(o, system).put("refunded", OrderMoves.money(new Money(settled, o.currency())))
                    .put("refund", refundPayload(refundId, amount, reason, returnId));
            Uni<Void> chain = moves.payment(conn, o, PaymentStatus.afterRefunds(pendingLeft, full))
                    .chain(paid -> finishOrder(conn, paid, pendingLeft, full))
                    .chain(() -> moves.event(conn, o.id(), full ? "order.refunded" : "order.partially_refunded", payload));
            if (returnId != null) {
                chain = chain.chain(() -> moves.moveReturn(conn, returnId, ReturnStatus.refund_pending, ReturnStatus.refunded, null, null))
                        .chain(() -> conn.preparedQuery(RETURN_REFERENCE).execute(Tuple.of(returnId, providerRef)))
                        .chain(() -> moves.returnEvent(conn, o, returnId, "return.refunded", ReturnStatus.refunded, system));
            }
            return chain;
        });
    }

    /**
     * A full refund under way ends once nothing is pending; returns or partial refunds that gave back
     * everything end the order too (a paid order then never ships).
     */
    private Uni<Void> finishOrder(SqlConnection conn, Locked o, boolean pendingLeft, boolean full) {
        boolean done = (o.status() == OrderStatus.refunding && !pendingLeft) || (full && o.status().refundable());
        if (!done) {
            return Uni.createFrom().voidItem();
        }
        // a paid order refunded to the last unit never ships: its units go back, as a full refund's do
        Uni<Void> restocked = o.status() == OrderStatus.paid
                ? moves.restockAll(conn, o, com.harmony.catalog.CatalogService.StockReason.order_refunded, Actor.SYSTEM)
                : Uni.createFrom().voidItem();
        return restocked.chain(() -> moves.move(conn, o, OrderStatus.refunded, Actor.SYSTEM, "refund settled by the provider")).replaceWithVoid();
    }

    // ------------------------------------------------------------------ support

    /** Support asks for another attempt now (audited with the request, P24); answers the refund as it then stands. */
    public Uni<String> retry(UUID refundId, Actor actor) {
        return pool.withTransaction(conn -> conn.preparedQuery(MAKE_DUE).execute(Tuple.of(refundId))
                        .call(rows -> rows.size() == 1 ? moves.audited(conn, "refund.retried", "refund", refundId,
                                Rows.first(rows).getUUID("account_id"), actor) : Uni.createFrom().voidItem()))
                .chain(rows -> rows.size() == 1 ? attempt(refundId) : notPending(refundId))
                .chain(() -> document(refundId));
    }

    private Uni<Void> notPending(UUID refundId) {
        return pool.preparedQuery(STATUS).execute(Tuple.of(refundId)).map(rows -> {
            Row r = Rows.first(rows);
            if (r == null) {
                throw ProblemException.notFound("Refund " + refundId);
            }
            throw new ProblemException(OrderProblems.REFUND_NOT_PENDING, "This refund is " + r.getString("status") + "; nothing to retry.");
        });
    }

    public Uni<String> document(UUID refundId) {
        return pool.preparedQuery(BY_ID).execute(Tuple.of(refundId))
                .map(rows -> Rows.doc(OrderService.require(Rows.first(rows), "Refund " + refundId)));
    }

    /** Refunds newest first, optionally in one status; keyset-paginated. */
    public Uni<String> refunds(String status, int limit, String cursor) {
        return LISTING.page(pool, "status", status, limit, cursor);
    }

    static JsonObject refundPayload(UUID id, Money amount, String reason, UUID returnId) {
        return new JsonObject().put("id", id.toString()).put("amount", OrderMoves.money(amount)).put("reason", reason)
                .put("return_id", returnId == null ? null : returnId.toString());
    }
}
