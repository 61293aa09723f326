package com.harmony.order;

import com.harmony.platform.ClientAddress;
import com.harmony.platform.Hashes;
import com.harmony.platform.Rows;
import com.harmony.catalog.CatalogService;
import com.harmony.order.OrderRequests.GuestReturnRequest;
import com.harmony.order.OrderRequests.ReturnLineInput;
import com.harmony.order.OrderRequests.ReturnRequest;
import com.harmony.order.OrderService.Actor;
import com.harmony.order.OrderMoves.Locked;
import com.harmony.platform.Money;
import com.harmony.platform.NewestFirst;
import com.harmony.platform.ProblemException;
import com.harmony.platform.ProblemType;
import com.harmony.platform.Throttle;
import com.harmony.platform.Throttle.Limit;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * Returns (P9): a verified buyer asks to return lines of a delivered order; support approves (a refund
 * through the payment provider, or a replacement order for the same items) or rejects. Requested units
 * are held on the order line by a conditional update, so a line can never be returned twice over.
 * How the requester proved they bought the order is recorded for fraud review.
 */
@ApplicationScoped
public class ReturnService {

    /** Where a return request came from, for the fraud-review record. */
    public record Requester(String verifiedAs, UUID accountId, String email, String postalCode, String ip, String userAgent) {
    }

    private static final String GUEST_LOOKUP = "select id, email, billing_postal_code from orders where number = $1";
    private static final String HOLD_UNITS = """
            update order_line set returned_quantity = returned_quantity + $3
            where order_id = $1 and line_no = $2 and returned_quantity + $3 <= quantity""";
    private static final String LINE_EXISTS = "select 1 from order_line where order_id = $1 and line_no = $2";
    private static final String INSERT_RETURN = """
            insert into order_return (order_id, status, resolution, reason, verified_as, verifier_account_id, verifier_email,
                verifier_postal_code, verifier_ip, verifier_user_agent)
            values ($1, 'requested', $2, $3, $4, $5, $6, $7, $8, $9) returning id""";
    private static final String INSERT_RETURN_LINE = "insert into order_return_line (return_id, line_no, quantity) values ($1, $2, $3)";
    private static final String RETURN_ORDER = "select order_id from order_return where id = $1";
    private static final String EXISTS = "select status, resolution, received_at from order_return where id = $1";
    /** Reserves the returned units' value on each line; answers one row per line that had it left. */
    private static final String RESERVE_REFUND = """
            update order_line l set refunded_minor = l.refunded_minor + l.unit_price_minor * rl.quantity
            from order_return_line rl
            where rl.return_id = $1 and l.order_id = $2 and l.line_no = rl.line_no
              and l.refunded_minor + l.unit_price_minor * rl.quantity + l.exchanged_quantity * l.unit_price_minor <= l.line_total_minor
            returning (l.unit_price_minor * rl.quantity)::bigint as amount""";
    /** Takes the replaced units' value from each line's budget, only where it was not refunded already. */
    private static final String RESERVE_EXCHANGE = """
            update order_line l set exchanged_quantity = l.exchanged_quantity + rl.quantity
            from order_return_line rl
            where rl.return_id = $1 and l.order_id = $2 and l.line_no = rl.line_no
              and l.refunded_minor + (l.exchanged_quantity + rl.quantity) * l.unit_price_minor <= l.line_total_minor
            returning l.line_no""";
    /** Whether every line of the return still has the budget its approval would reserve (RESERVE_REFUND's or RESERVE_EXCHANGE's test). */
    private static final String APPROVABLE = """
            select coalesce(bool_and(case when r.resolution = 'exchange'
                         then l.refunded_minor + (l.exchanged_quantity + rl.quantity) * l.unit_price_minor <= l.line_total_minor
                         else l.refunded_minor + l.unit_price_minor * rl.quantity + l.exchanged_quantity * l.unit_price_minor <= l.line_total_minor
                         end), false) as ok
            from order_return r join order_return_line rl on rl.return_id = r.id
            join order_line l on l.order_id = r.order_id and l.line_no = rl.line_no
            where r.id = $1""";
    private static final String RETURN_LINE_COUNT = "select count(*) as n from order_return_line where return_id = $1";
    static final String SET_REFUND_AMOUNT = "update order_return set refund_minor = $2 where id = $1";
    private static final String RETURNED_VARIANTS = """
            select l.variant_id, rl.quantity from order_return_line rl
            join order_line l on l.order_id = $2 and l.line_no = rl.line_no where rl.return_id = $1""";
    private static final String INSERT_REPLACEMENT = """
            insert into orders (number, account_id, email, status, currency, subtotal_minor, total_minor, ship_name, ship_line1,
                ship_line2, ship_city, ship_region, ship_postal_code, ship_country, ship_phone, billing_postal_code,
                payment_status, exchange_of)
            select $2, account_id, email, 'placed', currency, 0, 0, ship_name, ship_line1, ship_line2, ship_city, ship_region,
                ship_postal_code, ship_country, ship_phone, billing_postal_code, 'none', id
            from orders where id = $1 returning id, account_id, currency""";
    private static final String INSERT_REPLACEMENT_LINES = """
            insert into order_line (order_id, line_no, variant_id, sku, title, product_title, unit_price_minor, quantity, line_total_minor)
            select $3, row_number() over (order by l.line_no), l.variant_id, l.sku, l.title, l.product_title, 0, rl.quantity, 0
            from order_return_line rl join order_line l on l.order_id = $2 and l.line_no = rl.line_no where rl.return_id = $1""";
    private static final String RECORD_EXCHANGE = "update order_return set exchange_order_id = $2 where id = $1";
    private static final String GIVE_BACK_UNITS = """
            update order_line l set returned_quantity = l.returned_quantity - rl.quantity
            from order_return_line rl where rl.return_id = $1 and l.order_id = $2 and l.line_no = rl.line_no""";
    private static final String RECEIVE = """
            update order_return set received_at = now(), received_by = $2
            where id = $1 and received_at is null and status <> 'rejected' returning order_id""";
    private static final String RETURN_JSON = """
            json_build_object('id', r.id, 'order_id', r.order_id, 'order_number', o.number, 'status', r.status,
                'resolution', r.resolution, 'reason', r.reason,
                'lines', (select json_agg(json_build_object('line_no', rl.line_no, 'sku', l.sku, 'quantity', rl.quantity,
                              'amount', json_build_object('amount_minor', l.unit_price_minor * rl.quantity, 'currency', o.currency))
                              order by rl.line_no)
                          from order_return_line rl join order_line l on l.order_id = r.order_id and l.line_no = rl.line_no
                          where rl.return_id = r.id),
                'refund', case when r.refund_minor is null then null
                               else json_build_object('amount_minor', r.refund_minor, 'currency', o.currency) end,
                'exchange_order_id', r.exchange_order_id, 'decision_note', r.decision_note,
                'received_at', rfc3339(r.received_at),
                'created_at', rfc3339(r.created_at), 'decided_at', rfc3339(r.decided_at))::text""";
    private static final NewestFirst LISTING = new NewestFirst("order_return r join orders o on o.id = r.order_id", "r", "created_at",
            "newest", RETURN_JSON);
    private static final String RETURN_BY_ID = "select " + RETURN_JSON + " as doc from order_return r join orders o on o.id = r.order_id where r.id = $1";

    private static final byte[] NO_MATCH = digest("\u0000no order\u0000");

    private final Pool pool;
    private final CatalogService catalog;
    private final OrderService orders;
    private final OrderMoves moves;
    private final RefundService refunds;
    private final Throttle throttle;
    private final int maxFailures;
    private final int maxOrderFailures;
    private final Duration window;
    private final Duration lockBase;
    private final boolean restockOnReceive;

    ReturnService(Pool pool, CatalogService catalog, OrderService orders, OrderMoves moves, RefundService refunds, Throttle throttle,
            ReturnConfig config) {
        boolean restockOnReceive = config.restockOnReceive();
        int maxFailures = config.verifyMaxFailures();
        int maxOrderFailures = config.verifyOrderMaxFailures();
        Duration window = config.verifyWindow();
        Duration lockBase = config.verifyLock();
        this.pool = pool;
        this.catalog = catalog;
        this.orders = orders;
        this.moves = moves;
        this.refunds = refunds;
        this.restockOnReceive = restockOnReceive;
        this.throttle = throttle;
        this.maxFailures = maxFailures;
        this.maxOrderFailures = maxOrderFailures;
        this.window = window;
        this.lockBase = lockBase;
    }

    /** A created return's id and document. */
    public record Created(UUID id, String document) {
    }

    // ------------------------------------------------------------------ requests

    /**
     * Finds the order a guest names and checks the email and postal code on it, comparing digests in
     * constant time. The attempt is reserved on the throttle first, per order and client address (so
     * nobody can lock a buyer out from elsewhere) and per order with a higher ceiling (so many
     * addresses cannot guess at one order), and given back on success. A mismatch and an unknown
     * number look the same (404).
     */
    public Uni<UUID> verifyGuest(GuestReturnRequest r, String ip) {
        return verifyGuest(r, ip, false);
    }

    /** With {@code matchesCount}, a match uses up an attempt as a miss does, so when the lock comes tells nothing. */
    private Uni<UUID> verifyGuest(GuestReturnRequest r, String ip, boolean matchesCount) {
        String number = r.orderNumber().strip().toUpperCase(Locale.ROOT);
        return throttle.guard(ProblemType.RATE_LIMITED, "Too many failed verifications for this order.",
                        new Limit("return-verification:order-ip:" + number + "|" + ClientAddress.bucket(ip), maxFailures, window, lockBase, window),
                        new Limit("return-verification:order:" + number, maxOrderFailures, window, lockBase, window))
                .chain(permit -> pool.preparedQuery(GUEST_LOOKUP).execute(Tuple.of(number)).chain(rows -> {
                    Row row = Rows.first(rows);
                    byte[] email = row == null ? NO_MATCH : digest(normalEmail(row.getString("email")));
                    byte[] postal = row == null ? NO_MATCH : digest(normalPostal(row.getString("billing_postal_code")));
                    boolean emailOk = MessageDigest.isEqual(email, digest(normalEmail(r.email())));
                    boolean postalOk = MessageDigest.isEqual(postal, digest(normalPostal(r.postalCode())));
                    if (row != null && emailOk && postalOk) {
                        return (matchesCount ? permit.failed() : permit.release()).replaceWith(row.getUUID("id"));
                    }
                    return permit.failed().chain(() -> Uni.createFrom().<UUID>failure(ProblemException.notFound("An order with this number, email and postal code")));
                }).onFailure(e -> !(e instanceof ProblemException)).call(permit::release) // a database error is no failed guess
                        .onCancellation().call(permit::release));
    }

    /**
     * The same check for another feature (a guest buyer's privacy request, P13): the order's id, or a 404. Its answer is
     * the same either way, so a match counts on the order's limits too: were only misses counted, a guess followed by
     * a miss would be refused one request sooner when the guess was wrong.
     */
    public Uni<UUID> verifyGuestBuyer(String orderNumber, String email, String postalCode, String ip) {
        return verifyGuest(new GuestReturnRequest(orderNumber, email, postalCode, List.of(), null, null), ip, true);
    }

    /**
     * The ids of the orders these accounts placed, as a subquery for another feature's condition (the privacy requests filed
     * as the guest buyer of an account's orders). Account ids are UUIDs written by {@link UUID#toString}: literals are safe.
     */
    public static String ordersPlacedBy(UUID... accounts) {
        List<String> ids = java.util.Arrays.stream(accounts).filter(java.util.Objects::nonNull).map(a -> "'" + a + "'::uuid").toList();
        return ids.isEmpty() ? "select null::uuid where false" : "select o.id from orders o where o.account_id in (" + String.join(", ", ids) + ")";
    }

    /**
     * A replacement is not returned: nothing was paid for it, so a return could not pay back, and a second replacement's
     * cancel or refund could pay back only through the first exchange's original, which may have paid that value back
     * already. Support refunds a replacement instead (its exchange is then paid back on the original).
     */
    private static void checkNotAReplacement(Locked o) {
        if (o.exchangeOf() != null) {
            throw new ProblemException(OrderProblems.NOT_RETURNABLE, "Order " + o.number() + " replaces items of an earlier order and "
                    + "cannot be returned; cancel it before it ships, or contact support, who can refund it.");
        }
    }

    /** The account that placed an order, or null when there is no such order: a guest buyer's privacy request reaches that account's orders. */
    public Uni<UUID> buyerAccount(io.vertx.mutiny.sqlclient.SqlClient conn, UUID orderId) {
        return conn.preparedQuery("select account_id from orders where id = $1").execute(Tuple.of(orderId))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getUUID(0) : null);
    }

    /**
     * Holds the units and records the request; the owner check (for signed-in buyers) happens under the order's lock. The
     * key's claim names the return in the same transaction, so a retry after an answer lost past the commit is answered
     * with it instead of holding the units a second time.
     */
    public Uni<Created> request(UUID orderId, ReturnRequest r, Requester who, com.harmony.platform.Idempotency.Claim claim) {
        checkDistinctLines(r.lines());
        // a customer's return passes the erasure gate first: an erasure under way ends before (the order is then no longer
        // theirs), or sees this return and stops
        return pool.withTransaction(conn -> (who.accountId() == null ? Uni.createFrom().voidItem()
                                : com.harmony.platform.ErasureGate.pass(conn, com.harmony.platform.ErasureGate.account(who.accountId())))
                        .chain(() -> moves.lock(conn, orderId))
                        .invoke(o -> checkReturnable(o, who))
                        .invoke(ReturnService::checkNotAReplacement)
                        .call(() -> holdUnits(conn, orderId, r.lines()))
                        .chain(o -> conn.preparedQuery(INSERT_RETURN).execute(Tuple.from(new Object[] {orderId, r.resolution().name(),
                                        r.reason() == null ? "" : r.reason().strip(), who.verifiedAs(), who.accountId(), who.email(),
                                        who.postalCode(), who.ip(), who.userAgent()}))
                                .map(rows -> Rows.first(rows).getUUID("id"))
                                .call(id -> insertLines(conn, id, r.lines()))
                                .call(id -> moves.returnEvent(conn, o, id, "return.requested", ReturnStatus.requested, customer(who)))
                                .call(id -> claim.record(conn, id.toString()))))
                .chain(id -> document(id).map(doc -> new Created(id, doc)));
    }

    private static Actor customer(Requester who) {
        return new Actor(who.accountId(), who.accountId() == null ? "guest" : "customer");
    }

    private static void checkReturnable(Locked order, Requester who) {
        if (who.accountId() != null && !who.accountId().equals(order.accountId())) {
            throw ProblemException.notFound("Order " + order.id());
        }
        if (order.status() != OrderStatus.delivered) {
            throw new ProblemException(OrderProblems.NOT_RETURNABLE, "Only delivered orders can be returned; this one is "
                    + order.status() + ".");
        }
    }

    private static void checkDistinctLines(List<ReturnLineInput> lines) {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!seen.add(lines.get(i).lineNo())) {
                throw ProblemException.invalid("lines[" + i + "].line_no", "names a line already listed");
            }
        }
    }

    private Uni<Void> holdUnits(SqlConnection conn, UUID orderId, List<ReturnLineInput> lines) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int i = 0; i < lines.size(); i++) {
            ReturnLineInput l = lines.get(i);
            String field = "lines[" + i + "].line_no";
            chain = chain.chain(() -> conn.preparedQuery(HOLD_UNITS).execute(Tuple.of(orderId, l.lineNo(), l.quantity()))
                    .chain(rows -> rows.rowCount() == 1 ? Uni.createFrom().voidItem() : notHeld(conn, orderId, l, field)));
        }
        return chain;
    }

    private Uni<Void> notHeld(SqlConnection conn, UUID orderId, ReturnLineInput l, String field) {
        return conn.preparedQuery(LINE_EXISTS).execute(Tuple.of(orderId, l.lineNo())).map(rows -> {
            if (rows.size() == 0) {
                throw ProblemException.invalid(field, "the order has no such line");
            }
            throw new ProblemException(OrderProblems.NOT_RETURNABLE, "Line " + l.lineNo()
                    + " has fewer units left to return than requested.");
        });
    }

    private Uni<Void> insertLines(SqlConnection conn, UUID returnId, List<ReturnLineInput> lines) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (ReturnLineInput l : lines) {
            chain = chain.chain(() -> conn.preparedQuery(INSERT_RETURN_LINE).execute(Tuple.of(returnId, l.lineNo(), l.quantity()))
                    .replaceWithVoid());
        }
        return chain;
    }

    // ------------------------------------------------------------------ decisions

    /**
     * Approves once, in one transaction under the order's lock: the decision (compare-and-set on the
     * return), then the refund's money reserved from the lines' budget and recorded as pending, or the
     * exchange's units taken from it and the replacement order created. The refund is attempted after
     * the commit; a provider failure leaves it refund_pending for the worker, never half-done.
     */
    public Uni<String> approve(UUID returnId, Actor actor, String note) {
        return orderOf(returnId)
                .chain(orderId -> pool.withTransaction(conn -> moves.lock(conn, orderId).chain(o -> decide(conn, o, returnId, actor, note))))
                .call(refundId -> refundId == null ? Uni.createFrom().voidItem() : refunds.attempt(refundId))
                .chain(() -> document(returnId));
    }

    /**
     * Decides once, under the order's lock: the return moves requested → refund_pending or exchanged
     * (compare-and-set), so a second agent's decision finds it decided.
     */
    private Uni<UUID> decide(SqlConnection conn, Locked o, UUID returnId, Actor actor, String note) {
        return conn.preparedQuery(EXISTS).execute(Tuple.of(returnId)).chain(rows -> {
            boolean refund = "refund".equals(Rows.first(rows).getString("resolution"));
            ReturnStatus target = refund ? ReturnStatus.refund_pending : ReturnStatus.exchanged;
            return moves.moveReturn(conn, returnId, ReturnStatus.requested, target, actor, note).chain(moved -> {
                if (!moved) {
                    return alreadyDecidedOrMissing(conn, returnId).replaceWith((UUID) null);
                }
                if (o.status() != OrderStatus.delivered) {
                    throw new ProblemException(OrderProblems.NOT_RETURNABLE, "The order is " + o.status() + "; returns of it can "
                            + "no longer be approved.");
                }
                if (!refund) {
                    checkNotAReplacement(o); // a return asked of one before they were refused is not exchanged either
                }
                return refund ? refund(conn, o, returnId, actor, note) : exchange(conn, o, returnId, actor, note).replaceWith((UUID) null);
            });
        });
    }

    private Uni<UUID> refund(SqlConnection conn, Locked o, UUID returnId, Actor actor, String note) {
        return reserveAll(conn, RESERVE_REFUND, o, returnId)
                .chain(amounts -> {
                    Money amount = new Money(amounts.stream().mapToLong(r -> r.getLong("amount")).sum(), o.currency());
                    return conn.preparedQuery(SET_REFUND_AMOUNT).execute(Tuple.of(returnId, amount.amountMinor()))
                            .chain(() -> moves.returnEvent(conn, o, returnId, "return.approved", ReturnStatus.refund_pending, actor))
                            .chain(() -> refunds.record(conn, o, RefundService.Intent.refund("return", amount, returnId, actor, note)));
                });
    }

    /** The replacement ships the same items at no charge; stock is reserved in the same transaction. */
    private Uni<Void> exchange(SqlConnection conn, Locked o, UUID returnId, Actor actor, String note) {
        return reserveAll(conn, RESERVE_EXCHANGE, o, returnId)
                .chain(() -> reserveReplacement(conn, returnId, o.id()))
                .chain(() -> conn.preparedQuery(INSERT_REPLACEMENT).execute(Tuple.of(o.id(), OrderService.newNumber())))
                .map(Rows::first)
                .chain(replacement -> {
                    UUID id = replacement.getUUID("id");
                    return conn.preparedQuery(INSERT_REPLACEMENT_LINES).execute(Tuple.of(returnId, o.id(), id))
                            .chain(() -> conn.preparedQuery("select number from orders where id = $1").execute(Tuple.of(id)))
                            .chain(rows -> moves.created(conn, id, Rows.first(rows).getString("number"), o.accountId(),
                                    Money.zero(o.currency()), actor, "exchange for " + o.number()))
                            .chain(() -> moves.lock(conn, id))
                            .chain(placed -> moves.move(conn, placed, OrderStatus.paid, actor, "exchange: nothing to charge"))
                            .chain(() -> orders.requestFulfilment(conn, id))
                            .chain(() -> conn.preparedQuery(RECORD_EXCHANGE).execute(Tuple.of(returnId, id)))
                            .chain(() -> moves.returnEvent(conn, o, returnId, "return.approved", ReturnStatus.exchanged, actor))
                            .chain(() -> moves.event(conn, o.id(), "exchange.created", OrderMoves.orderPayload(o, actor)
                                    .put("return_id", returnId.toString()).put("replacement_order_id", id.toString())));
                });
    }

    /** Runs a per-line budget reservation for every line of the return; any line without budget refuses the whole decision. */
    private Uni<List<Row>> reserveAll(SqlConnection conn, String sql, Locked o, UUID returnId) {
        return conn.preparedQuery(sql).execute(Tuple.of(returnId, o.id())).chain(rows -> {
            List<Row> reserved = new ArrayList<>();
            rows.forEach(reserved::add);
            return conn.preparedQuery(RETURN_LINE_COUNT).execute(Tuple.of(returnId)).map(count -> {
                if (Rows.first(count).getLong("n") != reserved.size()) {
                    throw new ProblemException(OrderProblems.REFUND_EXCEEDS_BALANCE, "Some of these units were already refunded or "
                            + "replaced; the return cannot pay out again. Reject it instead.");
                }
                return reserved;
            });
        });
    }

    private Uni<Void> reserveReplacement(SqlConnection conn, UUID returnId, UUID orderId) {
        return conn.preparedQuery(RETURNED_VARIANTS).execute(Tuple.of(returnId, orderId)).chain(rows -> {
            List<Row> lines = new ArrayList<>();
            rows.forEach(lines::add);
            lines.sort(Comparator.comparing(r -> r.getUUID("variant_id")));
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Row l : lines) {
                chain = chain.chain(() -> catalog.reserveStock(conn, l.getUUID("variant_id"), l.getInteger("quantity"),
                        () -> new ProblemException(OrderProblems.INSUFFICIENT_STOCK,
                                "Not enough stock for the replacement; approve again once restocked.")));
            }
            return chain;
        });
    }

    /**
     * Rejects a return still waiting for a decision; its units can be asked back again. Received goods are rejected only
     * when the return can no longer be approved (partial refunds or exchanges since used its lines' budget, or the order
     * is no longer delivered), so it never stays open for good; their units stay returned, since they came back.
     */
    public Uni<String> reject(UUID returnId, Actor actor, String note) {
        return orderOf(returnId)
                .chain(orderId -> pool.withTransaction(conn -> moves.lock(conn, orderId).chain(o -> conn.preparedQuery(EXISTS)
                        .execute(Tuple.of(returnId))
                        .chain(rows -> {
                            boolean received = Rows.first(rows).getValue("received_at") != null;
                            boolean refund = "refund".equals(Rows.first(rows).getString("resolution"));
                            return (received ? refuseIfApprovable(conn, o, returnId, refund) : Uni.createFrom().voidItem())
                                    .chain(() -> moves.moveReturn(conn, returnId, ReturnStatus.requested, ReturnStatus.rejected, actor, note))
                                    .chain(moved -> !moved ? alreadyDecidedOrMissing(conn, returnId)
                                            : (received ? Uni.createFrom().voidItem()
                                                    : conn.preparedQuery(GIVE_BACK_UNITS).execute(Tuple.of(returnId, orderId)).replaceWithVoid())
                                                    .chain(() -> moves.returnEvent(conn, o, returnId, "return.rejected", ReturnStatus.rejected, actor)));
                        }))))
                .chain(() -> document(returnId));
    }

    /** Approval's own tests: a delivered order, budget on every line, and for money a payment that holds some (not a replacement's). */
    private Uni<Void> refuseIfApprovable(SqlConnection conn, Locked o, UUID returnId, boolean refund) {
        return conn.preparedQuery(APPROVABLE).execute(Tuple.of(returnId)).invoke(rows -> {
            if (o.status() == OrderStatus.delivered && (!refund || o.payment().holdsCapturedMoney())
                    && Boolean.TRUE.equals(Rows.first(rows).getBoolean("ok"))) {
                throw new ProblemException(OrderProblems.RETURN_RECEIVED, "The goods of this return are back on the "
                        + "shelf already; approve it (refund or exchange) instead of rejecting it.");
            }
        }).replaceWithVoid();
    }

    /**
     * The goods came back: recorded once, and (when configured) the units go back on hand through the
     * catalog, each with a stock movement.
     */
    public Uni<String> receive(UUID returnId, Actor actor) {
        return orderOf(returnId)
                .chain(orderId -> pool.withTransaction(conn -> moves.lock(conn, orderId).chain(o -> conn.preparedQuery(RECEIVE)
                        .execute(Tuple.of(returnId, actor.id()))
                        .chain(rows -> Rows.first(rows) == null ? notReceivable(conn, returnId)
                                : restock(conn, returnId, orderId, actor)
                                        .chain(() -> moves.audited(conn, "return.received", "return", returnId, o.accountId(), actor))
                                        .chain(() -> moves.returnEvent(conn, o, returnId, "return.received", null, actor))))))
                .chain(() -> document(returnId));
    }

    private Uni<Void> restock(SqlConnection conn, UUID returnId, UUID orderId, Actor actor) {
        if (!restockOnReceive) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery(RETURNED_VARIANTS).execute(Tuple.of(returnId, orderId)).chain(rows -> {
            List<Row> lines = new ArrayList<>();
            rows.forEach(lines::add);
            lines.sort(Comparator.comparing(r -> r.getUUID("variant_id")));
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Row l : lines) {
                chain = chain.chain(() -> catalog.restock(conn, l.getUUID("variant_id"), l.getInteger("quantity"),
                        CatalogService.StockReason.return_received, returnId.toString(), actor.staffId()));
            }
            return chain;
        });
    }

    /** On the receipt's own connection, which holds the order's lock (see alreadyDecidedOrMissing). */
    private static Uni<Void> notReceivable(SqlConnection conn, UUID returnId) {
        return conn.preparedQuery(EXISTS).execute(Tuple.of(returnId)).map(rows -> {
            Row r = Rows.first(rows);
            if (r == null) {
                throw ProblemException.notFound("Return " + returnId);
            }
            if (r.getValue("received_at") != null) {
                throw new ProblemException(OrderProblems.RETURN_RECEIVED, "The goods of this return were already received.");
            }
            throw new ProblemException(OrderProblems.RETURN_DECIDED, "This return was rejected; there is nothing to receive.");
        });
    }

    private Uni<UUID> orderOf(UUID returnId) {
        return pool.preparedQuery(RETURN_ORDER).execute(Tuple.of(returnId))
                .map(rows -> OrderService.require(Rows.first(rows), "Return " + returnId).getUUID("order_id"));
    }

    /**
     * Read on the decision's own connection: it holds the order's lock, and a burst of decisions of one return holds every
     * other pooled connection waiting for that lock, so a second connection would never come (a stall until the pool wait).
     */
    private static Uni<Void> alreadyDecidedOrMissing(SqlConnection conn, UUID returnId) {
        return conn.preparedQuery(EXISTS).execute(Tuple.of(returnId)).map(rows -> {
            if (rows.size() == 0) {
                throw ProblemException.notFound("Return " + returnId);
            }
            throw new ProblemException(OrderProblems.RETURN_DECIDED, "This return is already " + Rows.first(rows).getString("status") + ".");
        });
    }

    // ------------------------------------------------------------------ reads

    public Uni<String> document(UUID returnId) {
        return pool.preparedQuery(RETURN_BY_ID).execute(Tuple.of(returnId))
                .map(rows -> Rows.doc(OrderService.require(Rows.first(rows), "Return " + returnId)));
    }

    /** Returns, newest first, optionally in one status; keyset-paginated. */
    public Uni<String> returns(String status, int limit, String cursor) {
        return LISTING.page(pool, "status", status, limit, cursor);
    }

    // ------------------------------------------------------------------ helpers

    private static String normalEmail(String email) {
        return email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
    }

    private static String normalPostal(String postal) {
        return postal == null ? "" : postal.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
    }

    private static byte[] digest(String value) {
        return Hashes.sha256(value);
    }
}
