package com.harmony.platform;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.regex.Pattern;

/**
 * Keeps the HTTP metrics' uri tag bounded: requests refused before a route template matched would
 * otherwise be tagged with their raw path, and a caller sending random paths could exhaust the tag
 * limit and blind the metrics for real routes.
 */
public class MetricsCardinality {

    private static final Pattern STATIC_PATH = Pattern.compile("^/(v1|q)(/[a-z-]+)*$");

    @Produces
    @Singleton
    MeterFilter boundedUris() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                String uri = id.getTag("uri");
                if (!id.getName().startsWith("http.server") || uri == null || uri.contains("{") || STATIC_PATH.matcher(uri).matches()) {
                    return id;
                }
                return id.replaceTags(id.getTagsAsIterable()).withTag(Tag.of("uri", "UNMATCHED"));
            }
        };
    }
}
