package com.harmony.payment;

import com.harmony.platform.Money;
import com.harmony.platform.ProblemException;
import io.quarkus.arc.DefaultBean;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Behaves like a gateway's test mode, deciding by token: {@code tok_visa}, {@code tok_mastercard} and
 * {@code tok_amex} approve (with a fixed brand, last four and expiry), {@code tok_declined} declines,
 * {@code tok_error} fails as an unreachable provider, {@code tok_visa_lost} approves but its answer is lost on the
 * way back (the checkout sees an unreachable provider while the card is held), {@code tok_visa_refund_error} approves but its
 * refunds always fail, {@code tok_visa_refund_flaky} approves and fails the first call of each refund
 * (as a timeout would). Any other token is unknown. Like a real gateway it keeps ledgers of authorisations and
 * refunds by idempotency key, so a retried call is answered, not held or paid again. The ledger lives in this
 * process: a real gateway keeps it on its side. Replace this bean with a real gateway in production.
 */
@ApplicationScoped
@DefaultBean
public class TestModePaymentProvider implements PaymentProvider {

    private record TestCard(String brand, String last4, int expMonth, int expYear) {
    }

    private record Refunded(String paymentReference, long amountMinor, String refundReference) {
    }

    /** An authorisation as the gateway holds it, by the checkout's idempotency key. */
    private record Held(Authorisation authorisation, long amountMinor) {
    }

    private static final Map<String, TestCard> CARDS = Map.of(
            "tok_visa", new TestCard("visa", "4242", 12, 2034),
            "tok_mastercard", new TestCard("mastercard", "4444", 10, 2033),
            "tok_amex", new TestCard("amex", "0005", 6, 2032),
            "tok_visa_refund_error", new TestCard("visa", "0341", 12, 2034),
            "tok_visa_refund_flaky", new TestCard("visa", "1881", 12, 2034));
    private static final Map<String, String> PREFIXES = Map.of(
            "tok_visa_refund_error", "pi_test_nrf_",
            "tok_visa_refund_flaky", "pi_test_flk_");

    private final Map<String, Refunded> refunds = new ConcurrentHashMap<>();
    /** Authorisations still holding money on a card, by idempotency key; captured, released or voided ones leave. */
    private final Map<String, Held> authorisations = new ConcurrentHashMap<>();
    private final Map<String, String> keysByReference = new ConcurrentHashMap<>();
    private volatile boolean voidOutage;
    private volatile java.time.Duration authoriseDelay = java.time.Duration.ZERO;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> callsByKey = new ConcurrentHashMap<>();
    private volatile boolean outage;
    private volatile boolean forgetOutage;
    private final java.util.Set<String> forgotten = ConcurrentHashMap.newKeySet();
    private volatile boolean captureOutage;
    private volatile java.time.Duration refundDelay = java.time.Duration.ZERO;
    private volatile boolean refundAnswersLost;
    private volatile boolean captureAnswersLost;
    /** Payments captured: a release of one of them is refused, as a gateway refuses to void a captured payment. */
    private final java.util.Set<String> captured = ConcurrentHashMap.newKeySet();
    private volatile java.time.Duration captureDelay = java.time.Duration.ZERO;

    @Override
    public Uni<Authorisation> authorise(String paymentToken, Money amount, String idempotencyKey) {
        Uni<Authorisation> answer = Uni.createFrom().item(() -> {
            if ("tok_declined".equals(paymentToken)) {
                throw new ProblemException(PaymentProblems.DECLINED, "The card was declined; try another payment method.");
            }
            if ("tok_error".equals(paymentToken)) {
                throw PaymentProblems.providerDown("The payment provider did not answer; nothing was charged. Retry later.");
            }
            TestCard card = CARDS.get("tok_visa_lost".equals(paymentToken) ? "tok_visa" : paymentToken);
            if (card == null) {
                throw ProblemException.invalid("payment_token", "is not a payment token the provider knows");
            }
            Held held = authorisations.computeIfAbsent(idempotencyKey, k -> {
                String reference = PREFIXES.getOrDefault(paymentToken, "pi_test_") + UUID.randomUUID().toString().replace("-", "");
                keysByReference.put(reference, k);
                return new Held(new Authorisation(reference, card.brand(), card.last4(), card.expMonth(), card.expYear()), amount.amountMinor());
            });
            if ("tok_visa_lost".equals(paymentToken)) {
                throw PaymentProblems.providerDown("The payment provider did not answer; nothing was charged. Retry later.");
            }
            return held.authorisation();
        });
        return sent(answer, authoriseDelay, false);
    }

    /**
     * How the gateway's answer travels: after {@code delay}, and, when {@code lost}, never (the gateway did the work, its
     * answer does not come back).
     */
    private static <T> Uni<T> sent(Uni<T> answer, java.time.Duration delay, boolean lost) {
        Uni<T> answered = lost ? answer.onItem().transformToUni(done -> Uni.createFrom().<T>nothing()) : answer;
        return delay.isZero() ? answered : Uni.createFrom().voidItem().onItem().delayIt().by(delay).chain(() -> answered);
    }

    @Override
    public Uni<Void> voidAuthorisation(String idempotencyKey) {
        return Uni.createFrom().item(() -> {
            if (voidOutage) {
                throw PaymentProblems.providerDown("The payment provider did not answer; nothing was voided. Retry later.");
            }
            Held held = authorisations.remove(idempotencyKey);
            if (held != null) {
                keysByReference.remove(held.authorisation().reference());
            }
            return null;
        });
    }

    @Override
    public Uni<Void> capture(String reference, Money amount) {
        Uni<Void> answer = Uni.createFrom().item(() -> {
            if (captureOutage) {
                throw PaymentProblems.providerDown("The payment provider did not answer; nothing was captured. Retry later.");
            }
            close(reference);
            captured.add(reference);
            return null;
        });
        return sent(answer, captureDelay, captureAnswersLost);
    }

    @Override
    public Uni<Void> release(String reference) {
        return Uni.createFrom().item(() -> {
            if (captured.contains(reference)) {
                throw new AlreadyCaptured(reference);
            }
            close(reference);
            return null;
        });
    }

    /** The authorisation no longer holds money on the card. */
    private void close(String reference) {
        String key = keysByReference.remove(reference);
        if (key != null) {
            authorisations.remove(key);
        }
    }

    @Override
    public Uni<String> refund(String reference, Money amount, String idempotencyKey) {
        Uni<String> answer = Uni.createFrom().item(() -> {
            calls.computeIfAbsent(reference, r -> new AtomicInteger()).incrementAndGet();
            int call = callsByKey.computeIfAbsent(idempotencyKey, k -> new AtomicInteger()).incrementAndGet();
            if (outage || reference.startsWith("pi_test_nrf_") || (reference.startsWith("pi_test_flk_") && call == 1)) {
                throw PaymentProblems.providerDown("The payment provider did not answer; nothing was refunded. Retry later.");
            }
            return refunds.computeIfAbsent(idempotencyKey, k -> new Refunded(reference, amount.amountMinor(),
                    "re_test_" + UUID.randomUUID().toString().replace("-", ""))).refundReference();
        });
        return sent(answer, refundDelay, refundAnswersLost);
    }

    @Override
    public Uni<String> forget(java.util.List<String> references) {
        return Uni.createFrom().item(() -> {
            if (forgetOutage) {
                throw PaymentProblems.providerDown("The payment provider did not answer; retry later.");
            }
            forgotten.addAll(references);
            return "test-mode gateway erased " + references.size() + " payment(s)";
        });
    }

    // ------------------------------------------------------------------ what tests ask the "gateway"

    /** Whether the gateway still holds an authorisation of this amount on a card: neither captured, released nor voided. */
    public boolean holds(long amountMinor) {
        return authorisations.values().stream().anyMatch(h -> h.amountMinor() == amountMinor);
    }

    /** Simulates the gateway refusing every void until switched off again. */
    public void failVoids(boolean failing) {
        voidOutage = failing;
    }

    /** Simulates a slow gateway: each authorisation answers after this long (zero: at once). */
    public void delayAuthorisations(java.time.Duration delay) {
        authoriseDelay = delay;
    }

    /** Simulates the gateway refusing erasure requests until switched off again. */
    public void failErasures(boolean failing) {
        forgetOutage = failing;
    }

    /** Whether the gateway was asked to erase a payment. */
    public boolean forgot(String paymentReference) {
        return forgotten.contains(paymentReference);
    }

    /** Simulates the gateway refusing every refund until switched off again. */
    public void failRefunds(boolean failing) {
        outage = failing;
    }

    /** Simulates a slow gateway: each refund call answers after this long (zero: at once). */
    public void delayRefunds(java.time.Duration delay) {
        refundDelay = delay;
    }

    /** Simulates a gateway that pays each refund back but never answers the call, until switched off again. */
    public void loseRefundAnswers(boolean losing) {
        refundAnswersLost = losing;
    }

    /** Simulates a gateway that captures but never answers the call, until switched off again. */
    public void loseCaptureAnswers(boolean losing) {
        captureAnswersLost = losing;
    }

    /** Simulates a slow gateway: each capture call answers after this long (zero: at once). */
    public void delayCaptures(java.time.Duration delay) {
        captureDelay = delay;
    }

    /** Simulates the gateway refusing every capture until switched off again. */
    public void failCaptures(boolean failing) {
        captureOutage = failing;
    }

    /** What the gateway really paid back for one payment: each refund key counted once. */
    public long refundedTotal(String paymentReference) {
        return refunds.values().stream().filter(r -> r.paymentReference().equals(paymentReference)).mapToLong(Refunded::amountMinor).sum();
    }

    /** How many refund calls reached the gateway for one payment, failed ones included. */
    public int refundCalls(String paymentReference) {
        AtomicInteger n = calls.get(paymentReference);
        return n == null ? 0 : n.get();
    }
}
