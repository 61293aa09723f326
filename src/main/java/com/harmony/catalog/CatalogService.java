package com.harmony.catalog;

import com.harmony.catalog.CatalogRequests.CreateCategoryRequest;
import com.harmony.catalog.CatalogRequests.CreateProductRequest;
import com.harmony.catalog.CatalogRequests.StockAdjustmentRequest;
import com.harmony.catalog.CatalogRequests.UpdateCategoryRequest;
import com.harmony.catalog.CatalogRequests.UpdateProductRequest;
import com.harmony.catalog.CatalogRequests.UpdateVariantRequest;
import com.harmony.catalog.CatalogRequests.VariantInput;
import com.harmony.platform.ETags;
import com.harmony.platform.Outbox;
import com.harmony.platform.ProblemException;
import com.harmony.platform.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Currency;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Owns categories, products, variants and their stock. Reads return JSON documents built by
 * PostgreSQL; writes run in one transaction each and answer with the document as it now stands.
 */
@ApplicationScoped
public class CatalogService {

    /** Announced to partners (webhooks) through the outbox, in the change's transaction: ids, slug, status, no content. */
    public static final String PRODUCT_TOPIC = "product.changed";
    /** A variant's stock on hand moved: ids, SKU, the new level, the delta and why. */
    public static final String STOCK_TOPIC = "stock.changed";

    private static final String PRODUCT_EVENT = "select slug, status, rfc3339(updated_at) as updated_at from catalog_product where id = $1";

    private final Pool pool;
    private final Outbox outbox;
    private final CatalogCache cache;
    private final CatalogReads reads;

    CatalogService(Pool pool, Outbox outbox, CatalogCache cache, CatalogReads reads) {
        this.reads = reads;
        this.pool = pool;
        this.outbox = outbox;
        this.cache = cache;
    }

    /**
     * A staff write: in one transaction that also NOTIFYs every instance's catalog cache (delivered when it
     * commits); this instance drops its own entries as soon as it has committed, so the writer reads its write.
     */
    private <T> Uni<T> write(java.util.function.Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(conn -> work.apply(conn).call(() -> cache.announce(conn))).invoke(done -> cache.invalidateAll());
    }

    // ------------------------------------------------------------------ reads

    /** A product by id or slug; archived products exist only for the back office. */
    public Uni<String> product(String idOrSlug, boolean backOffice) {
        boolean byId = ProductListing.isUuid(idOrSlug);
        String sql = byId ? CatalogSql.PRODUCT_BY_ID : CatalogSql.PRODUCT_BY_SLUG;
        Object key = byId ? UUID.fromString(idOrSlug) : idOrSlug;
        // staff read the primary (their own writes at once); the shop may read a replica
        return (backOffice ? pool : reads.shop()).preparedQuery(sql).execute(Tuple.of(key, backOffice))
                .map(rows -> {
                    Row row = Rows.first(rows);
                    if (row == null || (!backOffice && !"active".equals(row.getString("status")))) {
                        throw ProblemException.notFound("Product " + idOrSlug);
                    }
                    return Rows.doc(row);
                });
    }

    public Uni<String> products(ProductQuery query) {
        return products(query, true);
    }

    /** A page of products for the shop, from the catalog replica when one is configured. */
    public Uni<String> shopProducts(ProductQuery query) {
        return products(query, false);
    }

    private Uni<String> products(ProductQuery query, boolean backOffice) {
        ProductListing listing = new ProductListing(query);
        String sql = listing.sql();
        return (backOffice ? pool : reads.shop()).preparedQuery(sql).execute(listing.params())
                .map(rows -> {
                    List<Row> list = new ArrayList<>(rows.size());
                    rows.forEach(list::add);
                    return listing.page(list);
                });
    }

    public Uni<String> variant(UUID id) {
        return pool.preparedQuery(CatalogSql.VARIANT_BY_ID).execute(Tuple.of(id))
                .map(rows -> Rows.doc(require(Rows.first(rows), "Variant " + id)));
    }

    /** The whole category tree as {"data":[roots…]}. */
    public Uni<String> categories() {
        return categoryNodes().map(tree -> "{\"data\":[" + String.join(",", tree.render(null)) + "]}");
    }

    public Uni<String> category(String idOrSlug) {
        return categoryNodes().map(tree -> {
            String json = tree.renderOne(idOrSlug);
            if (json == null) {
                throw ProblemException.notFound("Category " + idOrSlug);
            }
            return json;
        });
    }

    // ------------------------------------------------------------------ product writes

    public Uni<ProductCreated> createProduct(CreateProductRequest r) {
        checkSlug(r.slug());
        checkVariantCurrencies(r.variants());
        return write(conn -> requireCategory(conn, r.categoryId())
                .chain(() -> conn.preparedQuery(CatalogSql.INSERT_PRODUCT).execute(Tuple.from(new Object[] {
                        r.slug(), r.title().strip(), nz(r.description()), r.categoryId(),
                        new JsonArray(r.images() == null ? List.of() : new ArrayList<>(r.images())),
                        new JsonObject(r.attributes() == null ? Map.of() : new LinkedHashMap<>(r.attributes()))})))
                .map(rows -> Rows.first(rows).getUUID("id"))
                .call(id -> insertVariants(conn, id, r.variants()))
                .call(id -> productChanged(conn, id, "created"))
                .chain(id -> productIn(conn, id).map(doc -> new ProductCreated(id, doc))))
                .onFailure(PgException.class).transform(CatalogService::translate);
    }

    /** A created product's id (for the Location header) and its document. */
    public record ProductCreated(UUID id, String document) {
    }

    public Uni<String> updateProduct(UUID id, String ifMatch, UpdateProductRequest r) {
        checkSlug(r.slug());
        return write(conn -> unchanged(conn, ifMatch, "select 1 from catalog_product where id = $1 for update", id, "Product " + id,
                        () -> productIn(conn, id))
                .chain(() -> requireCategory(conn, r.categoryId()))
                .chain(() -> conn.preparedQuery(CatalogSql.UPDATE_PRODUCT).execute(Tuple.from(new Object[] {
                        id, r.slug(), r.title() == null ? null : r.title().strip(), r.description(), r.categoryId(),
                        r.images() == null ? null : new JsonArray(new ArrayList<>(r.images())),
                        r.attributes() == null ? null : new JsonObject(new LinkedHashMap<>(r.attributes()))})))
                .map(rows -> require(Rows.first(rows), "Product " + id))
                .chain(() -> productChanged(conn, id, "updated"))
                .chain(() -> productIn(conn, id)))
                .onFailure(PgException.class).transform(CatalogService::translate);
    }

    public Uni<String> setProductStatus(UUID id, boolean active) {
        return write(conn -> conn.preparedQuery(CatalogSql.SET_PRODUCT_STATUS)
                .execute(Tuple.of(id, active ? "active" : "archived"))
                .map(rows -> require(Rows.first(rows), "Product " + id))
                .chain(() -> productChanged(conn, id, active ? "activated" : "archived"))
                .chain(() -> productIn(conn, id)));
    }

    // ------------------------------------------------------------------ variant writes

    public Uni<String> addVariant(UUID productId, VariantInput v) {
        checkCurrency("currency", v.currency());
        return write(conn -> conn.preparedQuery("select 1 from catalog_product where id = $1 for update")
                .execute(Tuple.of(productId))
                .map(rows -> require(Rows.first(rows), "Product " + productId))
                .chain(() -> requireSameCurrency(conn, productId, v.currency(), null))
                .chain(() -> insertVariants(conn, productId, List.of(v)))
                .chain(() -> touch(conn, productId))
                .chain(() -> productChanged(conn, productId, "variant_added"))
                .chain(() -> productIn(conn, productId)))
                .onFailure(PgException.class).transform(CatalogService::translate);
    }

    public Uni<String> updateVariant(UUID variantId, String ifMatch, UpdateVariantRequest r) {
        if (r.currency() != null) {
            checkCurrency("currency", r.currency());
        }
        return write(conn -> unchanged(conn, ifMatch, "select 1 from catalog_variant where id = $1 for update", variantId,
                        "Variant " + variantId, () -> variantIn(conn, variantId))
                .chain(() -> conn.preparedQuery(CatalogSql.UPDATE_VARIANT).execute(Tuple.from(new Object[] {
                        variantId, r.sku(), r.title(),
                        r.options() == null ? null : new JsonObject(new LinkedHashMap<>(r.options())),
                        r.priceMinor(), r.currency(), r.stockOnHand()})))
                .map(rows -> require(Rows.first(rows), "Variant " + variantId).getUUID("product_id"))
                .call(productId -> r.currency() == null ? Uni.createFrom().voidItem()
                        : requireSameCurrency(conn, productId, r.currency(), variantId))
                .call(productId -> touch(conn, productId))
                .call(productId -> productChanged(conn, productId, "variant_updated"))
                .call(productId -> r.stockOnHand() == null ? Uni.createFrom().voidItem() : stockChanged(conn, variantId, null, "set"))
                .chain(() -> variantIn(conn, variantId)))
                .onFailure(PgException.class).transform(CatalogService::translate);
    }

    public Uni<String> setVariantStatus(UUID variantId, boolean active) {
        return write(conn -> conn.preparedQuery(CatalogSql.SET_VARIANT_STATUS)
                .execute(Tuple.of(variantId, active ? "active" : "archived"))
                .map(rows -> require(Rows.first(rows), "Variant " + variantId).getUUID("product_id"))
                .call(productId -> touch(conn, productId))
                .call(productId -> productChanged(conn, productId, active ? "variant_activated" : "variant_archived"))
                .chain(() -> variantIn(conn, variantId)));
    }

    /** Adds or removes stock atomically; a removal below zero, or an addition past the billion a stock level may hold, is refused, not clamped. */
    public Uni<String> adjustStock(UUID variantId, StockAdjustmentRequest r, UUID actorId, com.harmony.platform.Idempotency.Claim claim) {
        return write(conn -> conn.preparedQuery(CatalogSql.ADJUST_STOCK)
                .execute(Tuple.of(variantId, r.delta()))
                .chain(rows -> rows.size() == 1 ? touch(conn, Rows.first(rows).getUUID("product_id"))
                        .call(() -> recordMovement(conn, variantId, r.delta(), StockReason.adjustment, null, r.reason(), actorId))
                        .call(() -> stockChanged(conn, variantId, r.delta(), StockReason.adjustment.name()))
                        // a retry after an answer lost past the commit is answered with the variant, not adjusted again
                        .call(() -> claim.record(conn, variantId.toString()))
                        : conn.preparedQuery("select stock_on_hand from catalog_variant where id = $1").execute(Tuple.of(variantId))
                                .map(current -> {
                                    Row row = require(Rows.first(current), "Variant " + variantId);
                                    if (r.delta() > 0) {
                                        throw ProblemException.invalid("delta", "would take the stock past " + CatalogRequests.MAX_STOCK + " units (it holds "
                                                + row.getInteger("stock_on_hand") + "), the most a stock level may hold");
                                    }
                                    throw new ProblemException(CatalogProblems.INSUFFICIENT_STOCK, "Only "
                                            + row.getInteger("stock_on_hand") + " units on hand; cannot remove " + -r.delta() + ".");
                                }))
                .chain(() -> variantIn(conn, variantId)));
    }

    // ------------------------------------------------------------------ for carts and orders

    /**
     * What carts and orders need to know about variants, read on the caller's connection (so an order
     * transaction sees the same rows it reserves). Unknown ids are simply absent from the map.
     */
    public Uni<Map<UUID, VariantSnapshot>> variantSnapshots(SqlClient client, Collection<UUID> variantIds) {
        if (variantIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return client.preparedQuery(CatalogSql.VARIANT_SNAPSHOTS).execute(Tuple.of(variantIds.toArray(new UUID[0])))
                .map(rows -> {
                    Map<UUID, VariantSnapshot> out = new LinkedHashMap<>();
                    for (Row r : rows) {
                        out.put(r.getUUID("id"), VariantSnapshot.of(r.getUUID("id"), r));
                    }
                    return out;
                });
    }

    /**
     * Takes quantity units of a purchasable variant in the caller's transaction, only if that many are on
     * hand: one conditional UPDATE, so concurrent buyers can never oversell. Fails with
     * {@code shortOfStock} when there are not enough (or the variant is unknown or archived). The UPDATE
     * and its stock.changed event go out together (one round trip); when the UPDATE took nothing, the
     * failure makes the caller's transaction take the event back.
     */
    public Uni<Void> reserveStock(SqlConnection conn, UUID variantId, int quantity, Supplier<ProblemException> shortOfStock) {
        return Uni.combine().all().unis(conn.preparedQuery(CatalogSql.RESERVE_STOCK).execute(Tuple.of(variantId, quantity)),
                        stockChanged(conn, variantId, -quantity, "sale"))
                .with((reserved, event) -> {
                    if (reserved.rowCount() != 1) {
                        throw shortOfStock.get();
                    }
                    return (Void) null;
                });
    }

    /**
     * Puts units back on hand in the caller's transaction (a cancelled order, goods received back from a
     * return), with a stock-movement record saying why.
     */
    public Uni<Void> restock(SqlConnection conn, UUID variantId, int quantity, StockReason reason, String reference, UUID actorId) {
        return conn.preparedQuery(CatalogSql.RELEASE_STOCK).execute(Tuple.of(variantId, quantity))
                .chain(() -> recordMovement(conn, variantId, quantity, reason, reference, null, actorId))
                .chain(() -> stockChanged(conn, variantId, quantity, reason.name()));
    }

    /** Announces a product change to partners, in the change's transaction. */
    private Uni<Void> productChanged(SqlConnection conn, UUID productId, String change) {
        return conn.preparedQuery(PRODUCT_EVENT).execute(Tuple.of(productId)).chain(rows -> {
            Row r = Rows.first(rows);
            return r == null ? Uni.createFrom().voidItem() : outbox.append(conn, PRODUCT_TOPIC, productId, new JsonObject()
                    .put("product_id", productId.toString()).put("slug", r.getString("slug")).put("status", r.getString("status"))
                    .put("change", change).put("updated_at", r.getString("updated_at"))).replaceWithVoid();
        });
    }

    /**
     * Announces a variant's new stock level to partners, in the change's transaction (delta null: set
     * outright): the payload is read from the row as the change left it, in the same statement.
     */
    private Uni<Void> stockChanged(SqlConnection conn, UUID variantId, Integer delta, String reason) {
        return outbox.appendQueried(conn, STOCK_TOPIC, variantId, CatalogSql.STOCK_EVENT_PAYLOAD, delta, reason);
    }

    /** Why stock moved, other than a sale. */
    public enum StockReason { adjustment, order_cancelled, order_refunded, return_received }

    private static Uni<Void> recordMovement(SqlConnection conn, UUID variantId, int delta, StockReason reason, String reference,
            String note, UUID actorId) {
        return conn.preparedQuery(CatalogSql.INSERT_MOVEMENT)
                .execute(Tuple.from(new Object[] {variantId, delta, reason.name(), reference, note, actorId}))
                .replaceWithVoid();
    }

    /** A variant as carts and orders see it; purchasable means both it and its product are active. */
    public record VariantSnapshot(UUID id, String sku, String title, String productTitle, long priceMinor, String currency,
            int stockOnHand, boolean purchasable) {

        /** From a row with the columns of catalog_variant_snapshots (V34) but its id, which the caller names. */
        public static VariantSnapshot of(UUID id, Row r) {
            return new VariantSnapshot(id, r.getString("sku"), r.getString("title"), r.getString("product_title"),
                    r.getLong("price_minor"), r.getString("currency"), r.getInteger("stock_on_hand"), r.getBoolean("purchasable"));
        }
    }

    /** A slug shaped like an id could never be followed: the public paths take such a segment for an id. */
    private static void checkSlug(String slug) {
        if (slug != null && ProductListing.isUuid(slug)) {
            throw ProblemException.invalid("slug", "must not have the shape of an id (a UUID), which the public paths read as one");
        }
    }

    // ------------------------------------------------------------------ category writes

    public Uni<ProductCreated> createCategory(CreateCategoryRequest r) {
        checkSlug(r.slug());
        return write(conn -> requireCategory(conn, r.parentId(), "parent_id")
                .chain(() -> conn.preparedQuery(CatalogSql.INSERT_CATEGORY).execute(Tuple.of(
                        r.slug(), r.name().strip(), nz(r.description()), r.parentId(), r.position() == null ? 0 : r.position())))
                .map(rows -> Rows.first(rows).getUUID("id")))
                .onFailure(PgException.class).transform(CatalogService::translate)
                .chain(id -> category(id.toString()).map(doc -> new ProductCreated(id, doc)));
    }

    public Uni<String> updateCategory(UUID id, UpdateCategoryRequest r) {
        checkSlug(r.slug());
        return write(conn -> requireCategory(conn, r.parentId(), "parent_id")
                .chain(() -> r.parentId() == null ? Uni.createFrom().voidItem()
                        : conn.preparedQuery(CatalogSql.IS_SELF_OR_DESCENDANT).execute(Tuple.of(id, r.parentId()))
                                .invoke(rows -> {
                                    if (rows.size() > 0) {
                                        throw ProblemException.invalid("parent_id", "must not be the category itself or one of its descendants");
                                    }
                                }).replaceWithVoid())
                .chain(() -> conn.preparedQuery(CatalogSql.UPDATE_CATEGORY).execute(Tuple.from(new Object[] {
                        id, r.slug(), r.name() == null ? null : r.name().strip(), r.description(), r.parentId(), r.position()})))
                .map(rows -> require(Rows.first(rows), "Category " + id)))
                .onFailure(PgException.class).transform(CatalogService::translate)
                .chain(() -> category(id.toString()));
    }

    /** Deletes an empty category; one with sub-categories or products is refused. */
    public Uni<Void> deleteCategory(UUID id) {
        return write(conn -> conn.preparedQuery("select 1 from catalog_category where id = $1 for update")
                .execute(Tuple.of(id))
                .map(rows -> require(Rows.first(rows), "Category " + id))
                .chain(() -> conn.preparedQuery(CatalogSql.CATEGORY_IN_USE).execute(Tuple.of(id)))
                .chain(rows -> {
                    if (Rows.first(rows).getBoolean("used")) {
                        throw new ProblemException(CatalogProblems.CATEGORY_IN_USE,
                                "Move or delete its sub-categories and products first.");
                    }
                    return conn.preparedQuery(CatalogSql.DELETE_CATEGORY).execute(Tuple.of(id));
                })
                .replaceWithVoid());
    }

    // ------------------------------------------------------------------ helpers

    /**
     * With an If-Match, locks the row and renders it as a read would, so the tag compared is the one a reader was given
     * and no other write slips in between the comparison and this one (412, nothing written, when it differs).
     */
    private Uni<Void> unchanged(SqlConnection conn, String ifMatch, String lockSql, UUID id, String what, Supplier<Uni<String>> current) {
        if (ifMatch == null) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery(lockSql).execute(Tuple.of(id))
                .map(rows -> require(Rows.first(rows), what))
                .chain(row -> current.get())
                .invoke(doc -> ETags.requireMatch(ifMatch, ETags.of(doc), what))
                .replaceWithVoid();
    }

    private Uni<String> productIn(SqlConnection conn, UUID id) {
        return conn.preparedQuery(CatalogSql.PRODUCT_BY_ID).execute(Tuple.of(id, true))
                .map(rows -> Rows.doc(Rows.first(rows)));
    }

    private Uni<String> variantIn(SqlConnection conn, UUID id) {
        return conn.preparedQuery(CatalogSql.VARIANT_BY_ID).execute(Tuple.of(id))
                .map(rows -> Rows.doc(Rows.first(rows)));
    }

    private Uni<Void> touch(SqlConnection conn, UUID productId) {
        return conn.preparedQuery(CatalogSql.TOUCH_PRODUCT).execute(Tuple.of(productId)).replaceWithVoid();
    }

    private Uni<Void> insertVariants(SqlConnection conn, UUID productId, List<VariantInput> variants) {
        // one statement per variant keeps their positions in request order
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (VariantInput v : variants) {
            chain = chain.chain(() -> conn.preparedQuery(CatalogSql.INSERT_VARIANT).execute(Tuple.from(new Object[] {
                    productId, v.sku(), nz(v.title()),
                    new JsonObject(v.options() == null ? Map.of() : new LinkedHashMap<>(v.options())),
                    v.priceMinor(), v.currency(), v.stockOnHand()})).replaceWithVoid());
        }
        return chain;
    }

    private Uni<Void> requireCategory(SqlConnection conn, UUID categoryId) {
        return requireCategory(conn, categoryId, "category_id");
    }

    private Uni<Void> requireCategory(SqlConnection conn, UUID categoryId, String field) {
        if (categoryId == null) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery(CatalogSql.CATEGORY_EXISTS).execute(Tuple.of(categoryId))
                .invoke(rows -> {
                    if (rows.size() == 0) {
                        throw ProblemException.invalid(field, "no category has this id");
                    }
                }).replaceWithVoid();
    }

    private Uni<Void> requireSameCurrency(SqlConnection conn, UUID productId, String currency, UUID exceptVariant) {
        UUID except = exceptVariant == null ? new UUID(0, 0) : exceptVariant;
        return conn.preparedQuery(CatalogSql.OTHER_CURRENCIES).execute(Tuple.of(productId, currency, except))
                .invoke(rows -> {
                    if (rows.size() > 0) {
                        throw new ProblemException(CatalogProblems.CURRENCY_MISMATCH,
                                "All variants of a product are priced in one currency.");
                    }
                }).replaceWithVoid();
    }

    private static void checkVariantCurrencies(List<VariantInput> variants) {
        Set<String> currencies = new HashSet<>();
        for (int i = 0; i < variants.size(); i++) {
            checkCurrency("variants[" + i + "].currency", variants.get(i).currency());
            currencies.add(variants.get(i).currency());
        }
        if (currencies.size() > 1) {
            throw new ProblemException(CatalogProblems.CURRENCY_MISMATCH, "All variants of a product are priced in one currency.");
        }
    }

    private static void checkCurrency(String field, String code) {
        try {
            Currency.getInstance(code);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ProblemException.invalid(field, "is not an ISO 4217 currency code");
        }
    }

    private static Throwable translate(Throwable t) {
        PgException e = (PgException) t;
        if ("23505".equals(e.getSqlState())) {
            String constraint = String.valueOf(e.getConstraint());
            if (constraint.contains("sku")) {
                return new ProblemException(CatalogProblems.DUPLICATE_SKU, "Another variant already has this SKU.");
            }
            if (constraint.contains("slug")) {
                return new ProblemException(CatalogProblems.DUPLICATE_SLUG, "Another item already has this slug.");
            }
        }
        return t;
    }

    private Uni<CategoryTree> categoryNodes() {
        return pool.preparedQuery(CatalogSql.CATEGORY_TREE).execute().map(CategoryTree::new);
    }


    private static Row require(Row row, String what) {
        if (row == null) {
            throw ProblemException.notFound(what);
        }
        return row;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
