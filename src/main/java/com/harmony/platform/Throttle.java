package com.harmony.platform;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Counts failures per key in fixed time windows, in PostgreSQL (shared by every instance, nothing in
 * JVM memory). Keys are stored as SHA-256 digests, so what is throttled (an order number) is not kept.
 */
@ApplicationScoped
public class Throttle {

    private static final String WINDOW = "to_timestamp(floor(extract(epoch from now()) / $2) * $2)";
    private static final String FAILURES = "select coalesce(sum(failures), 0) as n from throttle where key = $1 and window_start = " + WINDOW;
    private static final String RECORD = "insert into throttle (key, window_start, failures) values ($1, " + WINDOW + ", 1) "
            + "on conflict (key, window_start) do update set failures = throttle.failures + 1";
    private static final String PURGE = "delete from throttle where window_start < now() - interval '1 day'";

    private final Pool pool;

    Throttle(Pool pool) {
        this.pool = pool;
    }

    /** Fails with 429 (and Retry-After) when key already has maxFailures in the current window. */
    public Uni<Void> check(String key, int maxFailures, Duration window) {
        return pool.preparedQuery(FAILURES).execute(Tuple.of(digest(key), (double) window.toSeconds()))
                .invoke(rows -> {
                    if (rows.iterator().next().getLong("n") >= maxFailures) {
                        throw new ProblemException(ProblemType.RATE_LIMITED, "Too many failed attempts; try again later.",
                                java.util.List.of(), java.util.Map.of("Retry-After", String.valueOf(window.toSeconds())));
                    }
                }).replaceWithVoid();
    }

    public Uni<Void> recordFailure(String key, Duration window) {
        return pool.preparedQuery(RECORD).execute(Tuple.of(digest(key), (double) window.toSeconds())).replaceWithVoid();
    }

    /** Old windows go on a schedule, not on each failure; one DELETE, safe on every instance. */
    @io.quarkus.scheduler.Scheduled(every = "1h", delayed = "1m", concurrentExecution = io.quarkus.scheduler.Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purge() {
        return pool.query(PURGE).execute().replaceWithVoid();
    }

    private static String digest(String key) {
        return HexFormat.of().formatHex(Hashes.sha256(key));
    }
}
