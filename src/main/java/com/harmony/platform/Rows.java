package com.harmony.platform;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;

/** Small helpers for the reactive SQL client's results. */
public final class Rows {

    private Rows() {
    }

    /** A foreign key refused the write: the row it names (an account, a visitor) does not exist (any more). */
    public static boolean isForeignKeyViolation(Throwable t) {
        return t instanceof io.vertx.pgclient.PgException pg && "23503".equals(pg.getSqlState());
    }

    /** A unique constraint refused the write. */
    public static boolean isUniqueViolation(Throwable t) {
        return t instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState());
    }

    /** The JSON document PostgreSQL built for an answer (a row's {@code doc}), compact like every answer (JsonText). */
    public static String doc(Row row) {
        return JsonText.compact(row.getString("doc"));
    }

    /** The first row, or null when there is none. */
    public static Row first(RowSet<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() ? it.next() : null;
    }
}
