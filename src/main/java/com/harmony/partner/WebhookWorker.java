package com.harmony.partner;

import com.harmony.platform.Outbox;
import com.harmony.platform.Rows;
import com.harmony.platform.ScheduledRounds;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * Delivers due webhooks, at least once, on every instance. A round claims due deliveries of active
 * subscriptions of active clients with FOR UPDATE SKIP LOCKED and leases them (pushing next_attempt_at out by the lease)
 * in one committed statement; then, holding no connection, it checks each target again (DNS may have
 * changed), signs and POSTs, and records the attempt in a new transaction: delivered, or retried with
 * exponential backoff and jitter until the retry period ends. A crash between claim and record leaves
 * the lease to run out, and the delivery is sent again (receivers dedupe by webhook-id). After
 * failuresBeforePause consecutive failures the subscription is paused, and its client's contact is
 * emailed through the outbox after the commit.
 */
@ApplicationScoped
public class WebhookWorker {

    private static final Logger LOG = Logger.getLogger(WebhookWorker.class);
    static final String PAUSED_TOPIC = "partner.webhook-paused";
    private static final int EXCERPT = 200;

    /**
     * Claims and leases due deliveries in one statement (V51's function: an ordered read of the due index, whatever
     * the statistics say); package-private so a test can play an instance that dies after it.
     */
    static final String CLAIM = "select id, subscription_id, event_id, payload, attempts, url, secret from webhook_claim($1, $2)";
    private static final String ATTEMPT = """
            insert into webhook_attempt (delivery_id, latency_ms, response_status, error, response_excerpt)
            select $1, $2, $3, $4, $5 where exists (select 1 from webhook_delivery where id = $1)""";
    private static final String DELIVERED = """
            update webhook_delivery set status = 'delivered', delivered_at = now() where id = $1 and status = 'pending'""";
    private static final String RESET_FAILURES = "update webhook_subscription set consecutive_failures = 0 where id = $1 and consecutive_failures > 0";
    private static final String RETRY = """
            update webhook_delivery set status = case when retry_until <= now() then 'failed' else 'pending' end,
                next_attempt_at = now() + $2 * interval '1 millisecond'
            where id = $1 and status = 'pending'""";
    private static final String FAILED = """
            with before as (select id, status from webhook_subscription where id = $1 for update)
            update webhook_subscription s set consecutive_failures = s.consecutive_failures + 1,
                status = case when s.consecutive_failures + 1 >= $2 then 'paused' else s.status end,
                paused_at = case when s.consecutive_failures + 1 >= $2 and s.status = 'active' then now() else s.paused_at end,
                paused_reason = case when s.consecutive_failures + 1 >= $2 and s.status = 'active'
                                     then (s.consecutive_failures + 1) || ' consecutive failed deliveries' else s.paused_reason end
            from before where s.id = before.id
            returning before.status as was, s.status, s.client_id""";

    private final Pool pool;
    private final WebhookTargets targets;
    private final Outbox outbox;
    private final PartnerConfig.Webhooks config;
    private final HttpClient http;

    WebhookWorker(Pool pool, WebhookTargets targets, Outbox outbox, PartnerConfig config, Vertx vertx) {
        this.pool = pool;
        this.targets = targets;
        this.outbox = outbox;
        this.config = config.webhooks();
        int timeout = (int) this.config.timeout().toMillis();
        this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(timeout).setKeepAlive(false)
                .setMaxRedirects(0).setVerifyHost(true).setMaxPoolSize(Math.max(4, this.config.batchSize())));
    }

    @PreDestroy
    void close() {
        http.close();
    }

    @Scheduled(every = "${harmony.partner.webhooks.poll-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return ScheduledRounds.retriedNextRound("Webhook deliveries", drainDue());
    }

    /** One round; answers how many deliveries succeeded. Tests call it instead of the schedule. */
    public Uni<Integer> deliverDue() {
        return round().map(ScheduledRounds.Round::done);
    }

    /**
     * Rounds while they come back full and deliver something (within the budget); answers how many deliveries
     * succeeded. One round per poll was at most a batch per poll interval (20 per 5 s): a partner subscribed to
     * order events fell behind a shop taking more than one order a second, for good.
     */
    public Uni<Integer> drainDue() {
        return ScheduledRounds.drain(this::round, config.batchSize());
    }

    private Uni<ScheduledRounds.Round> round() {
        return pool.preparedQuery(CLAIM).execute(Tuple.of(config.batchSize(), config.lease().toMillis()))
                .chain(rows -> ScheduledRounds.attemptAll(rows, this::attempt));
    }

    /** What one attempt came to. */
    private record Outcome(boolean ok, Integer status, String error, String excerpt, long latencyMs) {
    }

    private Uni<Boolean> attempt(Row row) {
        UUID delivery = row.getUUID("id");
        String body = row.getString("payload");
        String eventId = row.getUUID("event_id").toString();
        long started = System.nanoTime();
        return targets.check(row.getString("url"))
                .chain(target -> send(target, row.getString("secret"), eventId, body))
                .onFailure().recoverWithItem(e -> new Outcome(false, null, describe(e), null, 0))
                .map(o -> new Outcome(o.ok(), o.status(), o.error(), o.excerpt(), (System.nanoTime() - started) / 1_000_000))
                .chain(o -> record(delivery, row.getUUID("subscription_id"), row.getInteger("attempts"), o).replaceWith(o.ok()))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("Webhook delivery %s: attempt not recorded (%s); its lease runs out and it is sent again", delivery,
                            e.getClass().getSimpleName());
                    return false;
                });
    }

    private Uni<Outcome> send(WebhookTargets.Target target, String secret, String eventId, String body) {
        long timestamp = System.currentTimeMillis() / 1000;
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
                .setServer(SocketAddress.inetSocketAddress(target.port(), target.address().getHostAddress()))
                .setHost(target.host()).setPort(target.port()).setSsl(target.tls()).setURI(target.pathAndQuery())
                .setTimeout(config.timeout().toMillis())
                .putHeader("Content-Type", "application/json")
                .putHeader("User-Agent", "Harmony-Webhooks/1")
                .putHeader("webhook-id", eventId)
                .putHeader("webhook-timestamp", String.valueOf(timestamp))
                .putHeader("webhook-signature", WebhookSigner.sign(secret, eventId, timestamp, body));
        return Uni.createFrom().completionStage(() -> http.request(options)
                .compose(req -> req.send(Buffer.buffer(body)))
                .compose(resp -> {
                    Buffer excerpt = Buffer.buffer();
                    resp.handler(chunk -> {
                        if (excerpt.length() < EXCERPT) {
                            excerpt.appendBuffer(chunk.length() > EXCERPT ? chunk.getBuffer(0, EXCERPT) : chunk);
                        }
                    });
                    return resp.end().map(v -> {
                        String text = excerpt.toString(StandardCharsets.UTF_8);
                        text = text.length() > EXCERPT ? text.substring(0, EXCERPT) : text;
                        boolean ok = resp.statusCode() >= 200 && resp.statusCode() < 300;
                        return new Outcome(ok, resp.statusCode(), ok ? null : "HTTP " + resp.statusCode(), text.isEmpty() ? null : text, 0);
                    });
                }).toCompletionStage())
                // the request timeout is an idle timeout: a receiver dripping bytes must not outlive the lease and be sent twice
                .ifNoItem().after(config.timeout()).failWith(() -> new java.util.concurrent.TimeoutException("no answer within the timeout"));
    }

    private Uni<Void> record(UUID delivery, UUID subscription, int attempts, Outcome o) {
        Tuple attempt = Tuple.from(new Object[] {delivery, (int) Math.min(Integer.MAX_VALUE, o.latencyMs()), o.status(), o.error(), o.excerpt()});
        if (o.ok()) {
            return pool.withTransaction(conn -> conn.preparedQuery(ATTEMPT).execute(attempt)
                    .chain(() -> conn.preparedQuery(DELIVERED).execute(Tuple.of(delivery)))
                    .chain(() -> conn.preparedQuery(RESET_FAILURES).execute(Tuple.of(subscription)))
                    .replaceWithVoid());
        }
        return pool.withTransaction(conn -> conn.preparedQuery(ATTEMPT).execute(attempt)
                .chain(() -> conn.preparedQuery(RETRY).execute(Tuple.of(delivery, backoff(attempts))))
                .chain(() -> conn.preparedQuery(FAILED).execute(Tuple.of(subscription, config.failuresBeforePause())))
                .chain(rows -> {
                    Row r = Rows.first(rows);
                    if (r == null || !"active".equals(r.getString("was")) || !"paused".equals(r.getString("status"))) {
                        return Uni.createFrom().voidItem();
                    }
                    return outbox.append(conn, PAUSED_TOPIC, subscription, new JsonObject().put("subscription_id", subscription.toString())
                            .put("client_id", r.getUUID("client_id").toString())).replaceWithVoid();
                }));
    }

    /** base × 2^(attempts − 1), capped, plus up to 20 % jitter so a recovering receiver is not hit by every retry at once. */
    private long backoff(int attempts) {
        long base = config.retryBase().toMillis();
        long delay = Math.min(config.retryMaxBackoff().toMillis(), base << Math.min(30, Math.max(0, attempts - 1)));
        return delay + (long) (delay * 0.2 * ThreadLocalRandom.current().nextDouble());
    }

    /** A short, safe description of a failure: never a response body or a secret. */
    private static String describe(Throwable e) {
        if (e instanceof com.harmony.platform.ProblemException p) {
            return trim("target refused: " + p.getMessage());
        }
        // partners read this: what happened on the way, in words, never this server's class names or addresses
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return "connection refused";
            }
            if (t instanceof java.net.UnknownHostException) {
                return "host name not found";
            }
            if (t instanceof javax.net.ssl.SSLException) {
                return "TLS handshake failed";
            }
            if (t instanceof java.util.concurrent.TimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
                return "timed out";
            }
            if (t instanceof io.vertx.core.http.HttpClosedException || t instanceof java.io.IOException) {
                return "connection closed before an answer";
            }
        }
        return "delivery failed";
    }

    private static String trim(String s) {
        return s.length() > 200 ? s.substring(0, 200) : s;
    }
}
