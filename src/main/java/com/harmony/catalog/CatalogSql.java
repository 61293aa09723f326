package com.harmony.catalog;

/**
 * The catalog's SQL. Reads build their JSON inside PostgreSQL so a product with its variants is one
 * indexed round trip and no object mapping; keys follow the API's snake_case.
 */
final class CatalogSql {

    private CatalogSql() {
    }

    static final String CATEGORY_REF = """
            case when c.id is null then null
                 else json_build_object('id', c.id, 'slug', c.slug, 'name', c.name) end""";

    /** Price range over the active variants, from the columns the catalog_product_derive trigger keeps. */
    static final String PRICE_RANGE = """
            case when p.price_min is null then null
                 else json_build_object('min', json_build_object('amount_minor', p.price_min, 'currency', p.currency),
                                        'max', json_build_object('amount_minor', p.price_max, 'currency', p.currency)) end""";

    static final String VARIANT_JSON = """
            json_build_object('id', v.id, 'product_id', v.product_id, 'sku', v.sku, 'title', v.title,
                'options', v.options,
                'price', json_build_object('amount_minor', v.price_minor, 'currency', v.currency),
                'stock_on_hand', v.stock_on_hand, 'in_stock', v.stock_on_hand > 0,
                'status', v.status, 'version', v.version)""";

    /** $1 = product id, $2 = include archived variants. */
    static final String PRODUCT_BY_ID = productJson("p.id = $1");
    /** $1 = slug, $2 = include archived variants. */
    static final String PRODUCT_BY_SLUG = productJson("p.slug = $1");

    private static String productJson(String where) {
        return """
                select p.status, json_build_object(
                    'id', p.id, 'slug', p.slug, 'title', p.title, 'description', p.description,
                    'category', %s,
                    'images', p.images, 'attributes', p.attributes, 'status', p.status,
                    'price_range', %s,
                    'in_stock', p.in_stock,
                    'variants', coalesce((select json_agg(%s order by v.position, v.created_at, v.id)
                                          from catalog_variant v
                                          where v.product_id = p.id and ($2 or v.status = 'active')), '[]'::json),
                    'version', p.version,
                    'created_at', rfc3339(p.created_at), 'updated_at', rfc3339(p.updated_at))::text as doc
                from catalog_product p
                left join catalog_category c on c.id = p.category_id
                where %s""".formatted(CATEGORY_REF, PRICE_RANGE, VARIANT_JSON, where);
    }

    static final String VARIANT_BY_ID = "select " + VARIANT_JSON + "::text as doc from catalog_variant v where v.id = $1";

    /**
     * A listing entry: the product's precomputed summary (kept by the catalog_product_derive trigger)
     * with the search rank added as its last field.
     */
    static String summaryWithRank(String rank) {
        return "left(p.summary, -1) || ', \"rank\" : ' || coalesce((" + rank + ")::text, 'null') || '}'";
    }

    /** Each category with its own count and its subtree's (every category under it, at any depth, as the listing's filter reads it). */
    static final String CATEGORY_TREE = """
            with recursive under as (
                select id as root, id from catalog_category
                union all
                select u.root, c.id from catalog_category c join under u on c.parent_id = u.id)
            select json_build_object('id', c.id, 'slug', c.slug, 'name', c.name, 'description', c.description,
                       'parent_id', c.parent_id, 'position', c.position,
                       'product_count', (select count(*) from catalog_product p
                                         where p.category_id = c.id and p.status = 'active'),
                       'total_product_count', (select count(*) from under u join catalog_product p on p.category_id = u.id
                                               where u.root = c.id and p.status = 'active'))::text as doc,
                   c.id::text as id, c.slug, c.parent_id::text as parent_id
            from catalog_category c
            order by c.position, c.name, c.id""";

    static final String INSERT_PRODUCT = """
            insert into catalog_product (slug, title, description, category_id, images, attributes)
            values ($1, $2, $3, $4, $5, $6) returning id""";

    static final String INSERT_VARIANT = """
            insert into catalog_variant (product_id, sku, title, options, price_minor, currency, stock_on_hand, position)
            values ($1, $2, $3, $4, $5, $6, $7,
                    (select coalesce(max(position) + 1, 0) from catalog_variant where product_id = $1))
            returning id""";

    static final String UPDATE_PRODUCT = """
            update catalog_product set
                slug = coalesce($2, slug), title = coalesce($3, title), description = coalesce($4, description),
                category_id = coalesce($5, category_id), images = coalesce($6, images),
                attributes = coalesce($7, attributes), version = version + 1, updated_at = now()
            where id = $1 returning id""";

    static final String SET_PRODUCT_STATUS = """
            update catalog_product set status = $2, version = version + 1, updated_at = now()
            where id = $1 returning id""";

    static final String TOUCH_PRODUCT = "update catalog_product set version = version + 1, updated_at = now() where id = $1";

    static final String UPDATE_VARIANT = """
            update catalog_variant set
                sku = coalesce($2, sku), title = coalesce($3, title), options = coalesce($4, options),
                price_minor = coalesce($5, price_minor), currency = coalesce($6, currency),
                stock_on_hand = coalesce($7, stock_on_hand), version = version + 1, updated_at = now()
            where id = $1 returning product_id""";

    static final String SET_VARIANT_STATUS = """
            update catalog_variant set status = $2, version = version + 1, updated_at = now()
            where id = $1 returning product_id""";

    /** Applies a stock delta only if the result stays between 0 and the most a stock level may hold: one statement, race-free. */
    static final String ADJUST_STOCK = """
            update catalog_variant set stock_on_hand = stock_on_hand + $2, version = version + 1, updated_at = now()
            where id = $1 and stock_on_hand::bigint + $2 between 0 and %d returning product_id""".formatted(CatalogRequests.MAX_STOCK);

    /** Currencies other than $2 among the product's variants, excluding variant $3. */
    static final String OTHER_CURRENCIES = """
            select 1 from catalog_variant where product_id = $1 and currency <> $2 and id <> $3 limit 1""";

    static final String CATEGORY_EXISTS = "select 1 from catalog_category where id = $1";

    /** True when $2 is $1 itself or one of its descendants (so $2 cannot become $1's parent). */
    static final String IS_SELF_OR_DESCENDANT = """
            with recursive sub as (
                select id from catalog_category where id = $1
                union all
                select c.id from catalog_category c join sub on c.parent_id = sub.id)
            select 1 from sub where id = $2""";

    static final String INSERT_CATEGORY = """
            insert into catalog_category (slug, name, description, parent_id, position)
            values ($1, $2, $3, $4, $5) returning id""";

    static final String UPDATE_CATEGORY = """
            update catalog_category set slug = coalesce($2, slug), name = coalesce($3, name),
                description = coalesce($4, description), parent_id = coalesce($5, parent_id),
                position = coalesce($6, position), updated_at = now()
            where id = $1 returning id""";

    static final String CATEGORY_IN_USE = """
            select exists (select 1 from catalog_category where parent_id = $1)
                or exists (select 1 from catalog_product where category_id = $1) as used""";

    static final String DELETE_CATEGORY = "delete from catalog_category where id = $1 returning id";

    /**
     * $1 = variant ids; through the SQL function other features' SQL calls too (V34), so "purchasable" has
     * one definition, behind PL/pgSQL so that it is not planned again at every execution (V37).
     */
    static final String VARIANT_SNAPSHOTS = """
            select id, sku, title, product_title, price_minor, currency, stock_on_hand, purchasable
            from catalog_variant_snapshots_planned($1)""";

    /** Takes $2 units of variant $1 if that many are on hand and it can be bought; decided in one statement, which answers what the stock event tells. */
    static final String RESERVE_STOCK = """
            update catalog_variant v set stock_on_hand = stock_on_hand - $2, version = version + 1, updated_at = now()
            where v.id = $1 and v.stock_on_hand >= $2 and v.status = 'active'
              and exists (select 1 from catalog_product p where p.id = v.product_id and p.status = 'active')""";

    /** A stock.changed event's payload, for Outbox.appendQueried ($1 the variant, $3 the delta or null, $4 the reason). */
    static final String STOCK_EVENT_PAYLOAD = """
            select json_build_object('variant_id', v.id, 'product_id', v.product_id, 'sku', v.sku, 'stock_on_hand', v.stock_on_hand,
                'delta', $3::int, 'reason', $4::text)::text as payload
            from catalog_variant v where v.id = $1""";

    static final String RELEASE_STOCK = """
            update catalog_variant set stock_on_hand = stock_on_hand + $2, version = version + 1, updated_at = now()
            where id = $1""";

    static final String INSERT_MOVEMENT = """
            insert into stock_movement (variant_id, delta, reason, reference, note, actor_id) values ($1, $2, $3, $4, $5, $6)""";
}
