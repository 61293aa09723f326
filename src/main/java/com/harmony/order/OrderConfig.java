package com.harmony.order;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Period;

/** Orders as tax and accounting records (P28). */
@ConfigMapping(prefix = "harmony.orders")
interface OrderConfig {

    /** How long after it was placed an order keeps the buyer's identity; then the retention purge removes it. */
    @WithDefault("P7Y")
    Period identityRetention();
}
