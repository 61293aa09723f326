package com.harmony.platform;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while PostgreSQL accepts a new connection and answers on it. Quarkus's own check (excluded for the
 * primary datasource) asked the pool, and with every pooled connection busy under a burst it waited
 * DB_POOL_WAIT and said DOWN: the load balancer then took a busy instance out and moved its load onto the
 * others. A fresh connection per probe also never meets one that a PostgreSQL restart killed.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements AsyncHealthCheck {

    private static final String NAME = "PostgreSQL connection";
    /** Within the manifest's probe timeout (3 s); the connect gives up first. */
    private static final Duration TIMEOUT = Duration.ofMillis(2_500);

    private final Vertx vertx;
    private final Pool pool;
    private final Optional<PgConnectOptions> options;

    DatabaseReadiness(Vertx vertx, Pool pool) {
        this.vertx = vertx;
        this.pool = pool;
        this.options = PgChannels.connectOptions("readiness").map(o -> o.setConnectTimeout(2_000));
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        // no URL of our own (Dev Services fills the pool's): the pool's answer, as Quarkus's check gave it
        Uni<?> answer = options.isPresent()
                ? PgConnection.connect(vertx, options.get()).chain(conn -> conn.query("select 1").execute().onTermination().call(conn::close))
                : pool.query("select 1").execute();
        return answer.ifNoItem().after(TIMEOUT).fail()
                .map(ok -> HealthCheckResponse.up(NAME))
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named(NAME).down().withData("error", e.getClass().getSimpleName()).build());
    }
}
