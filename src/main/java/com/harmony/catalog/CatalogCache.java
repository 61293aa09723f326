package com.harmony.catalog;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.harmony.platform.ETags;
import com.harmony.platform.PgChannels;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicLong;
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

    /** A rendered body and its ETag, computed once. */
    public record Entry(String body, String etag) {
        static Entry of(String body) {
            return new Entry(body, ETags.of(body));
        }
    }

    private final Cache<String, Entry> entries;
    /** Bumped on every invalidation: a read that started before it must not store what it read. */
    private final AtomicLong generation = new AtomicLong();
    private final Vertx vertx;
    private PgSubscriber subscriber;

    CatalogCache(CatalogConfig config, Vertx vertx) {
        this.vertx = vertx;
        this.entries = config.cacheTtl().isZero() ? null
                : Caffeine.newBuilder().expireAfterWrite(config.cacheTtl()).maximumWeight(config.cacheMaxChars())
                        .weigher((String key, Entry e) -> key.length() + e.body().length()).build();
    }

    void listen(@Observes StartupEvent start) {
        if (entries == null) {
            return;
        }
        subscriber = PgChannels.subscriber(vertx).orElse(null);
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

    /** The cached entry under this key, or what the loader renders (stored unless the catalog changed meanwhile). */
    public Uni<Entry> get(String key, Supplier<Uni<String>> loader) {
        if (entries == null) {
            return loader.get().map(Entry::of);
        }
        Entry hit = entries.getIfPresent(key);
        if (hit != null) {
            return Uni.createFrom().item(hit);
        }
        long seen = generation.get();
        return loader.get().map(body -> {
            Entry entry = Entry.of(body);
            if (generation.get() == seen) {
                entries.put(key, entry);
            }
            return entry;
        });
    }

    /** Drops every entry of this instance; other instances hear of the change through NOTIFY. */
    public void invalidateAll() {
        generation.incrementAndGet();
        if (entries != null) {
            entries.invalidateAll();
        }
    }

    /** Tells every instance, when the caller's transaction commits, that the catalog changed. */
    Uni<Void> announce(SqlConnection conn) {
        return conn.query("select pg_notify('" + CHANNEL + "', '')").execute().replaceWithVoid();
    }
}
