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
        long before = dueIndexEntriesRead();

        // a queue's statistics are stale by nature (taken when it was empty, they make the ordered index scan look
        // dear); a high random_page_cost tilts the costs the same way, every time
        int leased = pool.withTransaction(conn -> conn.query("set local random_page_cost = 1000").execute()
                .chain(() -> conn.preparedQuery(OutboxWorker.CLAIM).execute(Tuple.of(10, 1L))))
                .await().atMost(Duration.ofSeconds(10)).size();

        assertEquals(10, leased);
        long read = awaitDueIndexReadsAfter(before) - before;
        // a scan of the whole queue and a sort read every pending row (300 and more) to lease 10, none of them off this index
        assertTrue(read >= 10 && read < 100, "the lease of 10 read " + read + " entries of the due index");
        worker.drainDue().await().atMost(Duration.ofSeconds(60));
        assertEquals(0, stillPending(ids));
    }

    private long dueIndexEntriesRead() {
        return pool.query("select coalesce(sum(idx_tup_read), 0) as n from pg_stat_user_indexes where indexrelname = 'outbox_due'")
                .execute().await().atMost(Duration.ofSeconds(10)).iterator().next().getLong("n");
    }

    /** A connection reports its index reads when it goes idle, within a second or so (PostgreSQL 13 and later). */
    private long awaitDueIndexReadsAfter(long before) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        long now;
        while ((now = dueIndexEntriesRead()) == before && System.nanoTime() < deadline) {
            Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(200)).await().indefinitely();
        }
        return now;
    }

    @Test
    void eachAggregatesEventsGoOutInTheOrderTheyWereWritten() {
        List<UUID> aggregates = IntStream.range(0, 6).mapToObj(i -> UUID.randomUUID()).toList();
        for (int n = 0; n < 15; n++) { // one transaction per event, so each has its own created_at
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
            assertEquals(IntStream.range(0, 15).boxed().toList(), steps, "aggregate " + a);
        }
    }

    @Test
    void twoWorkersDrainingTogetherPublishEachEventOnce() {
        List<UUID> ids = backlog(240);

        Uni.join().all(worker.drainDue(), worker.drainDue()).andFailFast().await().atMost(Duration.ofSeconds(60));

        assertEquals(0, stillPending(ids));
        ids.forEach(id -> assertEquals(1, TestOutboxPublisher.PUBLISHED.get(id).get(), "published once: " + id));
    }
}
