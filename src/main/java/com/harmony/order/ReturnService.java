package com.harmony.order;

import com.harmony.platform.Hashes;
import com.harmony.platform.Rows;
import com.harmony.catalog.CatalogService;
import com.harmony.order.OrderRequests.GuestReturnRequest;
import com.harmony.order.OrderRequests.ReturnLineInput;
import com.harmony.order.OrderRequests.ReturnRequest;
import com.harmony.order.OrderService.Actor;
import com.harmony.payment.PaymentProvider;
import com.harmony.platform.Cursor;
import com.harmony.platform.Money;
import com.harmony.platform.ProblemException;
import com.harmony.platform.Throttle;
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
import org.eclipse.microprofile.config.inject.ConfigProperty;

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

    private static final String LOCK_ORDER = "select id, account_id, status from orders where id = $1 for update";
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
    private static final String CLAIM = """
            update order_return set status = 'processing' where id = $1 and status = 'requested' returning order_id, resolution""";
    private static final String EXISTS = "select status from order_return where id = $1";
    private static final String UNCLAIM = "update order_return set status = 'requested' where id = $1 and status = 'processing'";
    private static final String REFUND_FACTS = """
            select o.id, o.status, o.currency, o.total_minor, o.refunded_minor, o.payment_reference,
                   (select sum(l.unit_price_minor * rl.quantity)::bigint from order_return_line rl
                    join order_line l on l.order_id = o.id and l.line_no = rl.line_no where rl.return_id = $1) as amount
            from orders o where o.id = $2""";
    private static final String RECORD_REFUND = """
            update order_return set status = 'refunded', refund_minor = $2, refund_reference = $3, decided_by = $4,
                decision_note = $5, decided_at = now() where id = $1""";
    /**
     * Reserves the refund on the order before the provider is called: only a delivered, paid order with
     * that much left unrefunded qualifies, so a return and a full refund can never both pay out.
     */
    private static final String RESERVE_REFUND = """
            update orders set refunded_minor = refunded_minor + $2, version = version + 1, updated_at = now()
            where id = $1 and status = 'delivered' and payment_reference is not null and refunded_minor + $2 <= total_minor
            returning id""";
    private static final String UNRESERVE_REFUND = """
            update orders set refunded_minor = refunded_minor - $2, version = version + 1, updated_at = now() where id = $1""";
    private static final String APPLY_REFUND = """
            update orders set payment_status = case when refunded_minor = total_minor then 'refunded' else 'partially_refunded' end,
                version = version + 1, updated_at = now()
            where id = $1 returning refunded_minor = total_minor as full""";
    private static final String RETURNED_VARIANTS = """
            select l.variant_id, rl.quantity from order_return_line rl
            join order_line l on l.order_id = $2 and l.line_no = rl.line_no where rl.return_id = $1""";
    private static final String INSERT_REPLACEMENT = """
            insert into orders (number, account_id, email, status, currency, subtotal_minor, total_minor, ship_name, ship_line1,
                ship_line2, ship_city, ship_region, ship_postal_code, ship_country, ship_phone, billing_postal_code,
                payment_status, exchange_of)
            select $2, account_id, email, 'paid', currency, 0, 0, ship_name, ship_line1, ship_line2, ship_city, ship_region,
                ship_postal_code, ship_country, ship_phone, billing_postal_code, 'none', id
            from orders where id = $1 returning id""";
    private static final String INSERT_REPLACEMENT_LINES = """
            insert into order_line (order_id, line_no, variant_id, sku, title, product_title, unit_price_minor, quantity, line_total_minor)
            select $3, row_number() over (order by l.line_no), l.variant_id, l.sku, l.title, l.product_title, 0, rl.quantity, 0
            from order_return_line rl join order_line l on l.order_id = $2 and l.line_no = rl.line_no where rl.return_id = $1""";
    private static final String RECORD_EXCHANGE = """
            update order_return set status = 'exchanged', exchange_order_id = $2, decided_by = $3, decision_note = $4,
                decided_at = now() where id = $1""";
    private static final String REJECT = """
            update order_return set status = 'rejected', decided_by = $2, decision_note = $3, decided_at = now()
            where id = $1 and status = 'requested' returning order_id""";
    private static final String GIVE_BACK_UNITS = """
            update order_line l set returned_quantity = l.returned_quantity - rl.quantity
            from order_return_line rl where rl.return_id = $1 and l.order_id = $2 and l.line_no = rl.line_no""";
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
                'created_at', rfc3339(r.created_at), 'decided_at', rfc3339(r.decided_at))::text""";
    private static final String RETURN_BY_ID = "select " + RETURN_JSON + " as doc from order_return r join orders o on o.id = r.order_id where r.id = $1";

    private static final byte[] NO_MATCH = digest("\u0000no order\u0000");

    private final Pool pool;
    private final CatalogService catalog;
    private final PaymentProvider payments;
    private final OrderService orders;
    private final Throttle throttle;
    private final int maxFailures;
    private final Duration window;

    ReturnService(Pool pool, CatalogService catalog, PaymentProvider payments, OrderService orders, Throttle throttle,
            @ConfigProperty(name = "harmony.returns.verify-max-failures", defaultValue = "5") int maxFailures,
            @ConfigProperty(name = "harmony.returns.verify-window", defaultValue = "PT15M") Duration window) {
        this.pool = pool;
        this.catalog = catalog;
        this.payments = payments;
        this.orders = orders;
        this.throttle = throttle;
        this.maxFailures = maxFailures;
        this.window = window;
    }

    /** A created return's id and document. */
    public record Created(UUID id, String document) {
    }

    // ------------------------------------------------------------------ requests

    /**
     * Finds the order a guest names and checks the email and postal code on it, comparing digests in
     * constant time. Failures count per order number in PostgreSQL; past the limit every attempt is 429.
     * A mismatch and an unknown number look the same (404).
     */
    public Uni<UUID> verifyGuest(GuestReturnRequest r) {
        String number = r.orderNumber().strip().toUpperCase(Locale.ROOT);
        String throttleKey = "return-verification:" + number;
        return throttle.check(throttleKey, maxFailures, window)
                .chain(() -> pool.preparedQuery(GUEST_LOOKUP).execute(Tuple.of(number)))
                .chain(rows -> {
                    Row row = Rows.first(rows);
                    byte[] email = row == null ? NO_MATCH : digest(normalEmail(row.getString("email")));
                    byte[] postal = row == null ? NO_MATCH : digest(normalPostal(row.getString("billing_postal_code")));
                    boolean emailOk = MessageDigest.isEqual(email, digest(normalEmail(r.email())));
                    boolean postalOk = MessageDigest.isEqual(postal, digest(normalPostal(r.postalCode())));
                    if (row != null && emailOk && postalOk) {
                        return Uni.createFrom().item(row.getUUID("id"));
                    }
                    return throttle.recordFailure(throttleKey, window).chain(() -> Uni.createFrom().failure(
                            ProblemException.notFound("An order with this number, email and postal code")));
                });
    }

    /** Holds the units and records the request; the owner check (for signed-in buyers) happens under the order's lock. */
    public Uni<Created> request(UUID orderId, ReturnRequest r, Requester who) {
        checkDistinctLines(r.lines());
        return pool.withTransaction(conn -> conn.preparedQuery(LOCK_ORDER).execute(Tuple.of(orderId))
                        .invoke(rows -> checkReturnable(Rows.first(rows), orderId, who))
                        .chain(() -> holdUnits(conn, orderId, r.lines()))
                        .chain(() -> conn.preparedQuery(INSERT_RETURN).execute(Tuple.from(new Object[] {orderId, r.resolution().name(),
                                r.reason() == null ? "" : r.reason().strip(), who.verifiedAs(), who.accountId(), who.email(),
                                who.postalCode(), who.ip(), who.userAgent()})))
                        .map(rows -> Rows.first(rows).getUUID("id"))
                        .call(id -> insertLines(conn, id, r.lines())))
                .chain(id -> document(id).map(doc -> new Created(id, doc)));
    }

    private static void checkReturnable(Row order, UUID orderId, Requester who) {
        if (order == null || (who.accountId() != null && !who.accountId().equals(order.getUUID("account_id")))) {
            throw ProblemException.notFound("Order " + orderId);
        }
        if (!OrderStatus.delivered.name().equals(order.getString("status"))) {
            throw new ProblemException(OrderProblems.NOT_RETURNABLE, "Only delivered orders can be returned; this one is "
                    + order.getString("status") + ".");
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

    /** Approves once (the requested → processing compare-and-set decides), then refunds or exchanges. */
    public Uni<String> approve(UUID returnId, Actor actor, String note) {
        return pool.preparedQuery(CLAIM).execute(Tuple.of(returnId))
                .chain(rows -> {
                    Row claimed = Rows.first(rows);
                    if (claimed == null) {
                        return alreadyDecidedOrMissing(returnId);
                    }
                    UUID orderId = claimed.getUUID("order_id");
                    return "refund".equals(claimed.getString("resolution"))
                            ? refund(returnId, orderId, actor, note)
                            : exchange(returnId, orderId, actor, note);
                })
                .chain(() -> document(returnId));
    }

    private Uni<Void> refund(UUID returnId, UUID orderId, Actor actor, String note) {
        return pool.preparedQuery(REFUND_FACTS).execute(Tuple.of(returnId, orderId))
                .map(Rows::first)
                .call(facts -> reserveRefund(returnId, facts))
                .chain(facts -> providerRefund(returnId, facts)
                        .chain(reference -> pool.withTransaction(conn -> recordRefund(conn, returnId, facts, reference, actor, note))));
    }

    private Uni<Void> reserveRefund(UUID returnId, Row facts) {
        return pool.preparedQuery(RESERVE_REFUND).execute(Tuple.of(facts.getUUID("id"), facts.getLong("amount")))
                .chain(rows -> rows.size() == 1 ? Uni.createFrom().voidItem()
                        : pool.preparedQuery(UNCLAIM).execute(Tuple.of(returnId)).chain(() -> Uni.createFrom().failure(
                                new ProblemException(OrderProblems.ILLEGAL_TRANSITION,
                                        "The order can no longer be refunded this much: it was refunded meanwhile, or nothing was paid."))));
    }

    /**
     * Only a refund the provider refused puts the return back to requested. Should recording a refund
     * that did happen fail, the return stays "processing" for support to look at, never approvable twice.
     */
    private Uni<String> providerRefund(UUID returnId, Row facts) {
        return payments.refund(facts.getString("payment_reference"), new Money(facts.getLong("amount"), facts.getString("currency")))
                .onFailure().call(() -> pool.preparedQuery(UNRESERVE_REFUND).execute(Tuple.of(facts.getUUID("id"), facts.getLong("amount")))
                        .chain(() -> pool.preparedQuery(UNCLAIM).execute(Tuple.of(returnId))));
    }

    private Uni<Void> recordRefund(SqlConnection conn, UUID returnId, Row facts, String reference, Actor actor, String note) {
        UUID orderId = facts.getUUID("id");
        long amount = facts.getLong("amount");
        return conn.preparedQuery(RECORD_REFUND).execute(Tuple.from(new Object[] {returnId, amount, reference, actor.id(), note}))
                .chain(() -> conn.preparedQuery(APPLY_REFUND).execute(Tuple.of(orderId)))
                .chain(rows -> Rows.first(rows).getBoolean("full")
                        ? orders.move(conn, orderId, OrderStatus.valueOf(facts.getString("status")), OrderStatus.refunded, actor,
                                "fully refunded by returns")
                        : Uni.createFrom().voidItem());
    }

    /** The replacement ships the same items at no charge; stock is reserved in the same transaction. */
    private Uni<Void> exchange(UUID returnId, UUID orderId, Actor actor, String note) {
        return pool.withTransaction(conn -> reserveReplacement(conn, returnId, orderId)
                        .chain(() -> conn.preparedQuery(INSERT_REPLACEMENT).execute(Tuple.of(orderId, OrderService.newNumber())))
                        .map(rows -> Rows.first(rows).getUUID("id"))
                        .call(replacement -> conn.preparedQuery(INSERT_REPLACEMENT_LINES).execute(Tuple.of(returnId, orderId, replacement)))
                        .call(replacement -> OrderService.recordTransition(conn, replacement, null, OrderStatus.paid, actor, "exchange"))
                        .call(replacement -> orders.requestFulfilment(conn, replacement))
                        .chain(replacement -> conn.preparedQuery(RECORD_EXCHANGE)
                                .execute(Tuple.from(new Object[] {returnId, replacement, actor.id(), note})))
                        .replaceWithVoid())
                .onFailure().call(() -> pool.preparedQuery(UNCLAIM).execute(Tuple.of(returnId)));
    }

    private Uni<Void> reserveReplacement(SqlConnection conn, UUID returnId, UUID orderId) {
        return conn.preparedQuery(RETURNED_VARIANTS).execute(Tuple.of(returnId, orderId)).chain(rows -> {
            List<Row> lines = new ArrayList<>();
            rows.forEach(lines::add);
            lines.sort(Comparator.comparing(r -> r.getUUID("variant_id")));
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Row l : lines) {
                chain = chain.chain(() -> catalog.reserveStock(conn, l.getUUID("variant_id"), l.getInteger("quantity")).invoke(ok -> {
                    if (!ok) {
                        throw new ProblemException(OrderProblems.INSUFFICIENT_STOCK,
                                "Not enough stock for the replacement; approve again once restocked, or refund instead.");
                    }
                }).replaceWithVoid());
            }
            return chain;
        });
    }

    public Uni<String> reject(UUID returnId, Actor actor, String note) {
        return pool.withTransaction(conn -> conn.preparedQuery(REJECT).execute(Tuple.from(new Object[] {returnId, actor.id(), note}))
                        .chain(rows -> {
                            Row row = Rows.first(rows);
                            if (row == null) {
                                return alreadyDecidedOrMissing(returnId);
                            }
                            return conn.preparedQuery(GIVE_BACK_UNITS).execute(Tuple.of(returnId, row.getUUID("order_id"))).replaceWithVoid();
                        }))
                .chain(() -> document(returnId));
    }

    private Uni<Void> alreadyDecidedOrMissing(UUID returnId) {
        return pool.preparedQuery(EXISTS).execute(Tuple.of(returnId)).map(rows -> {
            if (rows.size() == 0) {
                throw ProblemException.notFound("Return " + returnId);
            }
            throw new ProblemException(OrderProblems.RETURN_DECIDED, "This return is already " + Rows.first(rows).getString("status") + ".");
        });
    }

    // ------------------------------------------------------------------ reads

    public Uni<String> document(UUID returnId) {
        return pool.preparedQuery(RETURN_BY_ID).execute(Tuple.of(returnId))
                .map(rows -> OrderService.require(Rows.first(rows), "Return " + returnId).getString("doc"));
    }

    /** Returns, newest first, optionally in one status; keyset-paginated. */
    public Uni<String> returns(String status, int limit, String cursor) {
        List<Object> params = new ArrayList<>();
        List<String> where = new ArrayList<>();
        if (status != null) {
            params.add(status);
            where.add("r.status = $" + params.size());
        }
        if (cursor != null) {
            Cursor c = Cursor.decode(cursor, "newest");
            try {
                params.add(c.key());
                params.add(UUID.fromString(c.id()));
            } catch (IllegalArgumentException e) {
                throw Cursor.invalid();
            }
            where.add("(r.created_at, r.id) < ($" + (params.size() - 1) + "::text::timestamptz, $" + params.size() + ")");
        }
        String sql = "select r.id::text as id, r.created_at::text as k, " + RETURN_JSON + " as doc "
                + "from order_return r join orders o on o.id = r.order_id "
                + (where.isEmpty() ? "" : "where " + String.join(" and ", where) + " ")
                + "order by r.created_at desc, r.id desc limit " + (limit + 1);
        return pool.preparedQuery(sql).execute(Tuple.from(params)).map(rows -> {
            List<Row> list = new ArrayList<>();
            rows.forEach(list::add);
            boolean more = list.size() > limit;
            List<Row> shown = more ? list.subList(0, limit) : list;
            StringBuilder out = new StringBuilder("{\"data\":[");
            for (int i = 0; i < shown.size(); i++) {
                out.append(i > 0 ? "," : "").append(shown.get(i).getString("doc"));
            }
            out.append("],\"has_more\":").append(more).append(",\"next_cursor\":");
            if (more) {
                Row last = shown.get(shown.size() - 1);
                out.append('"').append(new Cursor("newest", last.getString("k"), last.getString("id")).encode()).append('"');
            } else {
                out.append("null");
            }
            return out.append('}').toString();
        });
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
