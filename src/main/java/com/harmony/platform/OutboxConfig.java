package com.harmony.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The transactional outbox's publisher. */
@ConfigMapping(prefix = "harmony.outbox")
interface OutboxConfig {

    /** How often each instance looks for due events (the scheduler reads it). */
    @WithDefault("5s")
    String pollInterval();

    /** Events one round claims. */
    @WithDefault("50")
    int batchSize();

    /**
     * How long a taken event is its instance's to publish before another may take it (an instance that
     * died mid-round): longer than the slowest subscriber and publisher together.
     */
    @WithDefault("PT2M")
    java.time.Duration lease();

    /** How long a published event stays (for investigating a delivery); then the retention purge deletes it. */
    @WithDefault("P7D")
    java.time.Duration keepPublished();
}
