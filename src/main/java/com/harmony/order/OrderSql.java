package com.harmony.order;

import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The order feature's SQL; order documents are built by PostgreSQL, keys in the API's snake_case. */
final class OrderSql {

    private OrderSql() {
    }

    static final String EXISTS = "select exists(select 1 from orders where id = $1)";

    /**
     * Claims the orders whose capture is due (CaptureWorker): placed, payment still authorised, past their wait.
     * Checkout sets the first wait when its own capture fails; an order it never reported on (the instance died
     * mid-checkout) is due ten minutes after it was placed, long after any capture call of that checkout. The claim
     * moves the next attempt out by the doubling backoff, which is also its lease: another instance takes the order
     * again only if this attempt fails or dies. $1 first wait, $2 batch, $3 longest wait and $4 give-up age, in
     * milliseconds; {@code expired} says the order is to be cancelled instead.
     */
    static final String CLAIM_CAPTURES = """
            with due as (select id from orders
                         where status = 'placed' and payment_status = 'authorised'
                           and coalesce(capture_next_at, created_at + interval '10 minutes') <= now()
                         order by created_at limit $2::int for update skip locked)
            update orders o set capture_attempts = o.capture_attempts + 1,
                   capture_next_at = now() + least($3::bigint, $1::bigint * (2 ^ least(o.capture_attempts + 1, 30))::bigint) * interval '1 millisecond'
            from due where o.id = due.id
            returning o.id, o.payment_reference, o.total_minor, o.currency, o.created_at <= now() - $4::bigint * interval '1 millisecond' as expired""";

    /** Checkout's own capture failed: the order is due for the CaptureWorker $2 milliseconds from now. */
    static final String CAPTURE_LATER = """
            update orders set capture_next_at = now() + $2::bigint * interval '1 millisecond'
            where id = $1 and status = 'placed' and payment_status = 'authorised' and capture_next_at is null""";

    static String money(String column) {
        return "json_build_object('amount_minor', " + column + ", 'currency', o.currency)";
    }

    /** The allowed next statuses, generated from {@link OrderStatus}'s table so SQL and Java never disagree. */
    static final String ALLOWED_TRANSITIONS = Stream.of(OrderStatus.values())
            .map(s -> "when '" + s + "' then '[" + s.next().stream().sorted().map(n -> "\"" + n + "\"").collect(Collectors.joining(","))
                    + "]'::json")
            .collect(Collectors.joining(" ", "case o.status ", " end"));

    /** Refunds that money went back through, or is going back through; releases of unpaid authorisations are not refunds. */
    private static final String REFUND_SUM = "(select coalesce(sum(amount_minor), 0) from payment_refund "
            + "where order_id = o.id and kind = 'refund' and status = '%s')";

    static final String ORDER_JSON = """
            json_build_object(
                'id', o.id, 'number', o.number, 'status', o.status, 'email', o.email,
                'lines', (select json_agg(json_build_object('line_no', l.line_no, 'variant_id', l.variant_id, 'sku', l.sku,
                              'title', l.title, 'product_title', l.product_title, 'unit_price', %s, 'quantity', l.quantity,
                              'line_total', %s, 'returned_quantity', l.returned_quantity,
                              'returnable_quantity', l.quantity - l.returned_quantity, 'exchanged_quantity', l.exchanged_quantity,
                              'refunded', %s, 'refundable', %s) order by l.line_no)
                          from order_line l where l.order_id = o.id),
                'subtotal', %s, 'total', %s, 'refunded', %s, 'refund_pending', %s,
                'refunds', coalesce((select json_agg(json_build_object('id', r.id, 'amount', json_build_object('amount_minor',
                              r.amount_minor, 'currency', r.currency), 'status', r.status, 'reason', r.reason, 'return_id', r.return_id,
                              'attempts', r.attempts, 'created_at', rfc3339(r.created_at), 'completed_at', rfc3339(r.completed_at))
                              order by r.created_at, r.id)
                          from payment_refund r where r.order_id = o.id and r.kind = 'refund'), '[]'::json),
                'shipping_address', json_build_object('name', o.ship_name, 'line1', o.ship_line1, 'line2', o.ship_line2,
                    'city', o.ship_city, 'region', o.ship_region, 'postal_code', o.ship_postal_code,
                    'country', o.ship_country, 'phone', o.ship_phone),
                'billing_postal_code', o.billing_postal_code,
                'payment', json_build_object('brand', o.card_brand, 'last4', o.card_last4, 'exp_month', o.card_exp_month,
                    'exp_year', o.card_exp_year, 'status', o.payment_status),
                'exchange_of', o.exchange_of,
                'allowed_transitions', %s,
                'version', o.version, 'created_at', rfc3339(o.created_at), 'updated_at', rfc3339(o.updated_at))::text"""
            .formatted(money("l.unit_price_minor"), money("l.line_total_minor"), money("l.refunded_minor"),
                    money("(l.line_total_minor - l.refunded_minor - l.exchanged_quantity * l.unit_price_minor)"),
                    money("o.subtotal_minor"), money("o.total_minor"), money(REFUND_SUM.formatted("succeeded")),
                    money(REFUND_SUM.formatted("pending")), ALLOWED_TRANSITIONS);

    static final String SUMMARY_JSON = """
            json_build_object('id', o.id, 'number', o.number, 'status', o.status, 'total', %s,
                'item_count', (select coalesce(sum(quantity), 0) from order_line l where l.order_id = o.id),
                'created_at', rfc3339(o.created_at))::text""".formatted(money("o.total_minor"));

    /**
     * An order as a partner (a marketplace, a logistics system) sees it (P19): ids, statuses, amounts, the
     * lines' SKUs and quantities and the destination country; never the buyer's name, email, address,
     * phone, account or card.
     */
    static final String PARTNER_JSON = """
            json_build_object('id', o.id, 'number', o.number, 'status', o.status, 'payment_status', o.payment_status,
                'total', %s, 'refunded', %s, 'ship_country', o.ship_country,
                'lines', (select coalesce(json_agg(json_build_object('sku', l.sku, 'quantity', l.quantity,
                    'returned_quantity', l.returned_quantity, 'unit_price_minor', l.unit_price_minor) order by l.line_no), '[]'::json)
                    from order_line l where l.order_id = o.id),
                'created_at', rfc3339(o.created_at), 'updated_at', rfc3339(o.updated_at))::text""".formatted(money("o.total_minor"),
            money("o.refunded_minor"));

    /** $1 = order id. */
    static final String ORDER_BY_ID = "select o.account_id, " + ORDER_JSON + " as doc from orders o where o.id = $1";

    /** $1 = order id, $2 = account id: another account's order does not exist for the caller. */
    static final String OWN_ORDER = "select " + ORDER_JSON + " as doc from orders o where o.id = $1 and o.account_id = $2";

    static final String ORDER_STATE = """
            select o.id, o.account_id, o.status, o.currency, o.total_minor, o.refunded_minor, o.payment_reference, o.payment_status
            from orders o where o.id = $1""";

    static final String INSERT_ORDER = """
            insert into orders (id, number, account_id, email, status, currency, subtotal_minor, total_minor,
                ship_name, ship_line1, ship_line2, ship_city, ship_region, ship_postal_code, ship_country, ship_phone,
                billing_postal_code, card_brand, card_last4, card_exp_month, card_exp_year, payment_reference, payment_status, exchange_of)
            values ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)""";

    static final String INSERT_LINES = """
            insert into order_line (order_id, line_no, variant_id, sku, title, product_title, unit_price_minor, quantity, line_total_minor)
            select $1, t.n, t.v, t.s, t.t, t.p, t.u, t.q, t.u * t.q
            from unnest($2::int[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::int[]) as t(n, v, s, t, p, u, q)""";

    static final String LINES = "select line_no, variant_id, sku, title, product_title, unit_price_minor, quantity, returned_quantity "
            + "from order_line where order_id = $1 order by line_no";

    /**
     * Reserves what each line still owes (its cost, minus refunds, minus the value of replaced units) and
     * answers the sum. Runs under the order's lock, like every other write to a line's budget.
     */
    static final String RESERVE_REMAINING = """
            with owed as (
                select line_no, line_total_minor - exchanged_quantity * unit_price_minor - refunded_minor as amount
                from order_line where order_id = $1),
            reserved as (
                update order_line l set refunded_minor = l.refunded_minor + owed.amount
                from owed where l.order_id = $1 and l.line_no = owed.line_no and owed.amount > 0 returning owed.amount)
            select coalesce(sum(amount), 0)::bigint as remaining from reserved""";

    /**
     * Takes $3 units and $4 minor units (default: the units' price) from one line's budget, only if both
     * are left; answers the amount, or no row.
     */
    static final String RESERVE_LINE = """
            update order_line set returned_quantity = returned_quantity + $3,
                refunded_minor = refunded_minor + coalesce($4, unit_price_minor * $3)
            where order_id = $1 and line_no = $2 and returned_quantity + $3 <= quantity
              and refunded_minor + coalesce($4, unit_price_minor * $3) + exchanged_quantity * unit_price_minor <= line_total_minor
            returning coalesce($4, unit_price_minor * $3)::bigint as amount""";

    static final String PENDING_REFUNDS = "select count(*) as n from payment_refund where order_id = $1 and status = 'pending'";

    /** Only what a carrier needs (P19): no email, no payment data. */
    /** The fulfilment request's payload ($1 the order), for Outbox.appendQueried. */
    static final String FULFILMENT_PAYLOAD = """
            select json_build_object(
                'order_number', o.number,
                'ship_to', json_build_object('name', o.ship_name, 'line1', o.ship_line1, 'line2', o.ship_line2,
                    'city', o.ship_city, 'region', o.ship_region, 'postal_code', o.ship_postal_code,
                    'country', o.ship_country, 'phone', o.ship_phone),
                'lines', (select json_agg(json_build_object('sku', l.sku, 'quantity', l.quantity) order by l.line_no)
                          from order_line l where l.order_id = o.id))::text as payload
            from orders o where o.id = $1""";
}
