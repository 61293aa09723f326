package com.harmony.analytics;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/** Page views (P21): how much of the client address is kept, how long raw rows live, how many a client may send. */
@ConfigMapping(prefix = "harmony.analytics")
interface AnalyticsConfig {

    /** How long raw page views (with address, browser and visitor) are kept before whole days become anonymous daily counts. */
    @WithDefault("P90D")
    Duration retention();

    /** Leading bits of an IPv4 client address that are stored (24 keeps the /24 network); 0 stores no address. */
    @WithDefault("24")
    @Min(0)
    @Max(32)
    int ipv4Prefix();

    /** Leading bits of an IPv6 client address that are stored (48 keeps the /48 site); 0 stores no address. */
    @WithDefault("48")
    @Min(0)
    @Max(128)
    int ipv6Prefix();

    /** Page views one client address (an IPv4 address or IPv6 /64) may send per minute before 429. */
    @WithDefault("120")
    @Min(1)
    int viewsPerMinute();
}
