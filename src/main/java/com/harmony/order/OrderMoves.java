package com.harmony.order;

import com.harmony.catalog.CatalogService;
import com.harmony.order.OrderService.Actor;
import com.harmony.platform.Money;
import com.harmony.platform.Outbox;
import com.harmony.platform.ProblemException;
import com.harmony.platform.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * The one path by which an order changes: every status and payment-status write happens here, on the
 * caller's transaction, with the order's row locked first. A move is a compare-and-set on the status
 * plus its history row plus its outbox event, so an event exists exactly when its change committed.
 * Every money path locks the order before it touches lines, refunds or returns, which serialises them.
 * Statements that do not need each other's answers are sent together on the connection (PostgreSQL
 * runs them in order; one round trip instead of several), so these methods need the caller's transaction.
 */
@ApplicationScoped
class OrderMoves {

    private static final String LOCK = """
            select id, number, account_id, status, payment_status, currency, total_minor, refunded_minor, payment_reference, exchange_of
            from orders where id = $1 for update""";
    /** An exchange's original, locked before its replacement (see {@link #lockWithOriginal}). */
    private static final String LOCK_ORIGINAL = """
            select o.id from orders r join orders o on o.id = r.exchange_of where r.id = $1 for update of o""";
    private static final String MOVE = """
            update orders set status = $3, version = version + 1, updated_at = now() where id = $1 and status = $2""";
    /** A move that changes the payment status too, in one row version (see {@link #move(SqlConnection, Locked, OrderStatus, PaymentStatus, Actor, String)}). */
    private static final String MOVE_AND_PAY = """
            update orders set status = $3, payment_status = $5, version = version + 1, updated_at = now()
            where id = $1 and status = $2 and payment_status = $4""";
    private static final String SET_PAYMENT = """
            update orders set payment_status = $3, version = version + 1, updated_at = now() where id = $1 and payment_status = $2""";
    private static final String RECORD_TRANSITION = """
            insert into order_transition (order_id, from_status, to_status, actor_id, actor_role, note)
            values ($1, $2, $3, $4, $5, $6)""";
    private static final String CLOSE_OPEN_RETURNS = """
            update order_return set status = 'rejected', decided_by = $2, decision_note = $3, decided_at = now()
            where order_id = $1 and status = 'requested' returning id""";
    private static final String GIVE_BACK_UNITS = """
            update order_line l set returned_quantity = l.returned_quantity - rl.quantity
            from order_return_line rl where rl.return_id = $1 and l.order_id = $2 and l.line_no = rl.line_no""";

    private final Outbox outbox;

    private final com.harmony.platform.Audit audit;

    private final CatalogService catalog;

    OrderMoves(Outbox outbox, com.harmony.platform.Audit audit, CatalogService catalog) {
        this.outbox = outbox;
        this.audit = audit;
        this.catalog = catalog;
    }

    /** Puts every line's units back on hand (an order that will never ship), in variant-id order so two restocks never deadlock. */
    Uni<Void> restockAll(SqlConnection conn, Locked o, CatalogService.StockReason reason, Actor actor) {
        return conn.preparedQuery(OrderSql.LINES).execute(Tuple.of(o.id())).chain(rows -> {
            List<Row> lines = new ArrayList<>();
            rows.forEach(lines::add);
            lines.sort(Comparator.comparing(r -> r.getUUID("variant_id")));
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Row l : lines) {
                chain = chain.chain(() -> catalog.restock(conn, l.getUUID("variant_id"), l.getInteger("quantity"), reason, o.number(), actor.staffId()));
            }
            return chain;
        });
    }

    /** A staff member's move is audited on the same connection (P24); the buyer's own and the system's are not. */
    Uni<Void> audited(io.vertx.mutiny.sqlclient.SqlClient conn, String action, String targetType, UUID target, UUID subject, Actor actor) {
        return audited(conn, () -> audit.entry(action, targetType, target, subject), actor);
    }

    /** The entry is made only for staff: making one reads the caller's token, which a scheduled job (CaptureWorker) has none of. */
    private Uni<Void> audited(io.vertx.mutiny.sqlclient.SqlClient conn, java.util.function.Supplier<com.harmony.platform.Audit.Entry> entry, Actor actor) {
        boolean staff = actor != null && ("admin".equals(actor.role()) || "support".equals(actor.role()));
        return staff ? audit.write(conn, entry.get()) : Uni.createFrom().voidItem();
    }

    /** An order as a locked aggregate: read FOR UPDATE at the start of every money or status change. */
    record Locked(UUID id, String number, UUID accountId, OrderStatus status, PaymentStatus payment, String currency,
            long totalMinor, long refundedMinor, String paymentReference, UUID exchangeOf) {

        Money total() {
            return new Money(totalMinor, currency);
        }

        Locked with(OrderStatus s) {
            return new Locked(id, number, accountId, s, payment, currency, totalMinor, refundedMinor, paymentReference, exchangeOf);
        }

        Locked with(PaymentStatus p) {
            return new Locked(id, number, accountId, status, p, currency, totalMinor, refundedMinor, paymentReference, exchangeOf);
        }
    }

    Uni<Locked> lock(SqlConnection conn, UUID orderId) {
        return conn.preparedQuery(LOCK).execute(Tuple.of(orderId)).map(rows -> {
            Row r = Rows.first(rows);
            if (r == null) {
                throw ProblemException.notFound("Order " + orderId);
            }
            return new Locked(r.getUUID("id"), r.getString("number"), r.getUUID("account_id"), OrderStatus.valueOf(r.getString("status")),
                    PaymentStatus.valueOf(r.getString("payment_status")), r.getString("currency"), r.getLong("total_minor"),
                    r.getLong("refunded_minor"), r.getString("payment_reference"), r.getUUID("exchange_of"));
        });
    }

    /**
     * Locks an order, an exchange's original first when it is a replacement: a replacement's cancel or refund pays its
     * exchange back on the original, and two of them taking the locks in opposite orders (or the replacement's foreign key
     * check taking a share of the original's) deadlocked. Every path that locks both takes them in this order.
     */
    Uni<Locked> lockWithOriginal(SqlConnection conn, UUID orderId) {
        return conn.preparedQuery(LOCK_ORIGINAL).execute(Tuple.of(orderId)).chain(() -> lock(conn, orderId));
    }

    /** A new order's first history row and its order.placed event, sent together (one round trip). */
    Uni<Void> created(SqlConnection conn, UUID orderId, String number, UUID accountId, Money total, Actor actor, String note) {
        return Uni.combine().all().unis(history(conn, orderId, null, OrderStatus.placed, actor, note),
                event(conn, orderId, "order.placed", new JsonObject().put("order_id", orderId.toString())
                        .put("order_number", number).put("account_id", accountId == null ? null : accountId.toString())
                        .put("status", OrderStatus.placed.name()).put("total", money(total)))).discardItems();
    }

    /**
     * Moves the order along the allowed-transitions table: compare-and-set, history, event
     * {@code order.<status>}. Reaching refunded announces no status event of its own: the settled
     * refund's {@code order.refunded} carries it.
     */
    Uni<Locked> move(SqlConnection conn, Locked o, OrderStatus to, Actor actor, String note) {
        return move(conn, o, to, o.payment(), actor, note);
    }

    /**
     * The move, with the payment status moved in the same update (a capture's placed → paid). Both columns
     * are indexed, so no update of an order is in place: two updates wrote every index of the order twice.
     */
    Uni<Locked> move(SqlConnection conn, Locked o, OrderStatus to, PaymentStatus payment, Actor actor, String note) {
        if (!o.status().canMoveTo(to)) {
            return Uni.createFrom().failure(OrderService.illegal(o.status(), to));
        }
        if (payment != o.payment() && !o.payment().canMoveTo(payment)) {
            return Uni.createFrom().failure(new IllegalStateException("payment " + o.payment() + " cannot become " + payment));
        }
        Locked paid = o.with(payment);
        // The compare-and-set, its history row, audit entry and event go out together (pipelined, one
        // round trip). A lost compare-and-set throws once every answer is in, and the caller's
        // transaction takes the rest back with it.
        return Uni.combine().all().unis(
                        payment == o.payment() ? conn.preparedQuery(MOVE).execute(Tuple.of(o.id(), o.status().name(), to.name()))
                                : conn.preparedQuery(MOVE_AND_PAY).execute(Tuple.of(o.id(), o.status().name(), to.name(), o.payment().name(), payment.name())),
                        history(conn, o.id(), o.status(), to, actor, note),
                        audited(conn, "order." + to.name(), "order", o.id(), o.accountId(), actor),
                        to == OrderStatus.refunded ? Uni.createFrom().voidItem()
                                : event(conn, o.id(), "order." + to, orderPayload(paid, actor).put("status", to.name())
                                        .put("previous_status", o.status().name())))
                .with((moved, historyRow, auditRow, eventRow) -> {
                    if (moved.rowCount() == 0) {
                        throw new ProblemException(OrderProblems.ILLEGAL_TRANSITION, "The order changed meanwhile; read it again.");
                    }
                    return paid.with(to);
                });
    }

    /** Moves the payment status along its table; staying where it is costs nothing. */
    Uni<Locked> payment(SqlConnection conn, Locked o, PaymentStatus to) {
        if (o.payment() == to) {
            return Uni.createFrom().item(o);
        }
        if (!o.payment().canMoveTo(to)) {
            return Uni.createFrom().failure(new IllegalStateException("payment " + o.payment() + " cannot become " + to));
        }
        return conn.preparedQuery(SET_PAYMENT).execute(Tuple.of(o.id(), o.payment().name(), to.name()))
                .invoke(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new IllegalStateException("payment status of " + o.id() + " changed under its lock");
                    }
                })
                .map(rows -> o.with(to));
    }

    private static final String MOVE_RETURN = """
            update order_return set status = $3, decided_by = coalesce($4, decided_by), decision_note = coalesce($5, decision_note),
                decided_at = coalesce(decided_at, now())
            where id = $1 and status = $2""";

    /**
     * Moves a return along {@link ReturnStatus}'s table with a compare-and-set; false when the return
     * was not in {@code from} any more (decided meanwhile). The order must be locked by the caller.
     */
    Uni<Boolean> moveReturn(SqlConnection conn, UUID returnId, ReturnStatus from, ReturnStatus to, Actor actor, String note) {
        if (!from.canMoveTo(to)) {
            return Uni.createFrom().failure(new IllegalStateException("a return that is " + from + " cannot become " + to));
        }
        return conn.preparedQuery(MOVE_RETURN).execute(Tuple.from(new Object[] {returnId, from.name(), to.name(),
                actor == null ? null : actor.id(), note})).map(rows -> rows.rowCount() == 1)
                .call(moved -> moved ? audited(conn, () -> audit.entry("return." + to.name(), "return", returnId, null)
                        .about("select o.account_id from order_return r join orders o on o.id = r.order_id where r.id = $5::varchar::uuid"), actor)
                        : Uni.createFrom().voidItem());
    }

    /** Rejects the order's returns still waiting for a decision and frees their units, with one event each. */
    Uni<Void> closeOpenReturns(SqlConnection conn, Locked o, Actor actor, String why) {
        if (!ReturnStatus.requested.canMoveTo(ReturnStatus.rejected)) {
            return Uni.createFrom().failure(new IllegalStateException("open returns can no longer be rejected"));
        }
        return conn.preparedQuery(CLOSE_OPEN_RETURNS).execute(Tuple.of(o.id(), actor.id(), why)).chain(rows -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Row r : rows) {
                UUID returnId = r.getUUID("id");
                chain = chain.chain(() -> conn.preparedQuery(GIVE_BACK_UNITS).execute(Tuple.of(returnId, o.id())))
                        .chain(() -> returnEvent(conn, o, returnId, "return.rejected", ReturnStatus.rejected, actor));
            }
            return chain;
        });
    }

    Uni<Void> returnEvent(SqlConnection conn, Locked o, UUID returnId, String topic, ReturnStatus status, Actor actor) {
        JsonObject payload = orderPayload(o, actor).put("return_id", returnId.toString());
        return event(conn, o.id(), topic, status == null ? payload : payload.put("return_status", status.name()));
    }

    Uni<Void> event(SqlConnection conn, UUID orderId, String topic, JsonObject payload) {
        return outbox.append(conn, topic, orderId, payload).replaceWithVoid();
    }

    /** What order events carry: ids and amounts, never names, addresses or card data (P19). */
    static JsonObject orderPayload(Locked o, Actor actor) {
        return new JsonObject().put("order_id", o.id().toString()).put("order_number", o.number())
                .put("account_id", o.accountId() == null ? null : o.accountId().toString())
                .put("total", money(o.total())).put("actor_role", actor.role());
    }

    static JsonObject money(Money m) {
        return new JsonObject().put("amount_minor", m.amountMinor()).put("currency", m.currency());
    }

    private static Uni<Void> history(SqlConnection conn, UUID orderId, OrderStatus from, OrderStatus to, Actor actor, String note) {
        return conn.preparedQuery(RECORD_TRANSITION)
                .execute(Tuple.from(new Object[] {orderId, from == null ? null : from.name(), to.name(), actor.id(), actor.role(), note}))
                .replaceWithVoid();
    }
}
