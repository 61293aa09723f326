package com.harmony.order;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How pending refunds are retried. */
@ConfigMapping(prefix = "harmony.refunds")
interface RefundConfig {

    /** Wait after the first failed provider call; it doubles with each further failure. */
    @WithDefault("PT2S")
    Duration retryBackoff();

    /** The longest wait between two attempts. */
    @WithDefault("PT1H")
    Duration maxBackoff();

    /** How long one attempt holds a refund before another instance may try it (a crashed attempt's lease runs out). */
    @WithDefault("PT30S")
    Duration lease();

    /** How often each instance's worker looks for due refunds (the scheduler reads it). */
    @WithDefault("5s")
    String pollInterval();

    /** Pending refunds one worker round takes. */
    @WithDefault("20")
    int batchSize();
}
