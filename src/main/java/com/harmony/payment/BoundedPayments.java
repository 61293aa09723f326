package com.harmony.payment;

import com.harmony.platform.Money;
import com.harmony.platform.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Every call to the payment provider, whichever adapter answers it, ends within {@code harmony.payments.call-timeout}.
 * A gateway that takes the connection and never answers would otherwise hold the buyer's request and its
 * Idempotency-Key, and stop the refund worker's round for good. A call that ran out, or failed with something the
 * adapter did not translate (an I/O error, anything but a problem or {@link PaymentProvider.AlreadyCaptured}), counts as the provider being down (502 with Retry-After): what it was
 * doing stays recorded as pending and is tried again under the same idempotency key.
 */
@Decorator
@Priority(10)
abstract class BoundedPayments implements PaymentProvider {

    private static final Logger LOG = Logger.getLogger(BoundedPayments.class);

    @Inject
    @Delegate
    @Any
    PaymentProvider delegate;

    @Inject
    PaymentConfig config;

    @Override
    public Uni<Authorisation> authorise(String paymentToken, Money amount, String idempotencyKey) {
        return bounded("authorise", () -> delegate.authorise(paymentToken, amount, idempotencyKey));
    }

    @Override
    public Uni<Void> voidAuthorisation(String idempotencyKey) {
        return bounded("void", () -> delegate.voidAuthorisation(idempotencyKey));
    }

    @Override
    public Uni<Void> capture(String reference, Money amount) {
        return bounded("capture", () -> delegate.capture(reference, amount));
    }

    @Override
    public Uni<Void> release(String reference) {
        return bounded("release", () -> delegate.release(reference));
    }

    @Override
    public Uni<String> refund(String reference, Money amount, String idempotencyKey) {
        return bounded("refund", () -> delegate.refund(reference, amount, idempotencyKey));
    }

    @Override
    public Uni<String> forget(List<String> references) {
        return bounded("forget", () -> delegate.forget(references));
    }

    private <T> Uni<T> bounded(String call, Supplier<Uni<? extends T>> attempt) {
        Duration timeout = config.callTimeout();
        return Uni.createFrom().<T>deferred(attempt)
                .ifNoItem().after(timeout).failWith(() -> {
                    LOG.warnf("The payment provider did not answer a %s within %s", call, timeout);
                    return PaymentProblems.providerDown("The payment provider did not answer in time; retry later.");
                })
                .onFailure(e -> !(e instanceof ProblemException) && !(e instanceof AlreadyCaptured)).transform(e -> {
                    LOG.warnf("The payment provider's %s failed (%s)", call, e.getClass().getName());
                    return PaymentProblems.providerDown("The payment provider could not be reached; retry later.");
                });
    }
}
