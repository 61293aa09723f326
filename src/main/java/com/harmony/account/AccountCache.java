package com.harmony.account;

import com.harmony.platform.AccountChanged;
import com.harmony.platform.LocalCache;
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

    private final LocalCache<UUID, Live> sessions;
    private final LocalCache<UUID, LocalCache.Tagged> views;
    private final Vertx vertx;
    private PgSubscriber subscriber;

    AccountCache(AccountConfig config, Vertx vertx) {
        this.vertx = vertx;
        this.sessions = LocalCache.bySize(config.cacheTtl(), config.cacheMaxEntries());
        this.views = LocalCache.bySize(config.cacheTtl(), config.cacheMaxEntries());
    }

    void listen(@Observes StartupEvent start) {
        if (!sessions.enabled()) {
            return;
        }
        subscriber = PgChannels.subscriber(vertx, "accounts").orElse(null);
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
        Live hit = sessions.peek(sessionId);
        return hit != null && hit.expiresAt().isAfter(OffsetDateTime.now()) ? Uni.createFrom().item(hit) : sessions.load(sessionId, loader);
    }

    /** The account's rendered view, or what the loader renders. */
    public Uni<LocalCache.Tagged> view(UUID accountId, Supplier<Uni<String>> loader) {
        return views.get(accountId, () -> loader.get().map(LocalCache.Tagged::of));
    }

    public void sessionEnded(UUID sessionId) {
        sessions.invalidate(sessionId);
    }

    /** The account's view and, since its sessions may have been ended with it (password, email, erasure), its sessions. */
    public void accountChanged(UUID accountId) {
        views.invalidate(accountId);
        sessions.invalidateIf(live -> live.accountId().equals(accountId));
    }

    private void clear() {
        views.invalidateAll();
        sessions.invalidateAll();
    }

    private static void parse(String payload, java.util.function.Consumer<UUID> then) {
        try {
            then.accept(UUID.fromString(payload));
        } catch (IllegalArgumentException e) {
            LOG.debugf("Account cache: ignored notification %s", payload);
        }
    }
}
