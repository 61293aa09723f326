package com.harmony.order;

import com.harmony.payment.PaymentProblems;
import com.harmony.payment.PaymentProvider;
import com.harmony.platform.Money;
import com.harmony.platform.ProblemException;
import com.harmony.platform.ScheduledRounds;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * A card authorisation is money held on the buyer's card, so checkout records its intent before it asks the
 * gateway (under the id the gateway gets as its idempotency key) and the order's transaction takes the intent
 * over. An intent nobody took over by its void_after (the instance died, the gateway's answer was lost, the order
 * failed and so did its release) is voided at the gateway by a worker on every instance, claimed with SKIP LOCKED;
 * a void the gateway refuses is retried with the capture worker's backoff until the gateway would have let the
 * authorisation lapse anyway.
 */
@ApplicationScoped
public class AuthorisationIntents {

    private static final Logger LOG = Logger.getLogger(AuthorisationIntents.class);

    static final String RECORD = """
            insert into payment_authorisation (id, amount_minor, currency, void_after)
            values ($1, $2, $3, now() + $4::bigint * interval '1 millisecond')""";

    /** The order's transaction takes the intent over; none left (a worker claimed it to void) fails the order. */
    static final String TAKE_OVER = "delete from payment_authorisation where id = $1 and status = 'pending'";

    static final String FORGET = "delete from payment_authorisation where id = $1";

    /** Waits out the transaction that holds the intent's row, if the server is still finishing one. */
    static final String WAIT_OUT = "select 1 from payment_authorisation where id = $1 for update";

    /**
     * Claims due intents; the claim moves void_after out by the doubling backoff, which is also its lease. $1 batch,
     * $2 first wait, $3 longest wait, $4 give-up age, in milliseconds; {@code lapsed}: the gateway has let it go.
     */
    static final String CLAIM = """
            with due as (select id from payment_authorisation where void_after <= now()
                         order by void_after limit $1::int for update skip locked)
            update payment_authorisation a set status = 'voiding', attempts = a.attempts + 1,
                   void_after = now() + least($3::bigint, $2::bigint * (2 ^ least(a.attempts + 1, 30))::bigint) * interval '1 millisecond'
            from due where a.id = due.id
            returning a.id, a.created_at <= now() - $4::bigint * interval '1 millisecond' as lapsed""";

    private final Pool pool;
    private final PaymentProvider payments;
    private final OrderConfig config;

    AuthorisationIntents(Pool pool, PaymentProvider payments, OrderConfig config) {
        this.pool = pool;
        this.payments = payments;
        this.config = config;
    }

    /**
     * Records the intent, then asks the gateway under its id. A definite refusal (declined, unknown token) held
     * nothing, so the intent goes; any other failure leaves it for the worker, since the card may be held.
     */
    Uni<Held> authorise(String paymentToken, Money amount) {
        UUID id = UUID.randomUUID();
        return pool.preparedQuery(RECORD).execute(Tuple.of(id, amount.amountMinor(), amount.currency(), config.authorisationVoidAfter().toMillis()))
                .chain(() -> payments.authorise(paymentToken, amount, id.toString()))
                .map(a -> new Held(id, a))
                .onFailure(AuthorisationIntents::nothingHeld).call(() -> forget(id));
    }

    /** An authorisation and the intent it was made under. */
    record Held(UUID intent, PaymentProvider.Authorisation authorisation) {
    }

    private static boolean nothingHeld(Throwable e) {
        return e instanceof ProblemException p && p.type().status() < 500;
    }

    /** In the order's transaction: the order holds the authorisation from its commit on. */
    Uni<Void> takeOver(SqlConnection conn, UUID intent) {
        return conn.preparedQuery(TAKE_OVER).execute(Tuple.of(intent)).invoke(rows -> {
            if (rows.rowCount() == 0) {
                throw PaymentProblems.providerDown("The payment took too long to confirm and was voided; nothing was charged. Retry.");
            }
        }).replaceWithVoid();
    }

    /**
     * The order's transaction broke off where the database could not say whether it committed (its COMMIT's answer
     * lost with the connection): waits until the server has finished that transaction, whichever way it went.
     */
    Uni<Void> settled(UUID intent) {
        return pool.preparedQuery(WAIT_OUT).execute(Tuple.of(intent)).replaceWithVoid();
    }

    /** The authorisation was released after the order failed: nothing is held under the intent any more. */
    Uni<Void> forget(UUID intent) {
        return pool.preparedQuery(FORGET).execute(Tuple.of(intent)).replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf("Intent %s stays for the void worker (%s)", intent, e.getClass().getSimpleName()))
                .onFailure().recoverWithNull();
    }

    @Scheduled(every = "${harmony.orders.capture-poll-interval:10s}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return ScheduledRounds.retriedNextRound("Authorisation void worker", ScheduledRounds.drain(this::round, config.captureBatchSize()));
    }

    /** One round; answers how many intents it closed (voided at the gateway, or dropped once lapsed). */
    public Uni<Integer> runDue() {
        return round().map(ScheduledRounds.Round::done);
    }

    private Uni<ScheduledRounds.Round> round() {
        Tuple params = Tuple.of(config.captureBatchSize(), config.captureRetryAfter().toMillis(), config.captureMaxBackoff().toMillis(),
                config.captureGiveUpAfter().toMillis());
        return pool.preparedQuery(CLAIM).execute(params).chain(rows -> ScheduledRounds.attemptAll(rows, this::close));
    }

    /** Voids at the gateway (each call given half the first wait, within the claim's lease), then drops the intent. */
    private Uni<Boolean> close(Row claimed) {
        UUID id = claimed.getUUID("id");
        Uni<Void> voided = claimed.getBoolean("lapsed") ? Uni.createFrom().voidItem()
                : payments.voidAuthorisation(id.toString()).ifNoItem().after(config.captureRetryAfter().dividedBy(2))
                        .failWith(() -> PaymentProblems.providerDown("The payment provider did not answer in time."));
        return voided.chain(() -> pool.preparedQuery(FORGET).execute(Tuple.of(id))).replaceWith(true)
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("Voiding authorisation intent %s failed (%s); it is retried later", id, e.getClass().getSimpleName());
                    return false;
                });
    }
}
