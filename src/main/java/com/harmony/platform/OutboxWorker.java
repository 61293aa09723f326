package com.harmony.platform;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Publishes due outbox events at least once. Each round leases a batch in one statement (FOR UPDATE
 * SKIP LOCKED, so instances never take the same rows; the lease pushes next_attempt_at ahead and
 * commits at once), then publishes them (each aggregate's in order, several aggregates at once), with
 * no transaction or row lock held while subscribers and the publisher talk to the outside world, marks
 * the published ones in one statement and schedules a retry with exponential backoff (capped at an
 * hour) for each failure. An instance that dies mid-round leaves its events pending: they are due again
 * when the lease runs out, published again, never lost. A poll runs rounds until one finds less than a
 * full batch due, so a backlog drains as fast as the subscribers go rather than one batch per poll
 * interval: under a checkout load (four events per order) one batch of 50 per 5 s fell hours behind.
 */
@ApplicationScoped
public class OutboxWorker {

    private static final Logger LOG = Logger.getLogger(OutboxWorker.class);

    /** The lease, in V50's function: an ordered read of the due index, whatever the queue's statistics say. */
    static final String CLAIM = "select id, aggregate_id, topic, payload, attempts, created_at from outbox_claim($1, $2)";
    private static final String PUBLISHED = """
            update outbox set status = 'published', published_at = now(), attempts = attempts + 1, last_error = null
            where id = any($1)""";
    private static final String RETRY = """
            update outbox set attempts = attempts + 1, last_error = $2,
                next_attempt_at = now() + least(power(2, attempts + 1), 3600) * interval '1 second'
            where id = $1""";

    private final Pool pool;
    private final OutboxPublisher publisher;
    private final Instance<OutboxSubscriber> subscribers;
    private final int batchSize;
    private final java.time.Duration lease;
    /**
     * Aggregates whose events one round publishes side by side: as many as the pool has connections. Each holds
     * at most one at a time and waits its turn behind the requests at every statement, so under load a round
     * lasts about as long as one aggregate's events take: with 8 at once a checkout load of 165 orders/s (four
     * events each) outran the publisher by 340 events a second; with 32 (the default pool) it kept up.
     */
    private final int aggregatesAtOnce;

    private final io.vertx.core.Vertx vertx;

    OutboxWorker(Pool pool, OutboxPublisher publisher, @Any Instance<OutboxSubscriber> subscribers,
            OutboxConfig config, io.vertx.core.Vertx vertx,
            @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.datasource.reactive.max-size", defaultValue = "20") int poolSize) {
        this.vertx = vertx;
        int batchSize = config.batchSize();
        this.pool = pool;
        this.publisher = publisher;
        this.subscribers = subscribers;
        this.batchSize = batchSize;
        this.lease = config.lease();
        this.aggregatesAtOnce = Math.max(1, poolSize);
    }

    @Scheduled(every = "${harmony.outbox.poll-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return ScheduledRounds.retriedNextRound("Outbox", drainDue());
    }

    /** Subscribers inside the service first (each does its work once per event id), then the outside world. */
    private Uni<Void> deliverInside(UUID eventId, String topic, JsonObject payload) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (OutboxSubscriber s : subscribers) {
            if (s.handles(topic)) {
                chain = chain.chain(() -> s.handle(eventId, topic, payload.copy()));
            }
        }
        return chain;
    }

    /** One round; answers how many events were published. */
    public Uni<Integer> publishDue() {
        return onFreshContext(() -> publishRound().map(ScheduledRounds.Round::done));
    }

    /** Rounds until one takes less than a full batch (or the budget is spent); answers how many events were published. */
    public Uni<Integer> drainDue() {
        return onFreshContext(() -> ScheduledRounds.drain(this::publishRound, batchSize));
    }

    /**
     * Runs on a fresh duplicated Vert.x context marked safe, whoever calls (the scheduler, a test
     * thread), so subscribers may use Hibernate Reactive sessions, which refuse to run anywhere else.
     */
    private <T> Uni<T> onFreshContext(java.util.function.Supplier<Uni<T>> work) {
        io.vertx.core.Context context = io.smallrye.common.vertx.VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle.setContextSafe(context, true);
        return Uni.createFrom().emitter(em -> context.runOnContext(x -> work.get().subscribe().with(em::complete, em::fail)));
    }

    private Uni<ScheduledRounds.Round> publishRound() {
        return pool.preparedQuery(CLAIM).execute(Tuple.of(batchSize, lease.toMillis()))
                .chain(rows -> {
                    // no event starts after half the lease: the rest of its aggregate stays leased and goes in order
                    // once the lease runs out, never twice side by side (one aggregate's events go one by one, and a
                    // campaign's recipients are all one aggregate, each a mail)
                    long startNoMoreAt = System.nanoTime() + lease.toNanos() / 2;
                    List<Row> claimed = new ArrayList<>();
                    rows.forEach(claimed::add);
                    // the lease statement returns rows in no particular order: publish them oldest first
                    claimed.sort(java.util.Comparator.comparing((Row r) -> r.getOffsetDateTime("created_at")));
                    // one aggregate's events in order, different aggregates side by side (each on its own context,
                    // so Hibernate sessions never meet): a round then costs about its slowest aggregate, not the
                    // sum of every subscriber's round trips, which under load wait for a busy pool
                    java.util.Map<UUID, List<Row>> byAggregate = new java.util.LinkedHashMap<>();
                    claimed.forEach(r -> byAggregate.computeIfAbsent(r.getUUID("aggregate_id"), a -> new ArrayList<>()).add(r));
                    return Multi.createFrom().iterable(byAggregate.values())
                            .onItem().transformToUni(events -> onFreshContext(() -> Multi.createFrom().iterable(events)
                                    .onItem().transformToUniAndConcatenate(r -> System.nanoTime() < startNoMoreAt ? publishOne(r) : Uni.createFrom().<UUID>nullItem()) // a null (failed, left) is no item
                                    .collect().asList()))
                            .merge(aggregatesAtOnce)
                            .collect().in(ArrayList<UUID>::new, List::addAll)
                            .chain(published -> markPublished(published).replaceWith(new ScheduledRounds.Round(claimed.size(), published.size())));
                });
    }

    /** One statement for the round; if it fails, the lease runs out and the events go again (at least once). */
    private Uni<Void> markPublished(List<UUID> ids) {
        return ids.isEmpty() ? Uni.createFrom().voidItem()
                : pool.preparedQuery(PUBLISHED).execute(Tuple.of(ids.toArray(UUID[]::new))).replaceWithVoid();
    }

    /** The event's id once it went out, null if it failed (a retry is scheduled). */
    private Uni<UUID> publishOne(Row row) {
        UUID id = row.getUUID("id");
        return deliverInside(id, row.getString("topic"), new JsonObject(row.getString("payload")))
                .chain(() -> publisher.publish(id, row.getString("topic"), new JsonObject(row.getString("payload"))))
                .replaceWith(id)
                .onFailure().recoverWithUni(e -> {
                    LOG.warnf("Outbox event %s not published (attempt %d): %s", id, row.getInteger("attempts") + 1, e.getClass().getSimpleName());
                    return pool.preparedQuery(RETRY).execute(Tuple.of(id, e.getClass().getSimpleName())).replaceWith((UUID) null)
                            .onFailure().recoverWithItem((UUID) null); // the lease runs out and the event is due again
                });
    }
}
