package com.harmony.platform;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A keyset page, newest first, of documents PostgreSQL builds: rows of {@code from} (aliased
 * {@code alias}, with an {@code id} column) ordered by a time column, optionally where one column
 * equals a value. The cursor is opaque and tied to its listing.
 */
public record NewestFirst(String from, String alias, String timeColumn, String sort, String docJson) {

    public Uni<String> page(Pool pool, String filterColumn, Object filterValue, int limit, String cursor) {
        return page(pool, filterColumn, filterValue, limit, cursor, false);
    }

    /** The same listing soonest first (a due date's order): the earliest time, then the lowest id. */
    public Uni<String> pageOldestFirst(Pool pool, String filterColumn, Object filterValue, int limit, String cursor) {
        return page(pool, filterColumn, filterValue, limit, cursor, true);
    }

    private Uni<String> page(Pool pool, String filterColumn, Object filterValue, int limit, String cursor, boolean ascending) {
        List<Object> params = new ArrayList<>();
        List<String> where = new ArrayList<>();
        String time = alias + "." + timeColumn;
        String id = alias + ".id";
        if (filterValue != null) {
            params.add(filterValue);
            where.add(alias + "." + filterColumn + " = $" + params.size());
        }
        if (cursor != null) {
            Cursor c = Cursor.decode(cursor, sort);
            try {
                params.add(c.key());
                params.add(UUID.fromString(c.id()));
            } catch (IllegalArgumentException e) {
                throw Cursor.invalid();
            }
            where.add("(" + time + ", " + id + ") " + (ascending ? ">" : "<") + " ($" + (params.size() - 1) + "::text::timestamptz, $" + params.size() + ")");
        }
        String sql = "select " + id + "::text as id, " + time + "::text as k, " + docJson + " as doc from " + from + " "
                + (where.isEmpty() ? "" : "where " + String.join(" and ", where) + " ")
                + "order by " + time + (ascending ? " asc, " : " desc, ") + id + (ascending ? " asc" : " desc") + " limit " + (limit + 1);
        return pool.preparedQuery(sql).execute(Tuple.from(params)).map(rows -> Cursor.page(rows, limit, sort));
    }
}
