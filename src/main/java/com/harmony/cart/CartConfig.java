package com.harmony.cart;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Guest and account carts. */
@ConfigMapping(prefix = "harmony.cart")
interface CartConfig {

    /** A cart untouched this long is purged. */
    @WithDefault("P14D")
    Duration idleExpiry();
}
