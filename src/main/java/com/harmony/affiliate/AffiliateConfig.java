package com.harmony.affiliate;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** Affiliate tracking and commissions. */
@ConfigMapping(prefix = "harmony.affiliate")
public interface AffiliateConfig {

    /** How long a referral visit can attribute an order (and the affiliate cookie lives). */
    @WithDefault("P30D")
    Duration window();

    /** Which visit wins when several could attribute an order: last_click or first_click. */
    @WithDefault("last_click")
    String attribution();

    /** How long after the order is paid a commission stays pending (returns may still reverse it). */
    @WithDefault("P30D")
    Duration returnWindow();

    /** How long a visit's IP address and user agent are kept once it can no longer attribute an order. */
    @WithDefault("P30D")
    Duration visitRetention();

    /**
     * How long commissions, payouts and the attributed orders they rest on are kept for accounting (and
     * an affiliate who left, counted from their last commission); then the retention purge removes them.
     */
    @WithDefault("P7Y")
    java.time.Period accountingRetention();

    /** Commission rate of newly approved affiliates, in basis points (1000 = 10%). */
    @WithDefault("1000")
    int defaultRateBp();

    /** The affiliate terms version an application must accept. */
    @WithDefault("2026-01")
    String termsVersion();

    /** Origins /r/{code} may redirect to; the first is where plain paths go. Never anything else (no open redirect). */
    @WithDefault("http://localhost:3000")
    List<String> storefrontOrigins();

    /** Visits recorded per client address and code in a window. */
    @WithDefault("30")
    int visitsPerClient();

    /** The window visits per client are counted in. */
    @WithDefault("PT10M")
    Duration visitWindow();

    /** Case-insensitive fragments of user agents recorded as bots (stored, never counted or attributed). */
    @WithDefault("bot,crawler,spider,slurp,facebookexternalhit,linkpreview")
    List<String> botUserAgents();
}
