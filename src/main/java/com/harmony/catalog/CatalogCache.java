package com.harmony.catalog;

import com.harmony.platform.LocalCache;
import com.harmony.platform.PgChannels;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Rendered catalog reads (a product, a page of products) with their ETags, kept in this instance's memory
 * so most reads cost no database round trip. Every instance LISTENs on one PostgreSQL channel; staff writes
 * NOTIFY it in their transaction, so the change reaches every instance when it commits. Entries also expire
 * after {@code harmony.catalog.cache-ttl}, which bounds staleness if a notification is lost (the listener
 * reconnects and clears everything) and for stock levels moved by orders, which do not notify: carts and
 * checkout always read stock from the database, so nothing is ever sold from a cached figure.
 */
@ApplicationScoped
public class CatalogCache {

    static final String CHANNEL = "catalog_changed";
    private static final Logger LOG = Logger.getLogger(CatalogCache.class);

    private final LocalCache<String, LocalCache.Tagged> entries;
    private final Vertx vertx;
    private PgSubscriber subscriber;

    CatalogCache(CatalogConfig config, Vertx vertx) {
        this.vertx = vertx;
        this.entries = LocalCache.byChars(config.cacheTtl(), config.cacheMaxChars());
    }

    void listen(@Observes StartupEvent start) {
        if (!entries.enabled()) {
            return;
        }
        subscriber = PgChannels.subscriber(vertx, "catalog").orElse(null);
        if (subscriber == null) {
            return;
        }
        subscriber.channel(CHANNEL).subscribeHandler(v -> invalidateAll()) // (re)connected: anything may have changed meanwhile
                .handler(payload -> invalidateAll());
        subscriber.closeHandler(v -> invalidateAll());
        subscriber.connect().onFailure(e -> LOG.warnf("Catalog cache: cannot LISTEN yet (%s); entries expire after their TTL", e.getMessage()));
    }

    void stop(@Observes ShutdownEvent stop) {
        if (subscriber != null) {
            subscriber.close();
        }
    }

    /** The cached rendering under this key, or what the loader renders (kept unless the catalog changed meanwhile). */
    public Uni<LocalCache.Tagged> get(String key, Supplier<Uni<String>> loader) {
        return entries.get(key, () -> loader.get().map(LocalCache.Tagged::of));
    }

    /** Drops every entry of this instance; other instances hear of the change through NOTIFY. */
    public void invalidateAll() {
        entries.invalidateAll();
    }

    /** Tells every instance, when the caller's transaction commits, that the catalog changed. */
    Uni<Void> announce(SqlConnection conn) {
        return conn.query("select pg_notify('" + CHANNEL + "', '')").execute().replaceWithVoid();
    }
}
