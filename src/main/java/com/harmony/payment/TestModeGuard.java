package com.harmony.payment;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.arc.ClientProxy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * A production instance must not take orders through the test-mode provider (every "payment" would
 * succeed without money moving): it refuses to start unless told explicitly that this is wanted (a
 * demo, a benchmark), and then says so in the log at every start.
 */
@ApplicationScoped
public class TestModeGuard {

    private static final Logger LOG = Logger.getLogger(TestModeGuard.class);

    private final PaymentProvider provider;
    private final boolean realProviderRequired;
    private final boolean testModeAllowed;

    TestModeGuard(PaymentProvider provider, PaymentConfig config) {
        this.provider = provider;
        this.realProviderRequired = config.realProviderRequired();
        this.testModeAllowed = config.allowTestMode();
    }

    void check(@Observes StartupEvent event) {
        check(ClientProxy.unwrap(provider) instanceof TestModePaymentProvider, realProviderRequired, testModeAllowed);
    }

    /** Fails the start when the test-mode provider would take real orders without explicit permission. */
    static void check(boolean testMode, boolean realProviderRequired, boolean testModeAllowed) {
        if (!testMode || !realProviderRequired) {
            return;
        }
        if (!testModeAllowed) {
            throw new IllegalStateException("The payment provider is the test-mode one, which takes no money. Install a real "
                    + "PaymentProvider bean, or set PAYMENTS_ALLOW_TEST_MODE=true for a demo or a benchmark.");
        }
        LOG.warn("PAYMENTS IN TEST MODE: orders are 'paid' without any money moving (PAYMENTS_ALLOW_TEST_MODE=true)");
    }
}
