package com.harmony.catalog;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The catalog's read cache. */
@ConfigMapping(prefix = "harmony.catalog")
interface CatalogConfig {

    /**
     * How long a rendered product or page may be served from memory. Catalog writes by staff reach every
     * instance at once through PostgreSQL NOTIFY; this bounds staleness when a notification is lost and for
     * stock moved by orders, which do not notify. PT0S turns the cache off.
     */
    @WithDefault("PT1S")
    Duration cacheTtl();

    /**
     * The most characters of rendered JSON one instance keeps (every distinct search is an entry, so the
     * bound is on size, not on entries).
     */
    @WithDefault("33554432")
    long cacheMaxChars();
}
