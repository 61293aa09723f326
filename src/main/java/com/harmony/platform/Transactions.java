package com.harmony.platform;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import java.util.function.Function;

/**
 * {@code Pool.withTransaction} without the wait after BEGIN, for the hot write paths (checkout, cart
 * changes). The client queues a connection's commands behind its transaction's BEGIN without waiting
 * for the answer, so BEGIN and the work's first statements go out together: one round trip fewer per
 * transaction. As with {@code withTransaction}: commit when the work succeeds, roll back and fail with
 * the work's own failure when it fails. A connection lost on the COMMIT itself fails with {@link CommitOutcomeUnknown}.
 */
public final class Transactions {

    private Transactions() {
    }

    private record Done<T>(Transaction tx, T result) {
    }

    /**
     * The connection broke once COMMIT had gone out: the transaction may have committed, and only the database can
     * tell (what a caller with effects outside it, money held on a card, must ask before undoing them). Any other
     * failure of {@link #run} did not commit. The cause stays the database's, so it still answers 503.
     */
    public static final class CommitOutcomeUnknown extends RuntimeException {
        CommitOutcomeUnknown(Throwable cause) {
            super("The connection broke before PostgreSQL answered COMMIT", cause, false, false);
        }
    }

    public static <T> Uni<T> run(Pool pool, Function<SqlConnection, Uni<T>> work) {
        return pool.withConnection(conn -> Uni.combine().all()
                .unis(conn.begin(), Uni.createFrom().deferred(() -> work.apply(conn)))
                .with((Transaction tx, T result) -> new Done<>(tx, result))
                .onItemOrFailure().transformToUni((done, failure) -> failure == null
                        ? done.tx().commit().onFailure(ProblemMapper::databaseUnavailable).transform(CommitOutcomeUnknown::new)
                                .replaceWith(done.result())
                        : rollback(conn).chain(() -> Uni.createFrom().<T>failure(failure))));
    }

    /** The work failed, possibly before BEGIN was answered: the client sends ROLLBACK after what is in flight. */
    private static Uni<Void> rollback(SqlConnection conn) {
        Transaction tx = conn.transaction();
        return tx == null ? Uni.createFrom().voidItem() : tx.rollback().onFailure().recoverWithNull();
    }
}
