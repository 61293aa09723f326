package com.harmony.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A backlog of events (a checkout load writes four per order) drains in one poll rather than one batch
 * per poll interval, and workers that drain side by side (two instances) still publish each event once.
 */
@QuarkusTest
class OutboxDrainTest {

    @Inject
    Pool pool;

    @Inject
    Outbox outbox;

    @Inject
    OutboxWorker worker;

    private List<UUID> backlog(int events) {
        List<UUID> aggregates = IntStream.range(0, events).mapToObj(i -> UUID.randomUUID()).toList();
        List<JsonObject> payloads = IntStream.range(0, events).mapToObj(i -> new JsonObject().put("n", i)).toList();
        pool.withTransaction(conn -> outbox.appendAll(conn, TestOutboxPublisher.COUNTED, aggregates, payloads))
                .await().atMost(Duration.ofSeconds(10));
        return pool.preparedQuery("select id from outbox where aggregate_id = any($1)")
                .execute(Tuple.of(aggregates.toArray(UUID[]::new))).await().atMost(Duration.ofSeconds(10))
                .stream().map(r -> r.getUUID("id")).toList();
    }

    private long stillPending(List<UUID> ids) {
        return pool.preparedQuery("select count(*) as n from outbox where id = any($1) and status = 'pending'")
                .execute(Tuple.of(ids.toArray(UUID[]::new))).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong("n");
    }

    @Test
    void aBacklogOfManyBatchesIsPublishedByOnePoll() {
        List<UUID> ids = backlog(450); // more than two rounds of 200

        worker.drainDue().await().atMost(Duration.ofSeconds(60));

        assertEquals(0, stillPending(ids), "every event of the backlog is published");
        ids.forEach(id -> assertEquals(1, TestOutboxPublisher.PUBLISHED.get(id).get(), "published once: " + id));
    }

    @Test
    void aLeaseReadsItsBatchOffTheDueIndex_evenWhenThePlannersCostsFavourSortingTheQueue() {
        List<UUID> ids = backlog(300);

        // A queue's statistics are stale by nature (taken when it was empty, they make the ordered index scan look
        // dear); a high random_page_cost tilts the costs the same way, every time. The connection's cached plans go
        // first, so the lease is planned under it; the rows it fetches through the index are counted within its
        // transaction.
        long[] seen = pool.withTransaction(conn -> conn.query("discard plans").execute()
                .chain(() -> conn.query("set local random_page_cost = 1000").execute())
                .chain(() -> conn.query("select count(*) as n from outbox where status = 'pending' and next_attempt_at <= now()").execute())
                .chain(due -> fetchedThroughIndex(conn, "outbox_due")
                        .chain(before -> conn.preparedQuery(OutboxWorker.CLAIM).execute(Tuple.of(10, 1L))
                                .chain(leased -> fetchedThroughIndex(conn, "outbox_due")
                                        .map(after -> new long[] {due.iterator().next().getLong("n"), leased.size(), after - before})))))
                .await().atMost(Duration.ofSeconds(10));

        assertEquals(10, seen[1]);
        // a scan of the whole queue and a sort read every pending row, none through this index; the ordered scan stops
        // at the tenth (this backlog is the newest, so most of it is never read)
        assertTrue(seen[2] >= 10 && seen[2] <= seen[0] - 290, "the lease of 10 fetched " + seen[2] + " of " + seen[0] + " due rows through the due index");
        worker.drainDue().await().atMost(Duration.ofSeconds(60));
        assertEquals(0, stillPending(ids));
    }

    /** Live rows this transaction fetched through the index so far (simple index scans only, not bitmap scans). */
    private static Uni<Long> fetchedThroughIndex(io.vertx.mutiny.sqlclient.SqlConnection conn, String index) {
        return conn.preparedQuery("select pg_stat_get_xact_tuples_fetched($1::regclass) as n").execute(Tuple.of(index))
                .map(rows -> rows.iterator().next().getLong("n"));
    }

    @Test
    void eachAggregatesEventsGoOutInTheOrderTheyWereWritten() {
        List<UUID> aggregates = IntStream.range(0, 6).mapToObj(i -> UUID.randomUUID()).toList();
        for (int n = 0; n < 40; n++) { // one transaction per event, so each has its own created_at; 240 events, more than a round
            for (UUID a : aggregates) {
                int step = n;
                pool.withTransaction(conn -> outbox.append(conn, TestOutboxPublisher.COUNTED, a,
                        new JsonObject().put("aggregate", a.toString()).put("step", step))).await().atMost(Duration.ofSeconds(10));
            }
        }

        worker.drainDue().await().atMost(Duration.ofSeconds(60));

        for (UUID a : aggregates) {
            List<Integer> steps = TestOutboxPublisher.SEQUENCE.stream().filter(p -> a.toString().equals(p.getString("aggregate")))
                    .map(p -> p.getInteger("step")).toList();
            assertEquals(IntStream.range(0, 40).boxed().toList(), steps, "aggregate " + a);
        }
    }

    @Test
    void twoWorkersDrainingTogetherPublishEachEventOnce() {
        List<UUID> ids = backlog(600);

        Uni.join().all(worker.drainDue(), worker.drainDue()).andFailFast().await().atMost(Duration.ofSeconds(60));

        assertEquals(0, stillPending(ids));
        ids.forEach(id -> assertEquals(1, TestOutboxPublisher.PUBLISHED.get(id).get(), "published once: " + id));
    }
}
