package com.harmony.analytics;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Page views (P21): how much of the client address is kept, how long raw rows live, how many a client may send. */
@ConfigMapping(prefix = "harmony.analytics")
interface AnalyticsConfig {

    /**
     * Refuses out-of-range values at start. Checked here rather than with Bean Validation annotations:
     * one constrained mapping makes Quarkus build a second validator factory at every start (about a
     * sixth of the main thread's start-up work).
     */
    static void check(AnalyticsConfig c) {
        range("harmony.analytics.ipv4-prefix", c.ipv4Prefix(), 0, 32);
        range("harmony.analytics.ipv6-prefix", c.ipv6Prefix(), 0, 128);
        range("harmony.analytics.views-per-minute", c.viewsPerMinute(), 1, Integer.MAX_VALUE);
    }

    private static void range(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " is " + value + "; it must be between " + min + " and " + max);
        }
    }

    /** How long raw page views (with address, browser and visitor) are kept before whole days become anonymous daily counts. */
    @WithDefault("P90D")
    Duration retention();

    /** Leading bits of an IPv4 client address that are stored (24 keeps the /24 network); 0 stores no address. */
    @WithDefault("24")
    int ipv4Prefix();

    /** Leading bits of an IPv6 client address that are stored (48 keeps the /48 site); 0 stores no address. */
    @WithDefault("48")
    int ipv6Prefix();

    /** Page views one client address (an IPv4 address or IPv6 /64) may send per minute before 429. */
    @WithDefault("120")
    int viewsPerMinute();
}
