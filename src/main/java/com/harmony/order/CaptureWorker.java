package com.harmony.order;

import com.harmony.platform.Money;
import com.harmony.platform.ScheduledRounds;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Captures again, on every instance, the payments of checkouts whose own capture failed (the provider was
 * down): such an order was answered as placed, its stock reserved and its card authorised, and nobody has to
 * notice it for the money to move. Each round claims its due orders (SKIP LOCKED), so instances share them
 * and none is captured twice at once; an order still uncaptured after the give-up age is cancelled instead.
 */
@ApplicationScoped
public class CaptureWorker {

    private static final Logger LOG = Logger.getLogger(CaptureWorker.class);

    private final Pool pool;
    private final OrderService orders;
    private final OrderConfig config;

    CaptureWorker(Pool pool, OrderService orders, OrderConfig config) {
        this.pool = pool;
        this.orders = orders;
        this.config = config;
    }

    @Scheduled(every = "${harmony.orders.capture-poll-interval:10s}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return ScheduledRounds.retriedNextRound("Capture worker", ScheduledRounds.drain(this::round, config.captureBatchSize()));
    }

    /** One round; answers how many orders it captured (or cancelled, past the give-up age). */
    public Uni<Integer> runDue() {
        return round().map(ScheduledRounds.Round::done);
    }

    private Uni<ScheduledRounds.Round> round() {
        Tuple params = Tuple.of(config.captureRetryAfter().toMillis(), config.captureBatchSize(), config.captureMaxBackoff().toMillis(),
                config.captureGiveUpAfter().toMillis());
        // side by side, each provider call bounded: the whole round ends well within the claims' leases
        return pool.preparedQuery(OrderSql.CLAIM_CAPTURES).execute(params).chain(rows -> ScheduledRounds.attemptAll(rows, this::attempt));
    }

    /** One claimed order; a failure is logged and left to the next attempt the claim scheduled. */
    private Uni<Boolean> attempt(Row claimed) {
        UUID id = claimed.getUUID("id");
        Uni<Void> step = claimed.getBoolean("expired")
                ? orders.cancelUncaptured(id, "the payment could not be captured within " + config.captureGiveUpAfter().toDays()
                        + " days; the authorisation was released")
                : orders.captureClaimed(id, claimed.getString("payment_reference"), new Money(claimed.getLong("total_minor"), claimed.getString("currency")),
                        config.captureRetryAfter().dividedBy(2)); // the shortest lease a claim holds is twice the first wait
        return step.replaceWith(true).onFailure().recoverWithItem(e -> {
            LOG.warnf("Capture of order %s failed again (%s); it is retried later", id, e.getClass().getSimpleName());
            return false;
        });
    }
}
