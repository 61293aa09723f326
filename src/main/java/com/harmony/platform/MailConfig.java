package com.harmony.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The mail queue's worker. */
@ConfigMapping(prefix = "harmony.mail")
interface MailConfig {

    /** How often each instance looks for queued mail that is due (a request that queues mail also starts a round at once). */
    @WithDefault("10s")
    String pollInterval();

    /** Messages one round takes. */
    @WithDefault("20")
    int batchSize();

    /** How long a taken message is someone's to send before another instance may take it: longer than {@link #timeout()}. */
    @WithDefault("PT2M")
    Duration lease();

    /** How long one SMTP send may take. */
    @WithDefault("PT30S")
    Duration timeout();

    /** A message the mail server has not accepted in this long is dropped (the links in it have long expired). */
    @WithDefault("P7D")
    Duration giveUpAfter();
}
