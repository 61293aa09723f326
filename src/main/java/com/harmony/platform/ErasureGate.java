package com.harmony.platform;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * Keeps an erasure apart from the writes that would stop it (an order, a return, a legal hold), on every instance:
 * PostgreSQL advisory locks for the transaction, one per account and per email. Erasure takes them exclusively before
 * it looks for what stops it, so it waits for such writes in flight and then sees them; the writes take them shared
 * (they never wait for each other) and wait for an erasure under way, after which they find the person gone. Keys are
 * hashes: two people sharing one only wait for each other now and then.
 */
public final class ErasureGate {

    private static final int NAMESPACE = 0x45524153; // "ERAS"
    private static final String CLOSE = "select count(pg_advisory_xact_lock($1, k)) from (select distinct unnest($2::int[]) as k order by k) keys";
    private static final String PASS = "select pg_advisory_xact_lock_shared($1, $2)";

    private ErasureGate() {
    }

    public static int account(UUID accountId) {
        return Objects.hash("account", accountId.toString());
    }

    public static int email(String email) {
        return Objects.hash("email", email.strip().toLowerCase(Locale.ROOT));
    }

    /** Erasure's side: in key order, so two erasures sharing a key never wait for each other crosswise. */
    public static Uni<Void> close(SqlConnection conn, Collection<Integer> keys) {
        return keys.isEmpty() ? Uni.createFrom().voidItem()
                : conn.preparedQuery(CLOSE).execute(Tuple.of(NAMESPACE, keys.toArray(Integer[]::new))).replaceWithVoid();
    }

    /** A write's side: sent before the write's own statements, which then run after any erasure of that person has ended. */
    public static Uni<Void> pass(SqlConnection conn, int key) {
        return conn.preparedQuery(PASS).execute(Tuple.of(NAMESPACE, key)).replaceWithVoid();
    }
}
