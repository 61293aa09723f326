package com.harmony.platform;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/** A LISTEN connection to the service's database, for per-instance caches that other instances' commits invalidate. */
public final class PgChannels {

    private PgChannels() {
    }

    /**
     * A subscriber that reconnects every second while the database is away; empty when no reactive URL is
     * configured. Its connection's metrics are the client "listen-{purpose}": unnamed, they were counted as
     * the default datasource's ("&lt;default&gt;"), so its gauges mixed the pool with the listeners.
     */
    public static Optional<PgSubscriber> subscriber(Vertx vertx, String purpose) {
        return connectOptions("listen-" + purpose).map(options -> PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 1_000L));
    }

    /** The service's database as the primary pool reaches it, for a connection of its own; its metrics are the client {@code name}. */
    static Optional<PgConnectOptions> connectOptions(String name) {
        Optional<String> url = ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.reactive.url", String.class);
        if (url.isEmpty()) {
            return Optional.empty();
        }
        PgConnectOptions options = PgConnectOptions.fromUri(url.get().startsWith("vertx-reactive:") ? url.get().substring(15) : url.get());
        ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.username", String.class).ifPresent(options::setUser);
        ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.password", String.class).ifPresent(options::setPassword);
        return Optional.of(options.setMetricsName("postgresql|" + name));
    }
}
