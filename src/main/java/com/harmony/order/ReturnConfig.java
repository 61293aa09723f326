package com.harmony.order;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Returns (P9). */
@ConfigMapping(prefix = "harmony.returns")
interface ReturnConfig {

    /** Failed guest verifications per order and client address in a window before that pair is locked. */
    @WithDefault("5")
    int verifyMaxFailures();

    /** Failed guest verifications per order, from all addresses, in a window. */
    @WithDefault("20")
    int verifyOrderMaxFailures();

    /** The window failed verifications are counted in. */
    @WithDefault("PT15M")
    Duration verifyWindow();

    /** The first lock past a limit; each further attempt doubles it, up to the window. */
    @WithDefault("PT1M")
    Duration verifyLock();

    /** Whether returned units go back on hand when support marks a return received. */
    @WithDefault("true")
    boolean restockOnReceive();

    /** How long a return keeps its requester's IP address and user agent (fraud evidence); then the retention purge clears them. */
    @WithDefault("P1Y")
    java.time.Period verifierRetention();
}
