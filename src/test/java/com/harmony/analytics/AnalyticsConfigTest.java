package com.harmony.analytics;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A prefix or limit out of range stops the start with the setting's name (P21: how much of an address is kept). */
class AnalyticsConfigTest {

    private static AnalyticsConfig config(int ipv4Prefix, int ipv6Prefix, int viewsPerMinute) {
        return new AnalyticsConfig() {
            public Duration retention() {
                return Duration.ofDays(90);
            }

            public int ipv4Prefix() {
                return ipv4Prefix;
            }

            public int ipv6Prefix() {
                return ipv6Prefix;
            }

            public int viewsPerMinute() {
                return viewsPerMinute;
            }
        };
    }

    @Test
    void P21_theDefaultsAndTheEdgesOfEachRangeAreAccepted() {
        assertDoesNotThrow(() -> AnalyticsConfig.check(config(24, 48, 120)));
        assertDoesNotThrow(() -> AnalyticsConfig.check(config(0, 0, 1)));
        assertDoesNotThrow(() -> AnalyticsConfig.check(config(32, 128, Integer.MAX_VALUE)));
    }

    @Test
    void P21_aPrefixLongerThanTheAddressOrALimitBelowOneIsRefusedByName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AnalyticsConfig.check(config(33, 48, 120)))
                .getMessage().startsWith("harmony.analytics.ipv4-prefix is 33"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AnalyticsConfig.check(config(24, 129, 120)))
                .getMessage().startsWith("harmony.analytics.ipv6-prefix is 129"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AnalyticsConfig.check(config(-1, 48, 120)))
                .getMessage().startsWith("harmony.analytics.ipv4-prefix is -1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AnalyticsConfig.check(config(24, 48, 0)))
                .getMessage().startsWith("harmony.analytics.views-per-minute is 0"));
    }
}
