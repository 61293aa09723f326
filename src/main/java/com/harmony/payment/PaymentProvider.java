package com.harmony.payment;

import com.harmony.platform.Money;
import io.smallrye.mutiny.Uni;

/**
 * A card payment gateway, reached with a token the client got from the gateway's own form: card
 * numbers and security codes never pass through this API (P8). Failures are ProblemExceptions of
 * {@link PaymentProblems}: declined (402), provider unavailable (502), unknown token (400). An adapter is a bean
 * class (as the test-mode one is), not a producer method: CDI decorates class beans only, and every call goes
 * through {@link BoundedPayments}' timeout.
 */
public interface PaymentProvider {

    /**
     * Reserves amount on the card; answers what the API may store about it. The idempotency key is the checkout's
     * recorded intent: calling again with it must answer the first authorisation, never hold the card twice.
     */
    Uni<Authorisation> authorise(String paymentToken, Money amount, String idempotencyKey);

    /**
     * Voids whatever was authorised under this idempotency key, for a checkout that never learnt the answer or never
     * recorded its order (a gateway's cancel by merchant reference). Must be harmless when nothing was authorised
     * under the key, and when called again.
     */
    Uni<Void> voidAuthorisation(String idempotencyKey);

    /**
     * Takes an authorised amount. Must be safe to call again: a capture whose answer was lost (a timeout)
     * is retried by the order's CaptureWorker, so capturing an authorisation already captured for this
     * amount answers success (an adapter maps the gateway's "already captured" state to it). Otherwise the
     * worker would keep failing and, after the give-up age, cancel an order whose money was taken.
     */
    Uni<Void> capture(String reference, Money amount);

    /**
     * Releases an authorisation that will not be captured (the order failed or was cancelled unpaid). Fails with
     * {@link AlreadyCaptured} when the gateway captured it after all (a capture whose answer was lost): the money was
     * taken, and goes back as a refund instead.
     */
    Uni<Void> release(String reference);

    /** The gateway's answer to a release of a payment it has captured (an adapter maps the gateway's own code to it). */
    final class AlreadyCaptured extends RuntimeException {
        public AlreadyCaptured(String reference) {
            super("Payment " + reference + " was captured; it can no longer be released", null, false, false);
        }
    }

    /**
     * Returns money from a captured payment; answers the refund's reference. The idempotency key is
     * the refund's own id: calling again with it (a retry after a timeout or a crash) must never
     * refund twice, and answers the first refund's reference.
     */
    Uni<String> refund(String reference, Money amount, String idempotencyKey);

    /**
     * Asks the gateway to erase what it holds about the payments with these references (P28): answers
     * the gateway's confirmation. Calling again with the same references must be harmless.
     */
    Uni<String> forget(java.util.List<String> references);

    /** The only card facts the API keeps: brand, last four digits, expiry and the provider's reference. */
    record Authorisation(String reference, String brand, String last4, int expMonth, int expYear) {
    }
}
