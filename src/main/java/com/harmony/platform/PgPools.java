package com.harmony.platform;

import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnectOptions;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates the PostgreSQL pools as Quarkus would, but with every statement of ours kept prepared on its
 * connection. The client caches a prepared statement only up to 2,048 characters of SQL by default;
 * longer ones (the order document, the affiliate dashboard) went out unnamed and PostgreSQL parsed and
 * planned them again at every execution, checkout's answer among them.
 */
public class PgPools {

    /** Longer than any statement of ours; the cache still holds at most 256 statements a connection (LRU). */
    static final int CACHED_SQL_LIMIT = 16_384;

    @Produces
    @Singleton
    PgPoolCreator primary() {
        return PgPools::create;
    }

    @Produces
    @Singleton
    @ReactiveDataSource("catalog-replica") // the catalog's read replica (CatalogReads)
    PgPoolCreator catalogReplica() {
        return PgPools::create;
    }

    private static java.time.Duration poolWait() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("harmony.db.pool-wait", java.time.Duration.class).orElse(java.time.Duration.ofSeconds(5));
    }

    private static Pool create(PgPoolCreator.Input input) {
        List<SqlConnectOptions> servers = new ArrayList<>();
        for (PgConnectOptions options : input.pgConnectOptionsList()) {
            servers.add(options.setPreparedStatementCacheSqlLimit(CACHED_SQL_LIMIT));
        }
        // a request waits at most DB_POOL_WAIT for a connection, then answers 503 (ProblemMapper), instead of the
        // client's 30 s, which let the HTTP idle timeout close the client's connection first
        PoolOptions pool = input.poolOptions().setConnectionTimeout((int) Math.max(1, poolWait().toMillis()))
                .setConnectionTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS);
        return PgBuilder.pool().with(pool).connectingTo(servers).using(input.vertx()).build();
    }
}
