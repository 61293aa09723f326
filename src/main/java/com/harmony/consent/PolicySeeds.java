package com.harmony.consent;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Dev mode starts with the retailer's privacy statement and cookie policy as version 1 of each (the
 * texts ship in src/main/resources/policies), so the API answers something real at once. Production
 * publishes its own through the admin API.
 */
@ApplicationScoped
class PolicySeeds {

    private static final String SEED = """
            insert into policy_document (kind, version, effective_at, body) values ($1, '1', now(), $2) on conflict do nothing""";

    void load(@Observes StartupEvent event, Pool pool) {
        if (LaunchMode.current() != LaunchMode.DEVELOPMENT) {
            return;
        }
        pool.preparedQuery(SEED).execute(Tuple.of(PolicyService.PRIVACY_STATEMENT, text("privacy-statement-v1.txt")))
                .chain(() -> pool.preparedQuery(SEED).execute(Tuple.of(PolicyService.COOKIE_POLICY, text("cookie-policy-v1.txt"))))
                .await().atMost(Duration.ofSeconds(30));
    }

    private static String text(String name) {
        try (InputStream in = PolicySeeds.class.getResourceAsStream("/policies/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
