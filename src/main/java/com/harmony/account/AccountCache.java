package com.harmony.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.harmony.platform.AccountChanged;
import com.harmony.platform.ETags;
import com.harmony.platform.PgChannels;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.pgclient.pubsub.PgSubscriber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Live sessions and rendered {@code /v1/me} views, kept in this instance's memory for at most
 * {@code harmony.account.cache-ttl}, so an authenticated read need not cost a round trip per request.
 *
 * <p>Sign-out and every other change are still seen everywhere: this instance drops what it changes
 * at once, and triggers on auth_session, account and consent_event NOTIFY every instance when any
 * transaction commits (V31), whichever code path made the change. The TTL bounds staleness when a
 * notification is lost; the listener clears everything whenever it (re)connects or drops.
 */
@ApplicationScoped
public class AccountCache {

    static final String SESSIONS = "session_ended";
    static final String ACCOUNTS = "account_changed";
    private static final Logger LOG = Logger.getLogger(AccountCache.class);

    /** A live session: whose it is and until when. */
    public record Live(UUID accountId, OffsetDateTime expiresAt) {
    }

    /** A rendered view and its ETag. */
    public record View(String body, String etag) {
    }

    private final Cache<UUID, Live> sessions;
    private final Cache<UUID, View> views;
    /** Bumped on every invalidation: a read that started before it must not store what it read. */
    private final AtomicLong generation = new AtomicLong();
    private final Vertx vertx;
    private PgSubscriber subscriber;

    AccountCache(AccountConfig config, Vertx vertx) {
        this.vertx = vertx;
        boolean on = !config.cacheTtl().isZero();
        this.sessions = on ? Caffeine.newBuilder().expireAfterWrite(config.cacheTtl()).maximumSize(config.cacheMaxEntries()).build() : null;
        this.views = on ? Caffeine.newBuilder().expireAfterWrite(config.cacheTtl()).maximumSize(config.cacheMaxEntries()).build() : null;
    }

    void listen(@Observes StartupEvent start) {
        if (sessions == null) {
            return;
        }
        subscriber = PgChannels.subscriber(vertx).orElse(null);
        if (subscriber == null) {
            return;
        }
        subscriber.channel(SESSIONS).subscribeHandler(v -> clear()).handler(id -> parse(id, this::sessionEnded));
        subscriber.channel(ACCOUNTS).subscribeHandler(v -> clear()).handler(id -> parse(id, this::accountChanged));
        subscriber.closeHandler(v -> clear());
        subscriber.connect().onFailure(e -> LOG.warnf("Account cache: cannot LISTEN yet (%s); entries expire after their TTL", e.getMessage()));
    }

    void stop(@Observes ShutdownEvent stop) {
        if (subscriber != null) {
            subscriber.close();
        }
    }

    /** Another feature changed what an account's view shows (its consents), on this instance. */
    void on(@Observes AccountChanged changed) {
        accountChanged(changed.accountId());
    }

    /** The live session, or what the loader reads (null: not live). */
    public Uni<Live> session(UUID sessionId, Supplier<Uni<Live>> loader) {
        if (sessions == null) {
            return loader.get();
        }
        Live hit = sessions.getIfPresent(sessionId);
        if (hit != null && hit.expiresAt().isAfter(OffsetDateTime.now())) {
            return Uni.createFrom().item(hit);
        }
        long seen = generation.get();
        return loader.get().invoke(live -> {
            if (live != null && generation.get() == seen) {
                sessions.put(sessionId, live);
            }
        });
    }

    /** The account's rendered view, or what the loader renders. */
    public Uni<View> view(UUID accountId, Supplier<Uni<String>> loader) {
        if (views == null) {
            return loader.get().map(body -> new View(body, ETags.of(body)));
        }
        View hit = views.getIfPresent(accountId);
        if (hit != null) {
            return Uni.createFrom().item(hit);
        }
        long seen = generation.get();
        return loader.get().map(body -> {
            View view = new View(body, ETags.of(body));
            if (generation.get() == seen) {
                views.put(accountId, view);
            }
            return view;
        });
    }

    public void sessionEnded(UUID sessionId) {
        generation.incrementAndGet();
        if (sessions != null) {
            sessions.invalidate(sessionId);
        }
    }

    /** The account's view and, since its sessions may have been ended with it (password, email, erasure), its sessions. */
    public void accountChanged(UUID accountId) {
        generation.incrementAndGet();
        if (views != null) {
            views.invalidate(accountId);
            sessions.asMap().values().removeIf(live -> live.accountId().equals(accountId));
        }
    }

    private void clear() {
        generation.incrementAndGet();
        if (views != null) {
            views.invalidateAll();
            sessions.invalidateAll();
        }
    }

    private static void parse(String payload, java.util.function.Consumer<UUID> then) {
        try {
            then.accept(UUID.fromString(payload));
        } catch (IllegalArgumentException e) {
            LOG.debugf("Account cache: ignored notification %s", payload);
        }
    }
}
