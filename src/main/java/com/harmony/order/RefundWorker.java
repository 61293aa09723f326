package com.harmony.order;

import com.harmony.platform.ScheduledRounds;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Retries pending refunds on a schedule, on every instance: each round claims its own due refunds
 * (SKIP LOCKED), so instances share the work and none is attempted twice at once.
 */
@ApplicationScoped
public class RefundWorker {

    private final RefundService refunds;

    RefundWorker(RefundService refunds) {
        this.refunds = refunds;
    }

    @Scheduled(every = "${harmony.refunds.poll-interval:5s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return ScheduledRounds.retriedNextRound("Refund worker", refunds.drainDue());
    }

    /** One round; answers how many refunds settled. */
    public Uni<Integer> runDue() {
        return refunds.runDue();
    }
}
