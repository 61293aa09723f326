package com.harmony.platform;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * How the workers' scheduled rounds go on and what one does when it fails. A poll drains: one round per
 * poll is at most a batch per poll interval, which a backlog (a load, a provider back after an outage)
 * outgrows for good. When a round fails: a database that cannot be reached (a restart, a failover)
 * is one warning line: the round did nothing and the next one tries again. Every instance runs several
 * rounds every few seconds, so an outage of a minute used to fill the log with stack traces. Anything
 * else is a fault of ours and stays an error with its trace.
 */
public final class ScheduledRounds {

    private static final Logger LOG = Logger.getLogger(ScheduledRounds.class);
    /** How long one poll may go on draining before it leaves the rest to the next (the scheduler skips polls meanwhile). */
    private static final Duration DRAIN_BUDGET = Duration.ofSeconds(30);

    private ScheduledRounds() {
    }

    public static Uni<Void> retriedNextRound(String job, Uni<?> round) {
        return round.replaceWithVoid().onFailure(ProblemMapper::databaseUnavailable).recoverWithItem(e -> {
            LOG.warnf("%s: round skipped, the database cannot be reached (%s); the next round tries again", job, e.getClass().getSimpleName());
            return null;
        });
    }

    /** What one round did: how many items it took, and how many of them went through. */
    public record Round(int claimed, int done) {
    }

    /**
     * A round over the rows a claim leased: each attempted side by side (every attempt bounds its own calls, so the
     * round ends well within the leases), counting those that went through.
     */
    public static Uni<Round> attemptAll(RowSet<Row> claimed, Function<Row, Uni<Boolean>> attempt) {
        return Multi.createFrom().iterable(claimed).onItem().transformToUni(attempt::apply).merge(Math.max(1, claimed.size()))
                .collect().with(java.util.stream.Collectors.summingInt((Boolean done) -> done ? 1 : 0))
                .map(done -> new Round(claimed.size(), done));
    }

    /**
     * Rounds until one takes less than a full batch, gets none of it through (the provider, mail server or
     * receiver is still away: each item waits out its own backoff, and the next poll tries again) or the budget
     * is spent; answers how many items went through. Items are tried as their backoff allows, as before: the
     * drain only lifts the cap of one batch per poll.
     */
    public static Uni<Integer> drain(Supplier<Uni<Round>> round, int batchSize) {
        return drain(round, batchSize, System.nanoTime() + DRAIN_BUDGET.toNanos(), 0);
    }

    private static Uni<Integer> drain(Supplier<Uni<Round>> round, int batchSize, long deadline, int doneSoFar) {
        return round.get().chain(r -> r.claimed() == batchSize && r.done() > 0 && System.nanoTime() < deadline
                ? drain(round, batchSize, deadline, doneSoFar + r.done())
                : Uni.createFrom().item(doneSoFar + r.done()));
    }
}
