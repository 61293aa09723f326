package com.harmony.cart;

import com.harmony.cart.CartViews.CartLineView;
import com.harmony.cart.CartViews.CartView;
import com.harmony.catalog.CatalogService;
import com.harmony.catalog.CatalogService.VariantSnapshot;
import com.harmony.platform.Hashes;
import com.harmony.platform.Money;
import com.harmony.platform.ProblemException;
import com.harmony.platform.ProblemType;
import com.harmony.platform.Rows;
import com.harmony.platform.SignInListener;
import com.harmony.platform.Transactions;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Owns carts and their lines. Guest carts are reached by id plus token, account carts by account id.
 * Every write locks the cart row, checks the caller's version (If-Match) and bumps it, so a stale
 * write is refused rather than silently applied. On sign-in the guest cart merges into the account
 * cart: lines of the same variant add up (capped at {@value #MAX_QUANTITY}), then the guest cart is deleted.
 */
@ApplicationScoped
public class CartService implements SignInListener {

    public static final int MAX_QUANTITY = 99;
    public static final int MAX_LINES = 100;
    /** The guest cart token, for clients that do not use the harmony_cart cookie; checkout reads it too. */
    public static final String TOKEN_HEADER = "X-Cart-Token";
    private static final Logger LOG = Logger.getLogger(CartService.class);

    private final Pool pool;
    private final CatalogService catalog;
    private final long idleSeconds;

    CartService(Pool pool, CatalogService catalog, CartConfig config) {
        Duration idleExpiry = config.idleExpiry();
        this.pool = pool;
        this.catalog = catalog;
        this.idleSeconds = idleExpiry.toSeconds();
    }

    /** Which cart a request addresses: a guest cart (id + token) or the caller's account cart. */
    public sealed interface CartRef permits Guest, Account {
    }

    public record Guest(UUID cartId, String token) implements CartRef {
    }

    public record Account(UUID accountId) implements CartRef {
    }

    /** A cart's lines as checkout needs them, with the version they were read at. */
    public record CartContents(UUID cartId, int version, List<Line> lines) {
    }

    public record Line(UUID variantId, int quantity) {
    }

    // ------------------------------------------------------------------ reads

    public Uni<CartView> createGuestCart() {
        String token = com.harmony.platform.Cookies.randomToken();
        return pool.withTransaction(conn -> conn.preparedQuery(CartSql.CREATE_GUEST).execute(Tuple.of(hash(token), idleSeconds))
                .map(rows -> Rows.first(rows).getUUID("id"))
                .chain(id -> viewIn(conn, id)))
                .map(view -> view.withToken(token));
    }

    public Uni<CartView> cart(CartRef ref) {
        if (ref instanceof Guest g) {
            if (g.token() == null) {
                return Uni.createFrom().failure(notFound());
            }
            return pool.preparedQuery(CartSql.FIND_GUEST).execute(Tuple.of(g.cartId(), hash(g.token())))
                    .chain(rows -> rows.size() == 0 ? Uni.createFrom().failure(notFound()) : viewIn(pool, g.cartId()));
        }
        // reading the account cart creates it, so its first ETag is already a real version
        UUID accountId = ((Account) ref).accountId();
        return ofLiveAccount(pool.withTransaction(conn -> ensureAccountCart(conn, accountId).chain(row -> viewIn(conn, row.getUUID("id")))));
    }

    /** An account cart written after its account was erased: the cart's foreign key refuses it, and nobody is signed in. */
    private static <T> Uni<T> ofLiveAccount(Uni<T> write) {
        return write.onFailure(Rows::isForeignKeyViolation).transform(e -> ProblemException.accountErased());
    }

    // ------------------------------------------------------------------ writes

    /**
     * The busiest write, one statement (CartSql.ADD_ITEM): it locks the cart, makes the checks below in this
     * order, adds the units and answers the cart's lines with their variants, from which the view is built.
     */
    public Uni<CartView> addItem(CartRef ref, Integer ifMatch, UUID variantId, int quantity) {
        Tuple args = Tuple.tuple();
        if (ref instanceof Guest g) {
            if (g.token() == null) {
                return Uni.createFrom().failure(notFound());
            }
            args.addUUID(g.cartId()).addString(hash(g.token())).addValue(null);
        } else {
            args.addValue(null).addValue(null).addUUID(((Account) ref).accountId());
        }
        args.addUUID(variantId).addInteger(quantity).addValue(ifMatch).addLong(idleSeconds).addInteger(MAX_QUANTITY).addInteger(MAX_LINES);
        return ofLiveAccount(pool.preparedQuery(CartSql.ADD_ITEM).execute(args)).map(rows -> added(ref, rows));
    }

    /** The view after an add, or the refusal the statement answered (it wrote nothing then). */
    private static CartView added(CartRef ref, RowSet<Row> rows) {
        Row first = Rows.first(rows);
        switch (first.getString("outcome")) {
            case "added" -> {
                List<LineAt> lines = new ArrayList<>();
                Map<UUID, VariantSnapshot> snapshots = new java.util.HashMap<>();
                for (Row r : rows) {
                    lines.add(LineAt.of(r));
                    if (r.getString("sku") != null) { // a variant the catalog no longer knows has no snapshot
                        snapshots.put(r.getUUID("variant_id"), VariantSnapshot.of(r.getUUID("variant_id"), r));
                    }
                }
                Head head = new Head(ref instanceof Account, first.getInteger("version"), first.getString("expires_at"));
                return render(first.getUUID("cart_id"), head, lines, snapshots);
            }
            case "not_found" -> throw notFound();
            case "version_mismatch" -> throw versionMismatch(first.getInteger("version"));
            case "variant_unavailable" -> throw new ProblemException(CartProblems.VARIANT_UNAVAILABLE,
                    "No variant with this id can be bought (unknown or archived).",
                    List.of(new com.harmony.platform.Problem.FieldError("variant_id", "is not a purchasable variant")), Map.of());
            case "currency_mismatch" -> throw new ProblemException(CartProblems.CURRENCY_MISMATCH,
                    "This cart holds items priced in another currency; one cart holds one currency.");
            case "quantity_limit" -> throw new ProblemException(CartProblems.QUANTITY_LIMIT, "A line holds at most " + MAX_QUANTITY
                    + " units and a cart at most " + MAX_LINES + " lines.");
            default -> throw new IllegalStateException("cart_add_item answered " + first.getString("outcome"));
        }
    }

    public Uni<CartView> setQuantity(CartRef ref, Integer ifMatch, UUID variantId, int quantity) {
        return write(ref, ifMatch, (conn, cartId) -> conn.preparedQuery(CartSql.SET_QUANTITY)
                .execute(Tuple.of(cartId, variantId, quantity)).invoke(CartService::requireLine).replaceWithVoid());
    }

    public Uni<CartView> removeItem(CartRef ref, Integer ifMatch, UUID variantId) {
        return write(ref, ifMatch, (conn, cartId) -> conn.preparedQuery(CartSql.REMOVE_LINE)
                .execute(Tuple.of(cartId, variantId)).invoke(CartService::requireLine).replaceWithVoid());
    }

    public Uni<CartView> clear(CartRef ref, Integer ifMatch) {
        return write(ref, ifMatch, (conn, cartId) -> conn.preparedQuery(CartSql.CLEAR).execute(Tuple.of(cartId)).replaceWithVoid());
    }

    /** A line with the time it was added, which orders the cart (oldest first, then by variant id as PostgreSQL orders uuids). */
    private record LineAt(UUID variantId, int quantity, java.time.Instant addedAt) {
        static final java.util.Comparator<LineAt> CART_ORDER = java.util.Comparator.comparing(LineAt::addedAt)
                .thenComparing(l -> l.variantId().toString());

        /** From a row with variant_id, quantity and added_at. */
        static LineAt of(Row r) {
            return new LineAt(r.getUUID("variant_id"), r.getInteger("quantity"), r.getOffsetDateTime("added_at").toInstant());
        }
    }

    /**
     * Locks the cart and bumps its version in one statement, checks the version the caller saw, applies
     * the change and answers the cart as it now is.
     */
    private Uni<CartView> write(CartRef ref, Integer ifMatch, CartChange change) {
        return ofLiveAccount(Transactions.run(pool, conn -> lock(conn, ref)
                .invoke(row -> checkVersion(row.getInteger("version"), ifMatch))
                .map(row -> row.getUUID("id"))
                .call(cartId -> change.apply(conn, cartId))
                .chain(cartId -> viewIn(conn, cartId))));
    }

    /** A change to a locked cart. */
    @FunctionalInterface
    private interface CartChange {
        Uni<Void> apply(SqlConnection conn, UUID cartId);
    }

    private Uni<Row> lock(SqlConnection conn, CartRef ref) {
        if (ref instanceof Guest g) {
            if (g.token() == null) {
                return Uni.createFrom().failure(notFound());
            }
            return conn.preparedQuery(CartSql.LOCK_AND_TOUCH_GUEST).execute(Tuple.of(g.cartId(), hash(g.token()), idleSeconds))
                    .map(rows -> {
                        if (rows.size() == 0) {
                            throw notFound();
                        }
                        return Rows.first(rows);
                    });
        }
        UUID accountId = ((Account) ref).accountId();
        // the account's live cart in one statement; only its first write (or one after it expired) creates it first
        return lockAndTouch(conn, accountId).chain(row -> row != null ? Uni.createFrom().item(row)
                : createAccountCartIfNone(conn, accountId).chain(() -> lockAndTouch(conn, accountId)));
    }

    /** The account's live cart locked with its version bumped; null when it has none. The row's version is the one before. */
    private Uni<Row> lockAndTouch(SqlConnection conn, UUID accountId) {
        return conn.preparedQuery(CartSql.LOCK_AND_TOUCH_ACCOUNT).execute(Tuple.of(accountId, idleSeconds)).map(Rows::first);
    }

    /** The account's cart, created when it has none (an expired one is replaced), locked. */
    private Uni<Row> ensureAccountCart(SqlConnection conn, UUID accountId) {
        return createAccountCartIfNone(conn, accountId)
                .chain(() -> conn.preparedQuery(CartSql.LOCK_ACCOUNT).execute(Tuple.of(accountId)))
                .map(Rows::first);
    }

    /** Replaces an expired account cart and creates one where there is none; a live cart is left alone. */
    private Uni<Void> createAccountCartIfNone(SqlConnection conn, UUID accountId) {
        return conn.preparedQuery(CartSql.DELETE_EXPIRED_ACCOUNT_CART).execute(Tuple.of(accountId))
                .chain(() -> conn.preparedQuery(CartSql.ENSURE_ACCOUNT_CART).execute(Tuple.of(accountId, idleSeconds)))
                .replaceWithVoid();
    }

    // ------------------------------------------------------------------ for checkout

    /** The cart a checkout names: the account's own cart, or a guest cart whose token the caller presents. */
    public Uni<CartContents> contentsForCheckout(UUID cartId, UUID accountId, String guestToken) {
        String tokenHash = guestToken == null ? "" : hash(guestToken);
        return pool.preparedQuery(CartSql.FOR_CHECKOUT).execute(Tuple.of(cartId, accountId, tokenHash)).map(rows -> {
            if (rows.size() == 0) {
                throw ProblemException.invalid("cart_id",
                        "is not your cart (send the guest cart's token in X-Cart-Token or its cookie to check it out)");
            }
            List<Line> lines = new ArrayList<>();
            rows.forEach(r -> {
                if (r.getUUID("variant_id") != null) {
                    lines.add(new Line(r.getUUID("variant_id"), r.getInteger("quantity")));
                }
            });
            return new CartContents(cartId, Rows.first(rows).getInteger("version"), lines);
        });
    }

    /**
     * Empties the cart inside the order's transaction, only if it is still at the version checkout read;
     * answers its lines in the cart's order (oldest first, as the cart shows them). A cart changed
     * meanwhile fails the order with {@code cart-changed}. Two statements: the version compare-and-set
     * (which takes the row lock) and the delete that returns what it removed.
     */
    public Uni<List<Line>> consume(SqlConnection conn, UUID cartId, int expectedVersion) {
        // both go out together (one round trip); a lost compare-and-set throws, and the caller's
        // transaction puts the cleared lines back
        return Uni.combine().all().unis(conn.preparedQuery(CartSql.CONSUME).execute(Tuple.of(cartId, expectedVersion, idleSeconds)),
                        conn.preparedQuery(CartSql.CLEAR_RETURNING).execute(Tuple.of(cartId)))
                .with((consumed, cleared) -> {
                    if (consumed.rowCount() == 0) {
                        throw new ProblemException(CartProblems.CART_CHANGED,
                                "The cart changed while the order was being placed; review it and try again.");
                    }
                    return inCartOrder(cleared);
                });
    }

    /** In the cart's order, like CartSql.CART_WITH_LINES. */
    private static List<Line> inCartOrder(RowSet<Row> rows) {
        List<LineAt> sorted = new ArrayList<>();
        rows.forEach(r -> sorted.add(LineAt.of(r)));
        sorted.sort(LineAt.CART_ORDER);
        return sorted.stream().map(l -> new Line(l.variantId(), l.quantity())).toList();
    }

    // ------------------------------------------------------------------ sign-in merge and purge

    /**
     * Merges the guest cart the client held into the account cart: lines of a variant in both carts add
     * up, capped at {@value #MAX_QUANTITY}; other lines are moved, oldest first, up to {@value #MAX_LINES} lines (the rest are dropped); the guest cart is then deleted, so its
     * token no longer works. An unknown or expired token does nothing. Never fails the sign-in.
     */
    @Override
    public Uni<Void> onSignIn(UUID accountId, SignInListener.Guest guest) {
        String guestCartToken = guest.cartToken();
        if (guestCartToken == null || guestCartToken.isBlank()) {
            return Uni.createFrom().voidItem();
        }
        return pool.withTransaction(conn -> conn.preparedQuery(CartSql.LOCK_GUEST_BY_TOKEN).execute(Tuple.of(hash(guestCartToken)))
                .chain(rows -> rows.size() == 0 ? Uni.createFrom().voidItem() : merge(conn, Rows.first(rows).getUUID("id"), accountId)))
                .onFailure().recoverWithUni(e -> {
                    LOG.warnf("Guest cart merge failed at sign-in (%s); the guest cart is kept", e.getClass().getSimpleName());
                    return Uni.createFrom().voidItem();
                });
    }

    private Uni<Void> merge(SqlConnection conn, UUID guestCartId, UUID accountId) {
        return ensureAccountCart(conn, accountId)
                .map(row -> row.getUUID("id"))
                .call(target -> conn.preparedQuery(CartSql.MERGE_LINES).execute(Tuple.of(guestCartId, target, MAX_QUANTITY, MAX_LINES)))
                .call(() -> conn.preparedQuery(CartSql.DELETE).execute(Tuple.of(guestCartId)))
                .call(target -> conn.preparedQuery(CartSql.TOUCH).execute(Tuple.of(target, idleSeconds)))
                .replaceWithVoid();
    }

    // ------------------------------------------------------------------ views

    /** The cart as it is now. */
    private Uni<CartView> viewIn(SqlClient client, UUID cartId) {
        return client.preparedQuery(CartSql.CART_WITH_LINES).execute(Tuple.of(cartId))
                .chain(rows -> {
                    Row first = Rows.first(rows);
                    Head head = new Head(first.getBoolean("owned"), first.getInteger("version"), first.getString("expires_at"));
                    List<LineAt> lines = new ArrayList<>();
                    rows.forEach(r -> {
                        if (r.getUUID("variant_id") != null) {
                            lines.add(new LineAt(r.getUUID("variant_id"), r.getInteger("quantity"), null));
                        }
                    });
                    return catalog.variantSnapshots(client, lines.stream().map(LineAt::variantId).toList())
                            .map(snapshots -> render(cartId, head, lines, snapshots));
                });
    }

    /** What the answer shows of the cart row itself. */
    private record Head(boolean owned, int version, String expiresAt) {
    }

    /** The view of a cart whose lines are given in the cart's order. */
    private static CartView render(UUID cartId, Head head, List<LineAt> rows, Map<UUID, VariantSnapshot> snapshots) {
        List<CartLineView> lines = new ArrayList<>();
        long subtotal = 0;
        String currency = null;
        int items = 0;
        boolean warning = false;
        boolean unavailable = false;
        for (LineAt r : rows) {
            UUID variantId = r.variantId();
            int qty = r.quantity();
            items += qty;
            VariantSnapshot s = snapshots.get(variantId);
            if (s == null || !s.purchasable()) {
                unavailable = true;
                lines.add(new CartLineView(variantId, s == null ? null : s.sku(), s == null ? null : s.title(),
                        s == null ? null : s.productTitle(), qty, null, null, false, false, null));
                continue;
            }
            if (currency != null && !currency.equals(s.currency())) {
                // priced in another currency than the cart's first line (its variant's currency changed since it was
                // added): shown with its price, but not summed into a subtotal of another currency, and not buyable with it
                unavailable = true;
                lines.add(new CartLineView(variantId, s.sku(), s.title(), s.productTitle(), qty, new Money(s.priceMinor(), s.currency()),
                        new Money(s.priceMinor() * qty, s.currency()), false, false, null));
                continue;
            }
            boolean short_ = qty > s.stockOnHand();
            warning |= short_;
            subtotal += s.priceMinor() * qty;
            currency = s.currency();
            lines.add(new CartLineView(variantId, s.sku(), s.title(), s.productTitle(), qty,
                    new Money(s.priceMinor(), s.currency()), new Money(s.priceMinor() * qty, s.currency()), true,
                    short_, short_ ? s.stockOnHand() : null));
        }
        return new CartView(cartId, head.owned() ? "account" : "guest", head.version(), lines, items,
                currency == null ? null : new Money(subtotal, currency), warning, unavailable, head.expiresAt(), null);
    }

    // ------------------------------------------------------------------ helpers

    private static void checkVersion(int current, Integer ifMatch) {
        if (ifMatch != null && ifMatch != current) {
            throw versionMismatch(current);
        }
    }

    private static ProblemException versionMismatch(int current) {
        return new ProblemException(ProblemType.PRECONDITION_FAILED, "The cart is at version " + current
                + ", not the one you sent in If-Match; read it again and reapply your change.");
    }

    private static void requireLine(RowSet<Row> rows) {
        if (rows.rowCount() == 0) {
            throw ProblemException.notFound("This variant's line in the cart");
        }
    }

    private static ProblemException notFound() {
        return ProblemException.notFound("Cart (or its token)");
    }


    static String hash(String token) {
        return Hashes.sha256Hex(token);
    }
}
