package com.harmony.partner;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Partner credentials and signed webhooks. */
@ConfigMapping(prefix = "harmony.partner")
public interface PartnerConfig {

    /** Lifetime of a partner access token (client credentials grant). */
    @WithDefault("PT15M")
    Duration tokenTtl();

    /** How long the previous secret keeps working after a rotation. */
    @WithDefault("PT24H")
    Duration secretOverlap();

    /** Failed client authentications per client id and client address (ten times as many per address alone) in a window before a lock. */
    @WithDefault("10")
    int authFailures();

    /** The window failed client authentications are counted in; the first lock lasts as long, doubling up to an hour. */
    @WithDefault("PT15M")
    Duration authWindow();

    /** Signed webhook deliveries. */
    Webhooks webhooks();

    interface Webhooks {

        /** How often each instance looks for due deliveries (the scheduler reads it; off in tests). */
        @WithDefault("5s")
        String pollInterval();

        /** Deliveries one round claims (and sends concurrently). */
        @WithDefault("20")
        int batchSize();

        /** Connect and response timeout of one delivery attempt. */
        @WithDefault("PT10S")
        Duration timeout();

        /** How long a claimed delivery is someone's: after a crash between claim and record it is due again then. */
        @WithDefault("PT1M")
        Duration lease();

        /** The first retry's delay; each further one doubles it, with up to 20 % random jitter. */
        @WithDefault("PT10S")
        Duration retryBase();

        /** The longest delay between two attempts. */
        @WithDefault("PT1H")
        Duration retryMaxBackoff();

        /** How long a delivery is retried before it counts as failed. */
        @WithDefault("P3D")
        Duration retryFor();

        /** Consecutive failed attempts of a subscription after which it is paused and its contact emailed. */
        @WithDefault("15")
        int failuresBeforePause();

        /** Allow http:// targets (development and tests only); production requires https. */
        @WithDefault("false")
        boolean allowHttp();

        /** Allow targets resolving to private, loopback, link-local, multicast or unspecified addresses (tests only). */
        @WithDefault("false")
        boolean allowPrivateTargets();

        /** Subscriptions one client may hold. */
        @WithDefault("20")
        int maxSubscriptions();

        /** How long deliveries and their attempts are kept; then the retention purge deletes them. */
        @WithDefault("P30D")
        Duration keepDeliveries();
    }
}
