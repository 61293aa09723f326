package com.harmony.order;

import com.harmony.platform.Rows;
import com.harmony.cart.CartProblems;
import com.harmony.cart.CartService;
import com.harmony.cart.CartService.CartContents;
import com.harmony.cart.CartService.Line;
import com.harmony.catalog.CatalogService;
import com.harmony.catalog.CatalogService.VariantSnapshot;
import com.harmony.order.OrderRequests.PlaceOrderRequest;
import com.harmony.payment.PaymentProvider;
import com.harmony.payment.PaymentProvider.Authorisation;
import com.harmony.platform.AddressBook;
import com.harmony.platform.Money;
import com.harmony.platform.Outbox;
import com.harmony.platform.PostalAddress;
import com.harmony.platform.Problem;
import com.harmony.platform.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Owns orders: checkout, reads and the status lifecycle. Checkout authorises the payment first, then
 * in ONE transaction empties the cart (if unchanged), reserves stock with conditional updates and
 * writes the order; it then captures and marks the order paid, writing the fulfilment event to the
 * outbox in that same transaction. A failed transaction releases the authorisation.
 */
@ApplicationScoped
public class OrderService {

    public static final String FULFILMENT_TOPIC = "order.fulfilment-requested";
    private static final Logger LOG = Logger.getLogger(OrderService.class);
    private static final char[] NUMBER_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Pool pool;
    private final CatalogService catalog;
    private final CartService carts;
    private final PaymentProvider payments;
    private final Outbox outbox;
    private final Instance<AddressBook> addressBooks;

    OrderService(Pool pool, CatalogService catalog, CartService carts, PaymentProvider payments, Outbox outbox,
            Instance<AddressBook> addressBooks) {
        this.pool = pool;
        this.catalog = catalog;
        this.carts = carts;
        this.payments = payments;
        this.outbox = outbox;
        this.addressBooks = addressBooks;
    }

    /** Who acts on an order: the customer, a support agent, an admin, or the system itself. */
    public record Actor(UUID id, String role) {
        static final Actor SYSTEM = new Actor(null, "system");
    }

    /** A new order's id and document. */
    public record Placed(UUID id, String document) {
    }

    /** A line as it will be sold: the cart's quantity and the catalog's data now. */
    record PricedLine(int lineNo, UUID variantId, String sku, String title, String productTitle, long unitPrice, int quantity) {
    }

    /** What checkout has gathered so far; each step adds one piece. */
    private record Checkout(UUID accountId, String email, PostalAddress shipTo, PlaceOrderRequest request, CartContents cart,
            Money total, Map<UUID, VariantSnapshot> snapshots, Authorisation authorisation) {

        Checkout with(CartContents c) {
            return new Checkout(accountId, email, shipTo, request, c, total, snapshots, authorisation);
        }

        Checkout with(Money t, Map<UUID, VariantSnapshot> s) {
            return new Checkout(accountId, email, shipTo, request, cart, t, s, authorisation);
        }

        Checkout with(Authorisation a) {
            return new Checkout(accountId, email, shipTo, request, cart, total, snapshots, a);
        }
    }

    // ------------------------------------------------------------------ checkout

    public Uni<Placed> placeOrder(UUID accountId, String tokenEmail, String cartToken, PlaceOrderRequest r) {
        String email = contactEmail(tokenEmail, r.email());
        checkShippingChoice(r);
        return shippingAddress(accountId, r)
                .map(shipTo -> new Checkout(accountId, email, shipTo, r, null, null, null, null))
                .chain(c -> carts.contentsForCheckout(r.cartId(), accountId, cartToken).map(c::with))
                .chain(this::priced)
                .chain(c -> payments.authorise(r.paymentToken(), c.total()).map(c::with))
                .chain(this::createOrder)
                .call(orderId -> captureAndMarkPaid(orderId, new Actor(accountId, "customer")))
                .chain(orderId -> document(orderId).map(doc -> new Placed(orderId, doc)));
    }

    /** The email given at checkout, else the account's (from the token). */
    private static String contactEmail(String tokenEmail, String bodyEmail) {
        if (bodyEmail != null && !bodyEmail.isBlank()) {
            return bodyEmail.strip();
        }
        if (tokenEmail != null && !tokenEmail.isBlank()) {
            return tokenEmail;
        }
        if (bodyEmail == null || bodyEmail.isBlank()) {
            throw ProblemException.invalid("email", "is required: the order's contact email (used to verify returns)");
        }
        return bodyEmail.strip();
    }

    private static void checkShippingChoice(PlaceOrderRequest r) {
        if ((r.shippingAddressId() == null) == (r.shippingAddress() == null)) {
            throw ProblemException.invalid("shipping_address", "send exactly one of shipping_address_id and shipping_address");
        }
    }

    private Uni<PostalAddress> shippingAddress(UUID accountId, PlaceOrderRequest r) {
        if (r.shippingAddress() != null) {
            return Uni.createFrom().item(r.shippingAddress());
        }
        if (!addressBooks.isResolvable()) {
            return Uni.createFrom().failure(ProblemException.invalid("shipping_address_id",
                    "saved addresses are not available; send shipping_address instead"));
        }
        return addressBooks.get().find(accountId, r.shippingAddressId())
                .map(found -> found.orElseThrow(() -> ProblemException.invalid("shipping_address_id", "is not one of your saved addresses")));
    }

    /** Prices the cart from the catalog now and refuses what cannot be sold, before any money is touched. */
    private Uni<Checkout> priced(Checkout c) {
        List<Line> lines = c.cart().lines();
        if (lines.isEmpty()) {
            return Uni.createFrom().failure(new ProblemException(CartProblems.CART_EMPTY, "Add items to the cart before checking out."));
        }
        return catalog.variantSnapshots(pool, lines.stream().map(Line::variantId).toList()).map(snapshots -> {
            List<PricedLine> priced = price(lines, snapshots);
            for (PricedLine p : priced) {
                if (p.quantity() > snapshots.get(p.variantId()).stockOnHand()) {
                    throw insufficientStock(p.sku());
                }
            }
            return c.with(total(priced, snapshots), snapshots);
        });
    }

    private static List<PricedLine> price(List<Line> lines, Map<UUID, VariantSnapshot> snapshots) {
        List<PricedLine> out = new ArrayList<>();
        String currency = null;
        for (Line l : lines) {
            VariantSnapshot s = snapshots.get(l.variantId());
            if (s == null || !s.purchasable()) {
                throw new ProblemException(CartProblems.CART_UNAVAILABLE_ITEMS,
                        "Remove the items that can no longer be bought from the cart, then check out again.");
            }
            if (currency != null && !currency.equals(s.currency())) {
                throw new ProblemException(CartProblems.CURRENCY_MISMATCH, "The cart mixes currencies.");
            }
            currency = s.currency();
            out.add(new PricedLine(out.size() + 1, l.variantId(), s.sku(), s.title(), s.productTitle(), s.priceMinor(), l.quantity()));
        }
        return out;
    }

    private static Money total(List<PricedLine> lines, Map<UUID, VariantSnapshot> snapshots) {
        long sum = lines.stream().mapToLong(l -> l.unitPrice() * l.quantity()).sum();
        return new Money(sum, snapshots.get(lines.get(0).variantId()).currency());
    }

    /** The one transaction: cart emptied, stock reserved, order written; a failure releases the authorisation. */
    private Uni<UUID> createOrder(Checkout c) {
        return pool.withTransaction(conn -> carts.consume(conn, c.cart().cartId(), c.cart().version())
                        .call(lines -> reserveAll(conn, lines, c.snapshots()))
                        .chain(lines -> catalog.variantSnapshots(conn, lines.stream().map(Line::variantId).toList())
                                .map(now -> repriced(c, lines, now)))
                        .chain(priced -> insertOrder(conn, c, priced)))
                .onFailure().call(() -> payments.release(c.authorisation().reference())
                        .onFailure().invoke(e -> LOG.warnf("Releasing authorisation failed (%s)", e.getClass().getSimpleName()))
                        .onFailure().recoverWithNull());
    }

    /** Reserves in variant-id order, so two orders over the same variants never deadlock. */
    private Uni<Void> reserveAll(SqlConnection conn, List<Line> lines, Map<UUID, VariantSnapshot> snapshots) {
        List<Line> sorted = lines.stream().sorted(Comparator.comparing(Line::variantId)).toList();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Line l : sorted) {
            chain = chain.chain(() -> catalog.reserveStock(conn, l.variantId(), l.quantity()).invoke(ok -> {
                if (!ok) {
                    VariantSnapshot s = snapshots.get(l.variantId());
                    throw insufficientStock(s == null ? l.variantId().toString() : s.sku());
                }
            }).replaceWithVoid());
        }
        return chain;
    }

    private static List<PricedLine> repriced(Checkout c, List<Line> lines, Map<UUID, VariantSnapshot> now) {
        List<PricedLine> priced = price(lines, now);
        Money total = total(priced, now);
        if (!total.equals(c.total())) {
            throw new ProblemException(OrderProblems.PRICE_CHANGED,
                    "Prices changed while the order was being placed; nothing was charged. Review the cart and try again.");
        }
        return priced;
    }

    private Uni<UUID> insertOrder(SqlConnection conn, Checkout c, List<PricedLine> lines) {
        PostalAddress a = c.shipTo();
        Authorisation auth = c.authorisation();
        Tuple order = Tuple.from(new Object[] {newNumber(), c.accountId(), c.email(), OrderStatus.placed.name(), c.total().currency(),
                c.total().amountMinor(), a.name(), a.line1(), a.line2(), a.city(), a.region(), a.postalCode(), a.country(), a.phone(),
                c.request().billingPostalCode().strip().toUpperCase(), auth.brand(), auth.last4(), (short) auth.expMonth(),
                (short) auth.expYear(), auth.reference(), "authorised", null});
        return conn.preparedQuery(OrderSql.INSERT_ORDER).execute(order)
                .map(rows -> Rows.first(rows).getUUID("id"))
                .call(id -> insertLines(conn, id, lines))
                .call(id -> recordTransition(conn, id, null, OrderStatus.placed, new Actor(c.accountId(), "customer"), null));
    }

    static Uni<Void> insertLines(SqlConnection conn, UUID orderId, List<PricedLine> lines) {
        int n = lines.size();
        Integer[] nos = new Integer[n];
        UUID[] variants = new UUID[n];
        String[] skus = new String[n];
        String[] titles = new String[n];
        String[] products = new String[n];
        Long[] prices = new Long[n];
        Integer[] quantities = new Integer[n];
        for (int i = 0; i < n; i++) {
            PricedLine l = lines.get(i);
            nos[i] = l.lineNo();
            variants[i] = l.variantId();
            skus[i] = l.sku();
            titles[i] = l.title();
            products[i] = l.productTitle();
            prices[i] = l.unitPrice();
            quantities[i] = l.quantity();
        }
        return conn.preparedQuery(OrderSql.INSERT_LINES)
                .execute(Tuple.from(new Object[] {orderId, nos, variants, skus, titles, products, prices, quantities}))
                .replaceWithVoid();
    }

    /** Captures the payment and marks the order paid; a capture failure leaves it placed (support retries with a move to paid). */
    private Uni<Void> captureAndMarkPaid(UUID orderId, Actor actor) {
        return state(orderId)
                .chain(s -> payments.capture(s.getString("payment_reference"), new Money(s.getLong("total_minor"), s.getString("currency")))
                        .chain(() -> pool.withTransaction(conn -> markPaid(conn, orderId, actor))
                                .onFailure(ProblemException.class).call(e -> refundLostRace(s))))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("Capture for order %s failed (%s); it stays placed", orderId, e.getClass().getSimpleName());
                    return null;
                });
    }

    /**
     * The capture went through but the order left "placed" meanwhile (the buyer cancelled during
     * checkout): the money captured for a cancelled order goes straight back.
     */
    private Uni<Void> refundLostRace(Row s) {
        UUID orderId = s.getUUID("id");
        Money total = new Money(s.getLong("total_minor"), s.getString("currency"));
        return payments.refund(s.getString("payment_reference"), total)
                .chain(() -> setPayment(orderId, "refunded", total.amountMinor()))
                .invoke(() -> LOG.warnf("Order %s was cancelled while its payment was captured; the capture was refunded", orderId));
    }

    /** Placed → paid, with the fulfilment event in the same transaction (P19). */
    Uni<Void> markPaid(SqlConnection conn, UUID orderId, Actor actor) {
        return conn.preparedQuery(OrderSql.MARK_PAID).execute(Tuple.of(orderId))
                .invoke(rows -> {
                    if (rows.rowCount() == 0) {
                        throw illegal(OrderStatus.placed, OrderStatus.paid);
                    }
                })
                .chain(() -> recordTransition(conn, orderId, OrderStatus.placed, OrderStatus.paid, actor, null))
                .chain(() -> requestFulfilment(conn, orderId));
    }

    Uni<Void> requestFulfilment(SqlConnection conn, UUID orderId) {
        return conn.preparedQuery(OrderSql.FULFILMENT_PAYLOAD).execute(Tuple.of(orderId))
                .chain(rows -> outbox.append(conn, FULFILMENT_TOPIC, orderId, new JsonObject(Rows.first(rows).getString("payload"))))
                .replaceWithVoid();
    }

    // ------------------------------------------------------------------ reads

    /** The caller's own order; any other order is "not found" to them. */
    public Uni<String> ownOrder(UUID orderId, UUID accountId) {
        return pool.preparedQuery(OrderSql.OWN_ORDER).execute(Tuple.of(orderId, accountId))
                .map(rows -> require(Rows.first(rows), "Order " + orderId).getString("doc"));
    }

    public Uni<String> document(UUID orderId) {
        return pool.preparedQuery(OrderSql.ORDER_BY_ID).execute(Tuple.of(orderId))
                .map(rows -> require(Rows.first(rows), "Order " + orderId).getString("doc"));
    }

    public Uni<String> orders(OrderListing listing) {
        return pool.preparedQuery(listing.sql()).execute(listing.params())
                .map(rows -> {
                    List<Row> list = new ArrayList<>();
                    rows.forEach(list::add);
                    return listing.page(list);
                });
    }

    // ------------------------------------------------------------------ lifecycle

    /** Moves an order along the allowed-transitions table; money and stock follow the move. */
    public Uni<String> transition(UUID orderId, OrderStatus to, Actor actor, String note) {
        return state(orderId).chain(s -> {
            OrderStatus from = OrderStatus.valueOf(s.getString("status"));
            if (!from.canMoveTo(to)) {
                return Uni.createFrom().failure(illegal(from, to));
            }
            return switch (to) {
                case paid -> captureThenPay(s, actor);
                case cancelled -> cancel(s, from, actor, note);
                case refunded -> refundAll(s, from, actor, note);
                default -> pool.withTransaction(conn -> move(conn, orderId, from, to, actor, note));
            };
        }).chain(() -> document(orderId));
    }

    /** The customer's own cancel: only their order, only before fulfilment. */
    public Uni<String> cancelByCustomer(UUID orderId, UUID accountId) {
        return state(orderId).chain(s -> {
            if (!accountId.equals(s.getUUID("account_id"))) {
                return Uni.createFrom().failure(ProblemException.notFound("Order " + orderId));
            }
            OrderStatus from = OrderStatus.valueOf(s.getString("status"));
            if (!from.cancellableByCustomer()) {
                return Uni.createFrom().failure(new ProblemException(OrderProblems.ILLEGAL_TRANSITION,
                        "The order is " + from + "; it can be cancelled only before it is fulfilled. Request a return instead."));
            }
            return cancel(s, from, new Actor(accountId, "customer"), null);
        }).chain(() -> ownOrder(orderId, accountId));
    }

    private Uni<Void> captureThenPay(Row s, Actor actor) {
        UUID orderId = s.getUUID("id");
        return payments.capture(s.getString("payment_reference"), new Money(s.getLong("total_minor"), s.getString("currency")))
                .chain(() -> pool.withTransaction(conn -> markPaid(conn, orderId, actor)));
    }

    /**
     * Cancels first (the status compare-and-set decides, once), returning the stock in the same
     * transaction; then releases the authorisation or refunds the captured payment.
     */
    private Uni<Void> cancel(Row s, OrderStatus from, Actor actor, String note) {
        UUID orderId = s.getUUID("id");
        Money total = new Money(s.getLong("total_minor"), s.getString("currency"));
        String reference = s.getString("payment_reference");
        return pool.withTransaction(conn -> move(conn, orderId, from, OrderStatus.cancelled, actor, note)
                        .chain(() -> releaseStock(conn, orderId)))
                // a no-charge replacement (exchange) has no payment to give back
                .chain(() -> reference == null ? setPayment(orderId, "none", 0) : from == OrderStatus.placed
                        ? payments.release(reference).chain(() -> setPayment(orderId, "released", 0))
                        : payments.refund(reference, total).chain(() -> setPayment(orderId, "refunded", total.amountMinor())));
    }

    /**
     * Refunds what is left unrefunded, read and reserved under the order's row lock in the move's
     * transaction, so a return approved meanwhile is never paid out twice. A paid order was not
     * shipped yet: its stock goes back.
     */
    private Uni<Void> refundAll(Row s, OrderStatus from, Actor actor, String note) {
        UUID orderId = s.getUUID("id");
        String reference = s.getString("payment_reference");
        Money[] remaining = new Money[1];
        return pool.withTransaction(conn -> move(conn, orderId, from, OrderStatus.refunded, actor, note)
                        .chain(() -> conn.preparedQuery("""
                                select total_minor - refunded_minor as remaining, currency from orders where id = $1 for update""")
                                .execute(Tuple.of(orderId)))
                        .invoke(rows -> remaining[0] = new Money(Rows.first(rows).getLong("remaining"), Rows.first(rows).getString("currency")))
                        .chain(() -> conn.preparedQuery("update orders set refunded_minor = total_minor where id = $1").execute(Tuple.of(orderId)))
                        .chain(() -> from == OrderStatus.paid ? releaseStock(conn, orderId) : Uni.createFrom().voidItem()))
                .chain(() -> reference == null || remaining[0].amountMinor() == 0 ? Uni.createFrom().voidItem()
                        : payments.refund(reference, remaining[0]).replaceWithVoid()
                                .onFailure().call(() -> pool.preparedQuery("update orders set refunded_minor = refunded_minor - $2 where id = $1")
                                        .execute(Tuple.of(orderId, remaining[0].amountMinor()))))
                .chain(() -> setPayment(orderId, reference == null ? "none" : "refunded", s.getLong("total_minor")));
    }

    private Uni<Void> releaseStock(SqlConnection conn, UUID orderId) {
        return conn.preparedQuery(OrderSql.LINES).execute(Tuple.of(orderId)).chain(rows -> {
            List<Row> lines = new ArrayList<>();
            rows.forEach(lines::add);
            lines.sort(Comparator.comparing(r -> r.getUUID("variant_id")));
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Row l : lines) {
                chain = chain.chain(() -> catalog.releaseStock(conn, l.getUUID("variant_id"), l.getInteger("quantity")));
            }
            return chain;
        });
    }

    Uni<Void> move(SqlConnection conn, UUID orderId, OrderStatus from, OrderStatus to, Actor actor, String note) {
        return conn.preparedQuery(OrderSql.MOVE).execute(Tuple.of(orderId, from.name(), to.name()))
                .invoke(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new ProblemException(OrderProblems.ILLEGAL_TRANSITION, "The order changed meanwhile; read it again.");
                    }
                })
                .chain(() -> recordTransition(conn, orderId, from, to, actor, note));
    }

    Uni<Void> setPayment(UUID orderId, String status, long refunded) {
        return pool.preparedQuery(OrderSql.SET_PAYMENT).execute(Tuple.of(orderId, status, refunded)).replaceWithVoid();
    }

    static Uni<Void> recordTransition(SqlConnection conn, UUID orderId, OrderStatus from, OrderStatus to, Actor actor, String note) {
        return conn.preparedQuery(OrderSql.RECORD_TRANSITION)
                .execute(Tuple.from(new Object[] {orderId, from == null ? null : from.name(), to.name(), actor.id(), actor.role(), note}))
                .replaceWithVoid();
    }

    Uni<Row> state(UUID orderId) {
        return pool.preparedQuery(OrderSql.ORDER_STATE).execute(Tuple.of(orderId))
                .map(rows -> require(Rows.first(rows), "Order " + orderId));
    }

    // ------------------------------------------------------------------ helpers

    static ProblemException illegal(OrderStatus from, OrderStatus to) {
        return new ProblemException(OrderProblems.ILLEGAL_TRANSITION, "An order that is " + from + " cannot become " + to
                + "; allowed next: " + from.next() + ".");
    }

    private static ProblemException insufficientStock(String sku) {
        return new ProblemException(OrderProblems.INSUFFICIENT_STOCK, "Not enough stock of " + sku + " for this order.",
                List.of(new Problem.FieldError("cart_id", "holds more of " + sku + " than is in stock")), Map.of());
    }

    static String newNumber() {
        StringBuilder b = new StringBuilder("HC-");
        for (int i = 0; i < 10; i++) {
            b.append(NUMBER_ALPHABET[RANDOM.nextInt(NUMBER_ALPHABET.length)]);
        }
        return b.toString();
    }


    static Row require(Row row, String what) {
        if (row == null) {
            throw ProblemException.notFound(what);
        }
        return row;
    }
}
