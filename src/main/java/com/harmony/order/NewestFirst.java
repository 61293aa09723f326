package com.harmony.order;

import com.harmony.platform.Cursor;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A keyset page, newest first, of rows aliased {@code r} (created_at, id, status), optionally in one status. */
final class NewestFirst {

    private NewestFirst() {
    }

    static Uni<String> page(Pool pool, String docJson, String from, String sort, String status, int limit, String cursor) {
        List<Object> params = new ArrayList<>();
        List<String> where = new ArrayList<>();
        if (status != null) {
            params.add(status);
            where.add("r.status = $" + params.size());
        }
        if (cursor != null) {
            Cursor c = Cursor.decode(cursor, sort);
            try {
                params.add(c.key());
                params.add(UUID.fromString(c.id()));
            } catch (IllegalArgumentException e) {
                throw Cursor.invalid();
            }
            where.add("(r.created_at, r.id) < ($" + (params.size() - 1) + "::text::timestamptz, $" + params.size() + ")");
        }
        String sql = "select r.id::text as id, r.created_at::text as k, " + docJson + " as doc from " + from + " "
                + (where.isEmpty() ? "" : "where " + String.join(" and ", where) + " ")
                + "order by r.created_at desc, r.id desc limit " + (limit + 1);
        return pool.preparedQuery(sql).execute(Tuple.from(params)).map(rows -> Cursor.page(rows, limit, sort));
    }
}
