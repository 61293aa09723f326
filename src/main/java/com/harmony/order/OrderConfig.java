package com.harmony.order;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.time.Period;

/** Orders as tax and accounting records (P28), the capture of a checkout's payment retried, and authorisations nobody recorded voided. */
@ConfigMapping(prefix = "harmony.orders")
interface OrderConfig {

    /** How long after it was placed an order keeps the buyer's identity; then the retention purge removes it. */
    @WithDefault("P7Y")
    Period identityRetention();

    /** A checkout whose capture failed is captured again from this long after that attempt; the wait doubles after each failure, and each call is given half of it (at most harmony.payments.call-timeout). */
    @WithDefault("PT30S")
    Duration captureRetryAfter();

    /** The longest wait between two capture attempts. */
    @WithDefault("PT1H")
    Duration captureMaxBackoff();

    /** Uncaptured this long after it was placed, the order is cancelled: its stock goes back and the authorisation is released (gateways let one lapse after about seven days). */
    @WithDefault("P7D")
    Duration captureGiveUpAfter();

    /**
     * A checkout whose order is not recorded this long after it asked the gateway to authorise never will be: the
     * void worker voids what the gateway authorised (with the capture's backoff and give-up age).
     */
    @WithDefault("PT10M")
    Duration authorisationVoidAfter();

    /** How often each instance's workers look for due captures and voids (the scheduler reads it). */
    @WithDefault("10s")
    String capturePollInterval();

    /** Orders one capture round takes. */
    @WithDefault("20")
    int captureBatchSize();
}
