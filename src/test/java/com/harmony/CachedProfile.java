package com.harmony;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The per-instance caches on, with a TTL long enough (3 s) that a change seen sooner can only have come
 * through this instance's own invalidation or a PostgreSQL notification. One profile for every cache
 * test, so Quarkus starts once for all of them.
 */
public class CachedProfile implements QuarkusTestProfile {

    public static final java.time.Duration TTL = java.time.Duration.ofSeconds(3);

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("harmony.catalog.cache-ttl", "PT3S", "harmony.account.cache-ttl", "PT3S");
    }
}
