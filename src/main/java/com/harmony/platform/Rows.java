package com.harmony.platform;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;

/** Small helpers for the reactive SQL client's results. */
public final class Rows {

    private Rows() {
    }

    /** The first row, or null when there is none. */
    public static Row first(RowSet<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() ? it.next() : null;
    }
}
