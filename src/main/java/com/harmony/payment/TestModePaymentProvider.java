package com.harmony.payment;

import com.harmony.platform.Money;
import com.harmony.platform.ProblemException;
import io.quarkus.arc.DefaultBean;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;

/**
 * Behaves like a gateway's test mode, deciding by token: {@code tok_visa}, {@code tok_mastercard} and
 * {@code tok_amex} approve (with a fixed brand, last four and expiry), {@code tok_declined} declines,
 * {@code tok_error} fails as an unreachable provider, {@code tok_visa_refund_error} approves but its refunds
 * fail. Any other token is unknown. Stateless: the reference carries the refund behaviour. Replace it
 * with a real gateway bean in production.
 */
@ApplicationScoped
@DefaultBean
public class TestModePaymentProvider implements PaymentProvider {

    private record TestCard(String brand, String last4, int expMonth, int expYear) {
    }

    private static final Map<String, TestCard> CARDS = Map.of(
            "tok_visa", new TestCard("visa", "4242", 12, 2034),
            "tok_mastercard", new TestCard("mastercard", "4444", 10, 2033),
            "tok_amex", new TestCard("amex", "0005", 6, 2032),
            "tok_visa_refund_error", new TestCard("visa", "0341", 12, 2034));
    private static final String REFUND_FAILS = "pi_test_nrf_";

    @Override
    public Uni<Authorisation> authorise(String paymentToken, Money amount) {
        return Uni.createFrom().item(() -> {
            if ("tok_declined".equals(paymentToken)) {
                throw new ProblemException(PaymentProblems.DECLINED, "The card was declined; try another payment method.");
            }
            if ("tok_error".equals(paymentToken)) {
                throw new ProblemException(PaymentProblems.PROVIDER_ERROR, "The payment provider did not answer; nothing was charged. Retry later.");
            }
            TestCard card = CARDS.get(paymentToken);
            if (card == null) {
                throw ProblemException.invalid("payment_token", "is not a payment token the provider knows");
            }
            String prefix = "tok_visa_refund_error".equals(paymentToken) ? REFUND_FAILS : "pi_test_";
            return new Authorisation(prefix + UUID.randomUUID().toString().replace("-", ""), card.brand(), card.last4(),
                    card.expMonth(), card.expYear());
        });
    }

    @Override
    public Uni<Void> capture(String reference, Money amount) {
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Void> release(String reference) {
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<String> refund(String reference, Money amount) {
        return Uni.createFrom().item(() -> {
            if (reference.startsWith(REFUND_FAILS)) {
                throw new ProblemException(PaymentProblems.PROVIDER_ERROR, "The payment provider did not answer; nothing was refunded. Retry later.");
            }
            return "re_test_" + UUID.randomUUID().toString().replace("-", "");
        });
    }
}
