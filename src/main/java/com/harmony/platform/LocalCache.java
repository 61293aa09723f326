package com.harmony.platform;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One instance's short-lived copies of what the database says (rendered catalog pages, live sessions),
 * for a feature that invalidates them when PostgreSQL NOTIFYs a change. A read that began before an
 * invalidation never stores what it read, so a change can never be overwritten by an older copy. A
 * zero TTL turns it off: every read goes to the loader.
 *
 * <p>Concurrent misses of one key share one load. At tens of thousands of reads a second, an entry's
 * expiry otherwise sent every reader of that moment to the database at once, and the queue they made
 * for the pool's connections put a few hundred milliseconds into the p99 of reads that are usually served
 * in one. A read that starts after an invalidation never joins a load that began before it.
 */
public final class LocalCache<K, V> {

    /** A rendered JSON body and its ETag, computed once. */
    public record Tagged(String body, String etag) {
        public static Tagged of(String body) {
            return new Tagged(body, ETags.of(body));
        }
    }

    private final Cache<K, V> entries;
    /** Bumped on every invalidation. */
    private final AtomicLong generation = new AtomicLong();
    /** The load in flight for each key, shared by the misses that arrive while it runs. */
    private final Map<K, Uni<V>> loading = new ConcurrentHashMap<>();

    private LocalCache(Cache<K, V> entries) {
        this.entries = entries;
    }

    /** At most maxEntries entries, each for ttl. */
    public static <K, V> LocalCache<K, V> bySize(Duration ttl, long maxEntries) {
        return new LocalCache<>(ttl.isZero() ? null : Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maxEntries).<K, V>build());
    }

    /** Rendered bodies, bounded by their characters (every distinct query is an entry, so the bound is on size). */
    public static <K extends CharSequence> LocalCache<K, Tagged> byChars(Duration ttl, long maxChars) {
        return new LocalCache<>(ttl.isZero() ? null : Caffeine.newBuilder().expireAfterWrite(ttl).maximumWeight(maxChars)
                .weigher((K key, Tagged t) -> key.length() + t.body().length()).<K, Tagged>build());
    }

    public boolean enabled() {
        return entries != null;
    }

    /** The entry under this key, if one is held. */
    public V peek(K key) {
        return entries == null ? null : entries.getIfPresent(key);
    }

    /** The held entry, or what the loader answers (held unless something was invalidated meanwhile; null is never held). */
    public Uni<V> get(K key, Supplier<Uni<V>> loader) {
        V hit = peek(key);
        return hit != null ? Uni.createFrom().item(hit) : load(key, loader);
    }

    /** What the loader answers, held as {@link #get} would; a load of this key already running is joined instead. */
    public Uni<V> load(K key, Supplier<Uni<V>> loader) {
        if (entries == null) {
            return loader.get();
        }
        // the shared load finishes on the context of the read that started it; every other read goes on on its own
        return Uni.createFrom().deferred(() -> VertxContexts.emitOnCurrent(loading.computeIfAbsent(key, k -> shared(k, loader))));
    }

    private Uni<V> shared(K key, Supplier<Uni<V>> loader) {
        long seen = generation.get();
        AtomicReference<Uni<V>> self = new AtomicReference<>();
        Uni<V> load = Uni.createFrom().<V>deferred(loader::get).invoke(value -> {
            if (value != null && generation.get() == seen) {
                entries.put(key, value);
            }
        }).eventually(() -> loading.remove(key, self.get())).memoize().indefinitely();
        self.set(load);
        return load;
    }

    public void invalidate(K key) {
        generation.incrementAndGet();
        if (entries != null) {
            loading.remove(key);
            entries.invalidate(key);
        }
    }

    public void invalidateIf(Predicate<V> stale) {
        generation.incrementAndGet();
        if (entries != null) {
            loading.clear();
            entries.asMap().values().removeIf(stale);
        }
    }

    public void invalidateAll() {
        generation.incrementAndGet();
        if (entries != null) {
            loading.clear();
            entries.invalidateAll();
        }
    }
}
