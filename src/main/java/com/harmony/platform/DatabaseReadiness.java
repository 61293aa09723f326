package com.harmony.platform;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while PostgreSQL accepts a new connection and answers on it. Quarkus's own checks (excluded for both
 * datasources) asked the pools, and with every pooled connection busy under a burst the pool's waited
 * DB_POOL_WAIT and said DOWN: the load balancer then took a busy instance out and moved its load onto the
 * others. A fresh connection per probe also never meets one that a PostgreSQL restart killed.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements AsyncHealthCheck {

    private static final String NAME = "PostgreSQL connection";
    /** Within the manifest's probe timeout (3 s). */
    private static final Duration TIMEOUT = Duration.ofMillis(2_500);
    /** too_many_connections: the server is up and its slots are taken, by the pools among others, which still serve. */
    private static final String TOO_MANY_CONNECTIONS = "53300";

    private final Vertx vertx;
    private final Pool pool;
    private final Optional<PgConnectOptions> options;

    DatabaseReadiness(Vertx vertx, Pool pool) {
        this.vertx = vertx;
        this.pool = pool;
        this.options = PgChannels.connectOptions("readiness").map(o -> o.setConnectTimeout((int) TIMEOUT.toMillis()));
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        // no URL of our own (Dev Services fills the pool's): the pool's answer, as Quarkus's check gave it
        Uni<Void> answer = options.isPresent() ? fresh(options.get())
                : pool.query("select 1").execute().replaceWithVoid().ifNoItem().after(TIMEOUT).fail();
        return answer.map(ok -> HealthCheckResponse.up(NAME)).onFailure().recoverWithItem(e -> e instanceof PgException pg
                && TOO_MANY_CONNECTIONS.equals(pg.getSqlState())
                        ? HealthCheckResponse.named(NAME).up().withData("note", "no free connection slot; the pools keep theirs").build()
                        : HealthCheckResponse.named(NAME).down().withData("error", e.getClass().getSimpleName()).build());
    }

    /** A connection of its own, closed whatever happens: also when it comes, or answers, after the probe gave up. */
    private Uni<Void> fresh(PgConnectOptions o) {
        return Uni.createFrom().emitter(em -> {
            AtomicBoolean over = new AtomicBoolean();
            AtomicReference<PgConnection> open = new AtomicReference<>();
            long timer = vertx.setTimer(TIMEOUT.toMillis(), t -> {
                if (over.compareAndSet(false, true)) {
                    PgConnection conn = open.getAndSet(null);
                    if (conn != null) {
                        conn.close();
                    }
                    em.fail(new TimeoutException("PostgreSQL did not answer within " + TIMEOUT.toMillis() + " ms"));
                }
            });
            PgConnection.connect(vertx, o).onComplete(connected -> {
                if (connected.failed()) {
                    finish(over, timer, em, connected.cause());
                    return;
                }
                PgConnection conn = connected.result();
                open.set(conn);
                if (over.get() && open.compareAndSet(conn, null)) { // the probe gave up first
                    conn.close();
                    return;
                }
                conn.query("select 1").execute().onComplete(answered -> {
                    if (open.compareAndSet(conn, null)) {
                        conn.close();
                    }
                    finish(over, timer, em, answered.failed() ? answered.cause() : null);
                });
            });
        });
    }

    private void finish(AtomicBoolean over, long timer, UniEmitter<? super Void> em, Throwable failure) {
        if (over.compareAndSet(false, true)) {
            vertx.cancelTimer(timer);
            if (failure == null) {
                em.complete(null);
            } else {
                em.fail(failure);
            }
        }
    }
}
