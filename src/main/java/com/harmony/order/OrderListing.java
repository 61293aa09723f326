package com.harmony.order;

import com.harmony.platform.Cursor;
import com.harmony.platform.ProblemException;
import com.harmony.platform.Rows;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One keyset-paginated listing of orders, newest first (created_at, id). The customer's history pins
 * account_id; the back office may filter by account, status, payment status, email, number and creation time.
 */
public final class OrderListing {

    private static final String SORT = "newest";

    private final List<Object> params = new ArrayList<>();
    private final List<String> where = new ArrayList<>();
    private final int limit;
    private String doc = OrderSql.SUMMARY_JSON;

    private OrderListing(int limit) {
        this.limit = limit;
    }

    /** Every order, for partner systems: minimised documents (OrderSql.PARTNER_JSON), optionally of one status. */
    static OrderListing forPartners(OrderStatus status, int limit, String cursor) {
        OrderListing l = new OrderListing(limit);
        l.doc = OrderSql.PARTNER_JSON;
        if (status != null) l.where.add("o.status = " + l.param(status.name()));
        l.after(cursor);
        return l;
    }

    /** The customer's own orders. */
    static OrderListing forAccount(UUID accountId, int limit, String cursor) {
        OrderListing l = new OrderListing(limit);
        l.where.add("o.account_id = " + l.param(accountId));
        l.after(cursor);
        return l;
    }

    /** The back office search; every filter is optional. */
    static OrderListing search(UUID accountId, OrderStatus status, PaymentStatus paymentStatus, String email, String number, String createdFrom,
            String createdTo, int limit, String cursor) {
        OrderListing l = new OrderListing(limit);
        if (accountId != null) l.where.add("o.account_id = " + l.param(accountId));
        if (status != null) l.where.add("o.status = " + l.param(status.name()));
        if (paymentStatus != null) l.where.add("o.payment_status = " + l.param(paymentStatus.name()));
        if (email != null) l.where.add("lower(o.email) = lower(" + l.param(email) + ")");
        if (number != null) l.where.add("o.number = " + l.param(number.toUpperCase()));
        if (createdFrom != null) l.where.add("o.created_at >= " + l.param(timestamp("created_from", createdFrom)));
        if (createdTo != null) l.where.add("o.created_at < " + l.param(timestamp("created_to", createdTo)));
        l.after(cursor);
        return l;
    }

    private void after(String cursor) {
        if (cursor == null) {
            return;
        }
        Cursor c = Cursor.decode(cursor, SORT);
        UUID id;
        try {
            id = UUID.fromString(c.id());
        } catch (IllegalArgumentException e) {
            throw Cursor.invalid();
        }
        where.add("(o.created_at, o.id) < (" + param(c.key()) + "::text::timestamptz, " + param(id) + ")");
    }

    String sql() {
        return "select o.id::text as id, o.created_at::text as k, " + doc + " as doc from orders o\n"
                + (where.isEmpty() ? "" : "where " + String.join(" and ", where) + "\n")
                + "order by o.created_at desc, o.id desc limit " + (limit + 1);
    }

    Tuple params() {
        return Tuple.from(params);
    }

    String page(List<Row> rows) {
        boolean hasMore = rows.size() > limit;
        List<Row> shown = hasMore ? rows.subList(0, limit) : rows;
        StringBuilder out = new StringBuilder("{\"data\":[");
        for (int i = 0; i < shown.size(); i++) {
            if (i > 0) out.append(',');
            out.append(Rows.doc(shown.get(i)));
        }
        out.append("],\"has_more\":").append(hasMore).append(",\"next_cursor\":");
        if (hasMore) {
            Row last = shown.get(shown.size() - 1);
            out.append('"').append(new Cursor(SORT, last.getString("k"), last.getString("id")).encode()).append('"');
        } else {
            out.append("null");
        }
        return out.append('}').toString();
    }

    private static OffsetDateTime timestamp(String name, String value) {
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(name, "must be an RFC 3339 timestamp such as 2026-11-24T00:00:00Z");
        }
    }

    private String param(Object value) {
        params.add(value);
        return "$" + params.size();
    }
}
