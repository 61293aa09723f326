package com.harmony.platform;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * Every email a request causes goes through here: the request stores it (sealed) and answers, and a
 * worker on whichever instance gets to it first sends it once the mail server takes it, then deletes
 * it. A mail server that is down delays mail, never loses it, and never holds up or fails a request.
 *
 * <p>Sending is at least once with a one-message window: a row is leased (attempts + 1, leased_until
 * set) and committed before the SMTP call, so no other sender takes it until the lease runs out, and
 * deleted after the server accepted it; only an instance dying between those two steps sends it
 * again, with the same Message-ID, which mail systems use to drop the duplicate.
 *
 * <p>The stored message (recipient, subject, text and any single-use link) is AES-GCM-sealed under
 * a key derived from SECRET_KEY and bound to its row id, so the database holds neither addresses nor
 * working links in clear. Dev and test make up a key per run: mail queued before a restart there
 * cannot be opened and is dropped with a warning.
 */
@ApplicationScoped
public class MailQueue {

    private static final Logger LOG = Logger.getLogger(MailQueue.class);
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final String INSERT = "insert into mail_queue (id, account_id, sealed) values ($1, $2, $3)";
    /** Leases due rows in one statement: whoever claims a row owns it until the lease runs out. */
    private static final String CLAIM = """
            with due as (
                select id from mail_queue where next_attempt_at <= now() and (leased_until is null or leased_until <= now())
                order by next_attempt_at limit $1 for update skip locked)
            update mail_queue m set attempts = m.attempts + 1, leased_until = now() + $2 * interval '1 millisecond'
            from due where m.id = due.id
            returning m.id, m.sealed, m.attempts, m.created_at < now() - $3 * interval '1 millisecond' as expired""";
    private static final String SENT = "delete from mail_queue where id = $1";
    /** Exponential backoff from two seconds, capped at fifteen minutes. */
    private static final String RETRY = """
            update mail_queue set last_error = $2, leased_until = null,
                next_attempt_at = now() + least(2 * power(2, least(attempts, 20) - 1), 900) * interval '1 second'
            where id = $1""";

    /** A message to send. */
    public record Message(String to, String subject, String text, Map<String, String> headers) {

        public static Message text(String to, String subject, String text) {
            return new Message(to, subject, text, Map.of());
        }

        public Message withHeader(String name, String value) {
            Map<String, String> all = new LinkedHashMap<>(headers);
            all.put(name, value);
            return new Message(to, subject, text, all);
        }
    }

    private final Pool pool;
    private final ReactiveMailer mailer;
    private final MailConfig config;
    private final SecretKey key;
    private final io.vertx.core.Vertx vertx;
    /** Rounds asked for on this instance while one runs: they fold into one more round, not one each. */
    private final AtomicInteger wanted = new AtomicInteger();

    MailQueue(Pool pool, ReactiveMailer mailer, MailConfig config, ServerKey serverKey, io.vertx.core.Vertx vertx) {
        this.pool = pool;
        this.mailer = mailer;
        this.config = config;
        this.vertx = vertx;
        this.key = new SecretKeySpec(Base64.getUrlDecoder().decode(serverKey.sign("mail-queue", "aes-256-gcm")), "AES");
    }

    /**
     * Queues a message in the caller's transaction (it exists exactly when the change it reports was
     * committed); call {@link #sendSoon()} after the commit. accountId ties it to a customer, so their
     * erasure removes it; null for anyone else.
     */
    public Uni<Void> queue(SqlClient client, UUID accountId, Message message) {
        UUID id = UUID.randomUUID();
        return client.preparedQuery(INSERT).execute(Tuple.of(id, accountId, io.vertx.core.buffer.Buffer.buffer(seal(id, message))))
                .replaceWithVoid();
    }

    /** Queues a message on its own and has this instance try to send it at once. */
    public Uni<Void> send(UUID accountId, Message message) {
        return queue(pool, accountId, message).invoke(this::sendSoon);
    }

    /** After a commit that queued mail: a round on this instance now, instead of at the next poll. */
    public void sendSoon() {
        if (wanted.getAndIncrement() == 0) {
            vertx.runOnContext(x -> round());
        }
    }

    private void round() {
        sendDue().subscribe().with(n -> next(), e -> {
            LOG.debugf("Mail round failed (%s); the next poll retries", e.getClass().getSimpleName());
            next();
        });
    }

    private void next() {
        // more asked for while this round ran: one more round covers them all
        if (wanted.getAndSet(0) > 1) {
            wanted.set(1);
            round();
        }
    }

    @Scheduled(every = "${harmony.mail.poll-interval:10s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return ScheduledRounds.retriedNextRound("Mail queue", drainDue());
    }

    /** One round on this instance; answers how many messages the mail server accepted. Tests call it too. */
    public Uni<Integer> sendDue() {
        return sendRound().map(ScheduledRounds.Round::done);
    }

    /**
     * Rounds while they come back full and send something: every message due goes out in one poll, not a batch per
     * poll interval (20 per 10 s).
     */
    public Uni<Integer> drainDue() {
        return ScheduledRounds.drain(this::sendRound, config.batchSize());
    }

    private Uni<ScheduledRounds.Round> sendRound() {
        return pool.preparedQuery(CLAIM).execute(Tuple.of(config.batchSize(), config.lease().toMillis(), config.giveUpAfter().toMillis()))
                .chain(rows -> ScheduledRounds.attemptAll(rows, this::deliver));
    }

    private Uni<Boolean> deliver(Row row) {
        UUID id = row.getUUID("id");
        Message m;
        try {
            m = open(id, row.getBuffer("sealed").getBytes());
        } catch (GeneralSecurityException | RuntimeException e) {
            LOG.warnf("Queued mail %s cannot be opened with this SECRET_KEY (made before it changed?): dropped", id);
            return pool.preparedQuery(SENT).execute(Tuple.of(id)).replaceWith(false);
        }
        if (row.getBoolean("expired")) {
            LOG.warnf("Queued mail %s was not accepted by the mail server within %s: dropped after %d attempts", id, config.giveUpAfter(),
                    row.getInteger("attempts") - 1);
            return pool.preparedQuery(SENT).execute(Tuple.of(id)).replaceWith(false);
        }
        Mail mail = Mail.withText(m.to(), m.subject(), m.text()).addHeader("Message-ID", "<" + id + "@mail-queue.harmony>");
        m.headers().forEach(mail::addHeader);
        return mailer.send(mail)
                .ifNoItem().after(config.timeout()).failWith(() -> new java.util.concurrent.TimeoutException("mail server did not answer"))
                .chain(() -> pool.preparedQuery(SENT).execute(Tuple.of(id)).replaceWith(true))
                .onFailure().recoverWithUni(e -> {
                    LOG.warnf("Queued mail %s not sent (attempt %d): %s; retried later", id, row.getInteger("attempts"), e.getClass().getSimpleName());
                    return pool.preparedQuery(RETRY).execute(Tuple.of(id, e.getClass().getSimpleName())).replaceWith(false)
                            .onFailure().recoverWithItem(false); // the lease runs out and the row is due again
                });
    }

    private byte[] seal(UUID id, Message m) {
        JsonObject plain = new JsonObject().put("to", m.to()).put("subject", m.subject()).put("text", m.text())
                .put("headers", new JsonObject(new LinkedHashMap<>(m.headers())));
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(id.toString().getBytes(StandardCharsets.US_ASCII));
            byte[] sealed = cipher.doFinal(plain.encode().getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has AES/GCM", e);
        }
    }

    private Message open(UUID id, byte[] sealed) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, IV_BYTES));
        cipher.updateAAD(id.toString().getBytes(StandardCharsets.US_ASCII));
        JsonObject plain = new JsonObject(new String(cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES), StandardCharsets.UTF_8));
        Map<String, String> headers = new LinkedHashMap<>();
        plain.getJsonObject("headers", new JsonObject()).forEach(e -> headers.put(e.getKey(), String.valueOf(e.getValue())));
        return new Message(plain.getString("to"), plain.getString("subject"), plain.getString("text"), headers);
    }
}
