package com.harmony.catalog;

import com.harmony.platform.Cursor;
import com.harmony.platform.Rows;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Turns a {@link ProductQuery} into one keyset-paginated SQL statement. Each sort has a key column
 * (compared as text through the cursor) and the id as tie-breaker, so pages are stable under writes.
 */
final class ProductListing {

    private final ProductQuery query;
    private final List<Object> params = new ArrayList<>();
    private final List<String> where = new ArrayList<>();

    ProductListing(ProductQuery query) {
        this.query = query;
    }

    String sql() {
        boolean searching = query.q() != null && !query.q().isBlank();
        String categoryCte = "";
        if (query.category() != null) {
            String match = isUuid(query.category()) ? "id = " + param(UUID.fromString(query.category()))
                    : "slug = " + param(query.category());
            categoryCte = """
                    with recursive cat as (
                        select id from catalog_category where %s
                        union all
                        select c.id from catalog_category c join cat on c.parent_id = cat.id)
                    """.formatted(match);
            where.add("p.category_id in (select id from cat)");
        }
        String rank = "null";
        if (searching) {
            String tsq = "websearch_to_tsquery('english', " + param(query.q()) + ")";
            where.add("p.search @@ " + tsq);
            rank = "ts_rank_cd(p.search, " + tsq + ")::real";
        }
        switch (query.status()) {
            case active -> where.add("p.status = 'active'");
            case archived -> where.add("p.status = 'archived'");
            case all -> { }
        }
        if (query.minPrice() != null || query.maxPrice() != null || query.currency() != null) {
            StringBuilder v = new StringBuilder("exists (select 1 from catalog_variant v where v.product_id = p.id and v.status = 'active'");
            if (query.minPrice() != null) v.append(" and v.price_minor >= ").append(param(query.minPrice()));
            if (query.maxPrice() != null) v.append(" and v.price_minor <= ").append(param(query.maxPrice()));
            if (query.currency() != null) v.append(" and v.currency = ").append(param(query.currency()));
            where.add(v.append(')').toString());
        }
        if (query.inStock() != null) {
            where.add((query.inStock() ? "" : "not ") + "p.in_stock");
        }

        String key = keyExpression(rank);
        boolean descending = switch (query.sort()) {
            case newest, price_desc, relevance -> true;
            case oldest, price_asc, title -> false;
        };
        if (query.cursor() != null) {
            Cursor c = Cursor.decode(query.cursor(), query.sort().name());
            if (!isUuid(c.id())) {
                throw Cursor.invalid();
            }
            where.add("(" + key + ", p.id) " + (descending ? "<" : ">") + " (" + param(c.key()) + "::text::" + keyType()
                    + ", " + param(UUID.fromString(c.id())) + ")");
        }
        String dir = descending ? " desc" : "";
        return categoryCte + "select p.id::text as id, (" + key + ")::text as k, "
                + CatalogSql.summaryWithRank(rank) + " as doc\n"
                + "from catalog_product p\n"
                + (where.isEmpty() ? "" : "where " + String.join("\n  and ", where) + "\n")
                + "order by " + key + dir + ", p.id" + dir + "\nlimit " + (query.limit() + 1);
    }

    Tuple params() {
        return Tuple.from(params);
    }

    /** The page body, assembled from the documents PostgreSQL built. */
    String page(List<Row> rows) {
        boolean hasMore = rows.size() > query.limit();
        List<Row> shown = hasMore ? rows.subList(0, query.limit()) : rows;
        StringBuilder out = new StringBuilder(256 + shown.size() * 400).append("{\"data\":[");
        for (int i = 0; i < shown.size(); i++) {
            if (i > 0) out.append(',');
            out.append(Rows.doc(shown.get(i)));
        }
        out.append("],\"has_more\":").append(hasMore).append(",\"next_cursor\":");
        if (hasMore) {
            Row last = shown.get(shown.size() - 1);
            out.append('"').append(new Cursor(query.sort().name(), last.getString("k"), last.getString("id")).encode()).append('"');
        } else {
            out.append("null");
        }
        return out.append('}').toString();
    }

    private String keyExpression(String rank) {
        return switch (query.sort()) {
            case newest, oldest -> "p.created_at";
            case price_asc -> "coalesce(p.price_min, 9223372036854775807)";
            case price_desc -> "coalesce(p.price_min, -1)";
            case title -> "lower(p.title) collate \"C\"";
            case relevance -> rank;
        };
    }

    private String keyType() {
        return switch (query.sort()) {
            case newest, oldest -> "timestamptz";
            case price_asc, price_desc -> "bigint";
            case title -> "text";
            case relevance -> "real";
        };
    }

    private String param(Object value) {
        params.add(value);
        return "$" + params.size();
    }

    static boolean isUuid(String s) {
        if (s == null || s.length() != 36) {
            return false;
        }
        try {
            UUID.fromString(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
