package com.harmony.platform;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.UUID;

/** A variant's row locked by an open transaction of the test's own, standing in for a slow or busy database. */
final class RowLock implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final SqlConnection conn;
    private final Transaction tx;

    RowLock(Pool pool, String variantId) {
        conn = pool.getConnection().await().atMost(WAIT);
        tx = conn.begin().await().atMost(WAIT);
        conn.preparedQuery("select 1 from catalog_variant where id = $1 for update").execute(Tuple.of(UUID.fromString(variantId)))
                .await().atMost(WAIT);
    }

    /** Rolls back, which releases the lock, and gives the connection back. */
    @Override
    public void close() {
        tx.rollback().await().atMost(WAIT);
        conn.close().await().atMost(WAIT);
    }
}
