package com.harmony.payment;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Which payment provider may take orders. */
@ConfigMapping(prefix = "harmony.payments")
interface PaymentConfig {

    /** Whether this profile insists on a real provider (production does; dev and test do not). */
    @WithDefault("true")
    boolean realProviderRequired();

    /** Lets production run on the test-mode provider anyway (a demo, a benchmark), with a warning at every start. */
    @WithDefault("false")
    boolean allowTestMode();

    /**
     * The longest any call to the provider may take (authorise, capture, release, refund, void, forget); then it counts
     * as the provider being down, and what it was for stays pending and is retried. Shorter than the refund lease.
     */
    @WithDefault("PT10S")
    java.time.Duration callTimeout();
}
