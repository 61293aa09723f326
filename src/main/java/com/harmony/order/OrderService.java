package com.harmony.order;

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
import com.harmony.platform.Idempotency;
import com.harmony.platform.Money;
import com.harmony.platform.Outbox;
import com.harmony.platform.PostalAddress;
import com.harmony.platform.Problem;
import com.harmony.platform.ProblemException;
import com.harmony.platform.ProblemMapper;
import com.harmony.platform.ReferralAttribution;
import com.harmony.platform.Rows;
import com.harmony.platform.Transactions;
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
 * Owns orders: checkout, reads and the status lifecycle. Checkout records its intent and authorises the
 * payment first, then in ONE transaction takes the intent over, empties the cart (if unchanged), reserves
 * stock with conditional updates and writes the order; it then captures and marks the order paid, writing
 * the fulfilment event to the outbox in that same transaction. A failed transaction releases the
 * authorisation; an intent nobody took over is voided by {@link AuthorisationIntents}.
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
    private final OrderMoves moves;
    private final RefundService refunds;
    private final Instance<ReferralAttribution> attributions;
    private final OrderConfig config;
    private final AuthorisationIntents intents;

    OrderService(Pool pool, CatalogService catalog, CartService carts, PaymentProvider payments, Outbox outbox,
            Instance<AddressBook> addressBooks, OrderMoves moves, RefundService refunds, Instance<ReferralAttribution> attributions,
            OrderConfig config, AuthorisationIntents intents) {
        this.config = config;
        this.intents = intents;
        this.attributions = attributions;
        this.moves = moves;
        this.refunds = refunds;
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

        /** The staff member a token names: admin, else support. */
        static Actor staff(org.eclipse.microprofile.jwt.JsonWebToken jwt) {
            return new Actor(UUID.fromString(jwt.getSubject()), jwt.getGroups().contains("admin") ? "admin" : "support");
        }

        /** The id to keep on inventory records, which are nobody's personal data: staff only, never a customer's. */
        UUID staffId() {
            return "admin".equals(role) || "support".equals(role) ? id : null;
        }
    }

    /** A new order's (or refund's) id and document. */
    public record Placed(UUID id, String document) {
    }

    /** A line as it will be sold: the cart's quantity and the catalog's data now. */
    record PricedLine(int lineNo, UUID variantId, String sku, String title, String productTitle, long unitPrice, int quantity) {
    }

    /** What checkout has gathered so far; each step adds one piece. */
    private record Checkout(UUID accountId, String email, PostalAddress shipTo, PlaceOrderRequest request, CartContents cart,
            Money total, Map<UUID, VariantSnapshot> snapshots, AuthorisationIntents.Held held) {

        Checkout with(CartContents c) {
            return new Checkout(accountId, email, shipTo, request, c, total, snapshots, held);
        }

        Checkout with(Money t, Map<UUID, VariantSnapshot> s) {
            return new Checkout(accountId, email, shipTo, request, cart, t, s, held);
        }

        Checkout with(AuthorisationIntents.Held h) {
            return new Checkout(accountId, email, shipTo, request, cart, total, snapshots, h);
        }

        Authorisation authorisation() {
            return held.authorisation();
        }
    }

    // ------------------------------------------------------------------ checkout

    /**
     * Checks out. The order's transaction records its id on the request's idempotency claim, so a retry after a
     * failure past that commit (the database gone before the answer was read) is answered with the order.
     */
    public Uni<Placed> placeOrder(UUID accountId, String tokenEmail, String cartToken, PlaceOrderRequest r,
            ReferralAttribution.Referral referral, Idempotency.Claim claim) {
        String email = contactEmail(tokenEmail, r.email());
        checkShippingChoice(r);
        return shippingAddress(accountId, r)
                .map(shipTo -> new Checkout(accountId, email, shipTo, r, null, null, null, null))
                .chain(c -> carts.contentsForCheckout(r.cartId(), accountId, cartToken).map(c::with))
                .chain(this::priced)
                .chain(c -> intents.authorise(r.paymentToken(), c.total()).map(c::with))
                .chain(c -> createOrder(c, claim)
                        // attributed before it is paid, so the order.paid event finds the referral (P12); the order
                        // is committed, so a failure here must not fail the checkout
                        .call(orderId -> attributions.isResolvable() ? attributions.get().attribute(orderId, accountId, referral)
                                .onFailure().invoke(e -> LOG.warnf("Order %s: its referral was not attributed (%s)", orderId, e.getClass().getSimpleName()))
                                .onFailure().recoverWithNull()
                                : Uni.createFrom().voidItem())
                        .call(orderId -> captureAndMarkPaid(orderId, c.authorisation().reference(), c.total(),
                                new Actor(accountId, "customer"))))
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

    /**
     * The one transaction: authorisation intent taken over, cart emptied, stock reserved, order written. A failure
     * releases the authorisation, unless the order committed after all: a connection lost with the COMMIT's answer
     * fails here, and that order holds the authorisation. When that cannot be told, or the release fails, the
     * intent stays for the void worker (voided only if no commit took it over).
     */
    private Uni<UUID> createOrder(Checkout c, Idempotency.Claim claim) {
        UUID orderId = UUID.randomUUID();
        // the intent's take-over and the cart's compare-and-set go out together, as do the reservations and the
        // price check's read (the read runs after them)
        return Transactions.run(pool, conn -> Uni.combine().all().unis(gate(conn, c.accountId()), intents.takeOver(conn, c.held().intent()),
                                carts.consume(conn, c.cart().cartId(), c.cart().version())).with((passed, taken, lines) -> lines)
                        .chain(lines -> Uni.combine().all().unis(reserveAll(conn, lines, c.snapshots()),
                                        catalog.variantSnapshots(conn, lines.stream().map(Line::variantId).toList()))
                                .with((reserved, now) -> repriced(c, lines, now)))
                        .chain(priced -> insertOrder(conn, orderId, c, priced, claim)))
                .onFailure().call(e -> committedAfterAll(e, orderId, c.held().intent())
                        .chain(placed -> placed ? Uni.createFrom().voidItem()
                                : payments.release(c.authorisation().reference()).chain(() -> intents.forget(c.held().intent())))
                        .onFailure().invoke(f -> LOG.warnf("Releasing authorisation failed (%s); the void worker retries it", f.getClass().getSimpleName()))
                        .onFailure().recoverWithNull());
    }

    /**
     * A customer's order passes the erasure gate (an erasure would not see it otherwise) and finds the account still
     * there; both go out with the transaction's first statements. A guest's order has no account to wait for.
     */
    private static Uni<Void> gate(io.vertx.mutiny.sqlclient.SqlConnection conn, UUID accountId) {
        if (accountId == null) {
            return Uni.createFrom().voidItem();
        }
        return com.harmony.account.AccountService.passErasureGate(conn, accountId).invoke(there -> {
            if (!there) {
                throw ProblemException.accountErased();
            }
        }).replaceWithVoid();
    }

    /**
     * Only a connection lost on the COMMIT leaves the outcome open; every other failure (stock, prices, a voided
     * intent, a database that never got the COMMIT) did not commit.
     */
    private Uni<Boolean> committedAfterAll(Throwable failure, UUID orderId, UUID intent) {
        if (!(failure instanceof Transactions.CommitOutcomeUnknown)) {
            return Uni.createFrom().item(false);
        }
        // the broken connection may be handed out again for a moment before the pool hears: a few retries for that
        // only (a statement timeout or a pool wait, tried again, would keep the buyer past the HTTP idle timeout)
        return intents.settled(intent).chain(() -> pool.preparedQuery(OrderSql.EXISTS).execute(Tuple.of(orderId)))
                .map(rows -> rows.iterator().next().getBoolean(0))
                .onFailure(ProblemMapper::connectionClosed).retry().withBackOff(java.time.Duration.ofMillis(50)).atMost(3);
    }

    /** Reserves in variant-id order, so two orders over the same variants never deadlock. */
    private Uni<Void> reserveAll(SqlConnection conn, List<Line> lines, Map<UUID, VariantSnapshot> snapshots) {
        List<Line> sorted = lines.stream().sorted(Comparator.comparing(Line::variantId)).toList();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Line l : sorted) {
            chain = chain.chain(() -> catalog.reserveStock(conn, l.variantId(), l.quantity(), () -> {
                VariantSnapshot s = snapshots.get(l.variantId());
                return insufficientStock(s == null ? l.variantId().toString() : s.sku());
            }));
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

    private Uni<UUID> insertOrder(SqlConnection conn, UUID id, Checkout c, List<PricedLine> lines, Idempotency.Claim claim) {
        PostalAddress a = c.shipTo();
        Authorisation auth = c.authorisation();
        String number = newNumber();
        Tuple order = Tuple.from(new Object[] {id, number, c.accountId(), c.email(), OrderStatus.placed.name(), c.total().currency(),
                c.total().amountMinor(), a.name(), a.line1(), a.line2(), a.city(), a.region(), a.postalCode(), a.country(), a.phone(),
                c.request().billingPostalCode().strip().toUpperCase(), auth.brand(), auth.last4(), (short) auth.expMonth(),
                (short) auth.expYear(), auth.reference(), "authorised", null});
        // the order, its lines, history, event and the idempotency claim's record of it in one round trip (the id is
        // made before, so nothing waits for it)
        return Uni.combine().all().unis(conn.preparedQuery(OrderSql.INSERT_ORDER).execute(order),
                insertLines(conn, id, lines),
                moves.created(conn, id, number, c.accountId(), c.total(), new Actor(c.accountId(), "customer"), null),
                claim.record(conn, id.toString()))
                .discardItems().replaceWith(id);
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

    /**
     * Captures the payment the checkout just authorised (its reference and total, as the order was
     * written) and marks the order paid; a capture failure leaves it placed, for the CaptureWorker (or support's move to paid).
     */
    private Uni<Void> captureAndMarkPaid(UUID orderId, String paymentReference, Money total, Actor actor) {
        return payments.capture(paymentReference, total)
                .chain(() -> markPaidOrRefund(orderId, actor)).replaceWithVoid()
                .onFailure().call(e -> {
                    LOG.warnf("Capture for order %s did not complete (%s); it stays placed until the capture worker retries", orderId, e.getClass().getSimpleName());
                    return captureLater(orderId, config.captureRetryAfter());
                })
                .onFailure().recoverWithNull();
    }

    /**
     * The capture went through: placed → paid with the fulfilment event (P19); answers the status it found
     * under the order's lock (placed: this call made the move). If the order left "placed" meanwhile (the buyer cancelled during checkout) the captured money is
     * owed back: a pending refund is recorded in the same transaction and attempted at once. A capture that repeats
     * one already accounted for (captures are idempotent at the provider) changes nothing.
     */
    private Uni<OrderStatus> markPaidOrRefund(UUID orderId, Actor actor) {
        return Transactions.run(pool, conn -> moves.lock(conn, orderId).chain(o -> switch (o.status()) {
                    case placed -> markPaid(conn, o, actor).replaceWith(new Captured(o.status(), null));
                    case cancelled -> o.payment() == PaymentStatus.authorised || o.payment() == PaymentStatus.released
                            ? refunds.recordLateCapture(conn, o, Actor.SYSTEM).map(refundId -> new Captured(o.status(), refundId))
                            : Uni.createFrom().item(new Captured(o.status(), null)); // its money is accounted for already
                    default -> Uni.createFrom().item(new Captured(o.status(), null)); // paid by another capture meanwhile
                }))
                .call(c -> c.lateRefund() == null ? Uni.createFrom().voidItem() : refunds.attempt(c.lateRefund())
                        .invoke(() -> LOG.warnf("Order %s was cancelled while its payment was captured; the capture is being refunded", orderId)))
                .map(Captured::found);
    }

    /** The status a capture's bookkeeping found, and the refund it recorded for a capture that came too late (or null). */
    private record Captured(OrderStatus found, UUID lateRefund) {
    }

    /** Payment captured and placed → paid in one update, fulfilment requested: sent together, one round trip (see OrderMoves). */
    Uni<Void> markPaid(SqlConnection conn, OrderMoves.Locked o, Actor actor) {
        return Uni.combine().all().unis(moves.move(conn, o, OrderStatus.paid, PaymentStatus.captured, actor, null),
                requestFulfilment(conn, o.id())).discardItems();
    }

    Uni<Void> requestFulfilment(SqlConnection conn, UUID orderId) {
        return outbox.appendQueried(conn, FULFILMENT_TOPIC, orderId, OrderSql.FULFILMENT_PAYLOAD);
    }

    // ------------------------------------------------------------------ reads

    /** The caller's own order; any other order is "not found" to them. */
    public Uni<String> ownOrder(UUID orderId, UUID accountId) {
        return pool.preparedQuery(OrderSql.OWN_ORDER).execute(Tuple.of(orderId, accountId))
                .map(rows -> Rows.doc(require(Rows.first(rows), "Order " + orderId)));
    }

    public Uni<String> document(UUID orderId) {
        return pool.preparedQuery(OrderSql.ORDER_BY_ID).execute(Tuple.of(orderId))
                .map(rows -> Rows.doc(require(Rows.first(rows), "Order " + orderId)));
    }

    /**
     * A page of every order, newest first, as partner systems see them: no contact data, account or card
     * (P19). status filters by one status (a 400 naming it when unknown).
     */
    public Uni<String> partnerOrders(String status, int limit, String cursor) {
        return orders(OrderListing.forPartners(com.harmony.platform.QueryParams.optionalEnum("status", status, OrderStatus.class), limit, cursor));
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

    /**
     * Moves an order as staff asked. Asking for refunded (or refunding) starts a full refund. Money and
     * stock follow the move in its transaction; the provider is called after the commit.
     */
    public Uni<String> transition(UUID orderId, OrderStatus to, Actor actor, String note) {
        Uni<Void> moved = switch (to) {
            case paid -> capture(orderId, actor);
            case cancelled -> cancel(orderId, actor, note, null);
            case refunded, refunding -> refundInFull(orderId, actor, note);
            default -> pool.withTransaction(conn -> moves.lock(conn, orderId).chain(o -> moves.move(conn, o, to, actor, note)))
                    .replaceWithVoid();
        };
        return moved.chain(() -> document(orderId));
    }

    /** The customer's own cancel: only their order, only before fulfilment. */
    public Uni<String> cancelByCustomer(UUID orderId, UUID accountId, Idempotency.Claim claim) {
        return cancel(orderId, new Actor(accountId, "customer"), null, accountId, o -> true, claim).chain(() -> ownOrder(orderId, accountId));
    }

    /**
     * A capture the CaptureWorker claimed, if the order still awaits one (support may have moved it, or the buyer
     * cancelled, since the claim): the money first, within {@code timeout}, then placed → paid (or a refund, if the
     * order was cancelled while the capture ran).
     */
    Uni<Void> captureClaimed(UUID orderId, String paymentReference, Money total, java.time.Duration timeout) {
        return state(orderId).chain(s -> !awaitingCapture(OrderStatus.valueOf(s.getString("status")), PaymentStatus.valueOf(s.getString("payment_status")))
                ? Uni.createFrom().voidItem()
                : payments.capture(paymentReference, total).ifNoItem().after(timeout)
                        .failWith(() -> com.harmony.payment.PaymentProblems.providerDown("The payment provider did not answer in time."))
                        .chain(() -> markPaidOrRefund(orderId, Actor.SYSTEM)).replaceWithVoid());
    }

    /**
     * An order whose capture never went through: cancelled as staff would, so its stock goes back and the authorisation
     * is released; checked under the order's lock, so an order paid meanwhile is left alone.
     */
    Uni<Void> cancelUncaptured(UUID orderId, String note) {
        return cancel(orderId, Actor.SYSTEM, note, null, o -> awaitingCapture(o.status(), o.payment()), Idempotency.Claim.NONE);
    }

    private static boolean awaitingCapture(OrderStatus status, PaymentStatus payment) {
        return status == OrderStatus.placed && payment == PaymentStatus.authorised;
    }

    /** Checkout's own capture failed: the CaptureWorker takes the order from {@code after} on. */
    private Uni<Void> captureLater(UUID orderId, java.time.Duration after) {
        return pool.preparedQuery(OrderSql.CAPTURE_LATER).execute(Tuple.of(orderId, after.toMillis())).replaceWithVoid();
    }

    /** placed → paid by staff: the capture is tried first (money moves before the status says so). */
    private Uni<Void> capture(UUID orderId, Actor actor) {
        return state(orderId).chain(s -> {
            OrderStatus from = OrderStatus.valueOf(s.getString("status"));
            if (!from.canMoveTo(OrderStatus.paid)) {
                return Uni.createFrom().failure(illegal(from, OrderStatus.paid));
            }
            // several staff moves may capture at once (the provider answers a repeat as the first); one moves the order
            return payments.capture(s.getString("payment_reference"), new Money(s.getLong("total_minor"), s.getString("currency")))
                    .chain(() -> markPaidOrRefund(orderId, actor))
                    .chain(found -> found == OrderStatus.placed ? Uni.createFrom().voidItem()
                            : Uni.createFrom().<Void>failure(illegal(found, OrderStatus.paid)));
        });
    }

    /**
     * Cancels in one transaction: the status compare-and-set, the stock back, open returns closed and
     * the money owed recorded as pending (a release of an unpaid authorisation, or a refund of a
     * capture). Then one attempt at the provider; a failure leaves the refund pending for the worker.
     */
    private Uni<Void> cancel(UUID orderId, Actor actor, String note, UUID customer) {
        return cancel(orderId, actor, note, customer, o -> true, Idempotency.Claim.NONE);
    }

    /**
     * The same, only when {@code still} holds for the order as locked (otherwise nothing changes). The key's claim names
     * the order in the cancel's transaction: a retry after an answer lost past the commit is answered with the order.
     */
    private Uni<Void> cancel(UUID orderId, Actor actor, String note, UUID customer, java.util.function.Predicate<OrderMoves.Locked> still,
            Idempotency.Claim claim) {
        return pool.withTransaction(conn -> moves.lockWithOriginal(conn, orderId).chain(o -> {
                    if (!still.test(o)) {
                        return Uni.createFrom().<UUID>nullItem();
                    }
                    if (customer != null && !customer.equals(o.accountId())) {
                        throw ProblemException.notFound("Order " + orderId);
                    }
                    if (customer != null && !o.status().cancellableByCustomer()) {
                        throw new ProblemException(OrderProblems.ILLEGAL_TRANSITION, "The order is " + o.status()
                                + "; it can be cancelled only before it is fulfilled. Request a return instead.");
                    }
                    return moves.move(conn, o, OrderStatus.cancelled, actor, note)
                            .call(cancelled -> moves.restockAll(conn, cancelled, CatalogService.StockReason.order_cancelled, actor))
                            .call(cancelled -> moves.closeOpenReturns(conn, cancelled, actor, "closed: the order was cancelled"))
                            .chain(cancelled -> giveMoneyBack(conn, cancelled, "cancel", actor, note)
                                    // a replacement was paid for by the goods sent back: its exchange becomes a refund
                                    .chain(refundId -> refundId != null ? Uni.createFrom().item(refundId)
                                            : refunds.exchangeCancelled(conn, cancelled.id(), actor)))
                            .call(() -> claim.record(conn, orderId.toString()));
                }))
                .chain(this::attemptIfAny);
    }

    /** What a cancelled or fully refunded order owes its buyer, as a pending intent; null when nothing. */
    private Uni<UUID> giveMoneyBack(SqlConnection conn, OrderMoves.Locked o, String reason, Actor actor, String note) {
        if (o.paymentReference() == null || o.payment() == PaymentStatus.none) {
            return Uni.createFrom().nullItem(); // a no-charge replacement order
        }
        if (o.payment() == PaymentStatus.authorised) {
            return refunds.record(conn, o, new RefundService.Intent("release", reason, o.total(), null, actor, note));
        }
        return reserveRemaining(conn, o).chain(remaining -> remaining.amountMinor() == 0 ? Uni.createFrom().<UUID>nullItem()
                : refunds.record(conn, o, RefundService.Intent.refund(reason, remaining, null, actor, note)));
    }

    /** Reserves on every line what is still refundable (paid, minus refunds, minus replaced units); answers the sum. */
    private Uni<Money> reserveRemaining(SqlConnection conn, OrderMoves.Locked o) {
        return conn.preparedQuery(OrderSql.RESERVE_REMAINING).execute(Tuple.of(o.id()))
                .map(rows -> new Money(Rows.first(rows).getLong("remaining"), o.currency()));
    }

    /**
     * A full refund: open returns are closed, what is left on each line is reserved and recorded as a
     * pending refund, and the order becomes refunding until the provider confirms (refunded at once
     * when nothing is owed). A paid order was not shipped yet: its stock goes back. A replacement order owes
     * nothing itself: it is refunded at once, and its exchange is paid back on the original order.
     */
    private Uni<Void> refundInFull(UUID orderId, Actor actor, String note) {
        return pool.withTransaction(conn -> moves.lockWithOriginal(conn, orderId).chain(o -> moves.move(conn, o, OrderStatus.refunding, actor, note)
                        .call(r -> o.status() == OrderStatus.paid ? moves.restockAll(conn, r, CatalogService.StockReason.order_refunded, actor)
                                : Uni.createFrom().voidItem())
                        .call(r -> moves.closeOpenReturns(conn, r, actor, "closed: the order was refunded in full"))
                        .chain(r -> giveMoneyBack(conn, r, "full_refund", actor, note)
                                .chain(refundId -> refundId != null ? Uni.createFrom().item(refundId)
                                        // a replacement was paid for by the goods sent back: as its cancel does, its exchange becomes
                                        // a refund of the replaced units on the original order
                                        : finishWithoutMoney(conn, r).chain(() -> refunds.exchangeCancelled(conn, r.id(), actor))))))
                .chain(this::attemptIfAny);
    }

    /** Nothing left to pay back now: refunded at once, unless earlier refunds are still pending (their settlement ends it). */
    private Uni<Void> finishWithoutMoney(SqlConnection conn, OrderMoves.Locked o) {
        return conn.preparedQuery(OrderSql.PENDING_REFUNDS).execute(Tuple.of(o.id()))
                .chain(rows -> Rows.first(rows).getLong("n") > 0 ? Uni.createFrom().voidItem()
                        : moves.move(conn, o, OrderStatus.refunded, Actor.SYSTEM, "nothing left to refund")
                                // what was paid back, as a settlement's event says: a ledger reading the event takes no amount as all of it
                                .call(done -> moves.event(conn, o.id(), "order.refunded", OrderMoves.orderPayload(done, Actor.SYSTEM)
                                        .put("refunded", OrderMoves.money(new Money(o.refundedMinor(), o.currency())))))
                                .replaceWithVoid());
    }

    /**
     * Refunds part of a paid order (damaged goods, a goodwill gesture): per line, units and money are
     * reserved from the line's budget by a conditional update, so together with returns, exchanges and
     * full refunds nothing pays out more than was paid.
     */
    public Uni<Placed> refundPart(UUID orderId, OrderRequests.PartialRefundRequest r, Actor actor, Idempotency.Claim claim) {
        checkDistinct(r.lines());
        return pool.withTransaction(conn -> moves.lock(conn, orderId).chain(o -> {
                    if (!o.status().refundable() || !o.payment().holdsCapturedMoney()) {
                        throw new ProblemException(OrderProblems.NOT_REFUNDABLE, "The order is " + o.status() + " and its payment "
                                + o.payment() + "; only paid orders with money left can be refunded in part.");
                    }
                    // the key's claim names the refund in its transaction: a retry after an answer lost past the commit
                    // is answered with this refund, never pays a second one out of the lines' remaining budget
                    return reserveLines(conn, o, r.lines()).chain(amount -> refunds.record(conn, o,
                            RefundService.Intent.refund("partial_refund", amount, null, actor, r.note())))
                            .call(id -> claim.record(conn, id.toString()));
                }))
                .call(refunds::attempt)
                .chain(id -> refunds.document(id).map(doc -> new Placed(id, doc)));
    }

    private static void checkDistinct(List<OrderRequests.RefundLineInput> lines) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            OrderRequests.RefundLineInput l = lines.get(i);
            if (!seen.add(l.lineNo())) {
                throw ProblemException.invalid("lines[" + i + "].line_no", "names a line already listed");
            }
            if (l.quantity() == 0 && (l.amountMinor() == null || l.amountMinor() == 0)) {
                throw ProblemException.invalid("lines[" + i + "]", "refunds nothing: give a quantity or an amount_minor");
            }
        }
    }

    private Uni<Money> reserveLines(SqlConnection conn, OrderMoves.Locked o, List<OrderRequests.RefundLineInput> lines) {
        Uni<Long> sum = Uni.createFrom().item(0L);
        for (int i = 0; i < lines.size(); i++) {
            OrderRequests.RefundLineInput l = lines.get(i);
            String field = "lines[" + i + "]";
            sum = sum.chain(total -> conn.preparedQuery(OrderSql.RESERVE_LINE)
                    .execute(Tuple.of(o.id(), l.lineNo(), l.quantity(), l.amountMinor()))
                    .chain(rows -> {
                        Row row = Rows.first(rows);
                        return row != null ? Uni.createFrom().item(total + row.getLong("amount")) : lineRefused(conn, o.id(), l.lineNo(), field);
                    }));
        }
        return sum.map(total -> new Money(total, o.currency()));
    }

    private static Uni<Long> lineRefused(SqlConnection conn, UUID orderId, int lineNo, String field) {
        return conn.preparedQuery("select 1 from order_line where order_id = $1 and line_no = $2").execute(Tuple.of(orderId, lineNo))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ProblemException.invalid(field + ".line_no", "the order has no such line");
                    }
                    throw new ProblemException(OrderProblems.REFUND_EXCEEDS_BALANCE, "Line " + lineNo
                            + " has fewer units or less money left to refund than asked.");
                });
    }

    private Uni<Void> attemptIfAny(UUID refundId) {
        return refundId == null ? Uni.createFrom().voidItem() : refunds.attempt(refundId);
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
