package com.harmony.account;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The account feature's per-instance cache of live sessions and rendered views. */
@ConfigMapping(prefix = "harmony.account")
interface AccountConfig {

    /**
     * How long a live session or a rendered /v1/me may be trusted from memory. Changes reach every instance
     * through PostgreSQL NOTIFY when they commit; this bounds staleness when a notification is lost, so a
     * sign-out holds everywhere within it. PT0S turns the cache off.
     */
    @WithDefault("PT0.5S")
    Duration cacheTtl();

    /** Sessions and views one instance keeps, each. */
    @WithDefault("100000")
    long cacheMaxEntries();
}
