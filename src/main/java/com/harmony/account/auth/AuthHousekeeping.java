package com.harmony.account.auth;

import com.harmony.account.AccountService;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;

/**
 * Start-up upkeep of sign-in data: the bootstrap admin. Ended sessions and expired emailed links are
 * purged by the central retention run (AccountPersonalData.purge).
 */
@ApplicationScoped
public class AuthHousekeeping {

    private final AccountService accounts;
    private final Optional<String> adminEmail;
    private final Optional<String> adminPassword;

    AuthHousekeeping(AccountService accounts, AuthConfig config) {
        Optional<String> adminEmail = config.bootstrap().adminEmail();
        Optional<String> adminPassword = config.bootstrap().adminPassword();
        this.accounts = accounts;
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
}
