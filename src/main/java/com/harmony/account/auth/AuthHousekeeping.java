package com.harmony.account.auth;

import com.harmony.account.AccountService;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Start-up and scheduled upkeep of sign-in data: the bootstrap admin, and the purge of ended sessions,
 * and used tokens (the platform Throttle purges its own counters). Each purge is one DELETE, safe when several instances run it.
 */
@ApplicationScoped
public class AuthHousekeeping {

    private static final Logger LOG = Logger.getLogger(AuthHousekeeping.class);

    private final AccountService accounts;
    private final EmailTokens emailTokens;
    private final Pool pool;
    private final Optional<String> adminEmail;
    private final Optional<String> adminPassword;

    AuthHousekeeping(AccountService accounts, EmailTokens emailTokens, Pool pool,
            AuthConfig config) {
        Optional<String> adminEmail = config.bootstrap().adminEmail();
        Optional<String> adminPassword = config.bootstrap().adminPassword();
        this.accounts = accounts;
        this.emailTokens = emailTokens;
        this.pool = pool;
        this.adminEmail = adminEmail;
        this.adminPassword = adminPassword;
    }

    void bootstrap(@Observes StartupEvent event) {
        if (adminEmail.isPresent() && adminPassword.isPresent()) {
            // runs on a Vert.x context: Hibernate Reactive needs one
            io.vertx.core.Vertx vertx = io.quarkus.arc.Arc.container().instance(io.vertx.core.Vertx.class).get();
            io.vertx.core.Context ctx = io.smallrye.common.vertx.VertxContext.getOrCreateDuplicatedContext(vertx);
            io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle.setContextSafe(ctx, true);
            java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
            ctx.runOnContext(v -> accounts.ensureAdmin(adminEmail.get(), adminPassword.get())
                    .subscribe().with(done::complete, done::completeExceptionally));
            done.join();
        }
    }

    @Scheduled(every = "${harmony.auth.purge-every:1h}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, delayed = "1m")
    Uni<Void> purge() {
        return emailTokens.purgeExpired()
                .chain(() -> pool.query("delete from auth_session where expires_at < now() - interval '1 day' or revoked_at < now() - interval '1 day'")
                        .execute())
                .invoke(rows -> LOG.debugf("Purged %d ended sessions", rows.rowCount()))
                .replaceWithVoid();
    }
}
