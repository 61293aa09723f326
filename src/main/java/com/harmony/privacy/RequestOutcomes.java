package com.harmony.privacy;

import com.harmony.payment.PaymentProvider;
import com.harmony.platform.Cookies;
import com.harmony.platform.Hashes;
import com.harmony.platform.Outbox;
import com.harmony.platform.OutboxSubscriber;
import com.harmony.platform.Rows;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * What follows a request's processing, from the outbox, so nothing is lost when a recipient or the
 * mail server is down (each event is retried until it succeeds):
 * <ul>
 * <li>an erasure notice goes to each recipient that held the data (the payment gateway's erasure
 * call; an email to the privacy contact of the carrier, the mail provider or the marketing partner)
 * and its acknowledgement is recorded on the request, which completes with the last one;</li>
 * <li>a closed request is answered by email: the single-use document link, the erasure's result or
 * the reason for a rejection. After the erasure's answer the request forgets the address too.</li>
 * </ul>
 */
@ApplicationScoped
class RequestOutcomes implements OutboxSubscriber {

    private static final String LOCK = "select status from privacy_request where id = $1 for update";
    private static final String ACK = """
            update privacy_request_recipient set acknowledged_at = now(), answer = $3
            where request_id = $1 and recipient = $2 and acknowledged_at is null""";
    private static final String OPEN = "select count(*) from privacy_request_recipient where request_id = $1 and acknowledged_at is null";
    private static final String COMPLETE = """
            with r as (update privacy_request set status = 'completed', closed_at = now() where id = $1 and status = 'processing' returning id)
            insert into privacy_request_event (request_id, status, note) select id, 'completed', 'every recipient acknowledged' from r""";
    private static final String CLOSED = """
            select kind, status, email, reason, result::text as result from privacy_request where id = $1""";
    private static final String LINK = """
            update privacy_document set token_hash = $2 where request_id = $1 and downloaded_at is null and expires_at > now()
            returning rfc3339(expires_at) as expires_at""";
    private static final String FORGET_EMAIL = """
            update privacy_request set email = 'erased-' || id || '@erased.invalid', order_id = null
            where id = $1 and kind = 'erasure' and status = 'completed'""";

    private final Pool pool;
    private final PaymentProvider payments;
    private final ReactiveMailer mailer;
    private final PrivacyConfig config;
    private final Outbox outbox;

    RequestOutcomes(Pool pool, PaymentProvider payments, ReactiveMailer mailer, PrivacyConfig config, Outbox outbox) {
        this.pool = pool;
        this.payments = payments;
        this.mailer = mailer;
        this.config = config;
        this.outbox = outbox;
    }

    @Override
    public boolean handles(String topic) {
        return RequestProcessor.NOTICE_TOPIC.equals(topic) || RequestProcessor.CLOSED_TOPIC.equals(topic);
    }

    @Override
    public Uni<Void> handle(UUID eventId, String topic, JsonObject payload) {
        UUID request = UUID.fromString(payload.getString("request_id"));
        return RequestProcessor.NOTICE_TOPIC.equals(topic) ? notice(request, payload.getString("recipient"), payload.getJsonArray("references"))
                : answer(request);
    }

    // ------------------------------------------------------------------ recipients

    private Uni<Void> notice(UUID request, String recipient, JsonArray references) {
        List<String> keys = references.stream().map(String::valueOf).toList();
        Uni<String> told = "payment_provider".equals(recipient) ? payments.forget(keys) : mailRecipient(request, recipient, keys);
        return told.chain(answer -> acknowledge(request, recipient, answer));
    }

    private Uni<String> mailRecipient(UUID request, String recipient, List<String> keys) {
        String contact = config.recipientContacts().get(recipient);
        if (contact == null) {
            return Uni.createFrom().failure(new IllegalStateException("no privacy contact configured for " + recipient));
        }
        return mailer.send(Mail.withText(contact, "Erasure request " + request, """
                        Under our data processing agreement, please erase the personal data you hold for us about the person below
                        and confirm to this address, quoting request %s.

                        They are known to you by: %s
                        """.formatted(request, keys.isEmpty() ? "(no reference: the records you received from us for them)" : String.join(", ", keys))))
                .replaceWith("erasure notice emailed to " + contact);
    }

    /** Records the acknowledgement under the request's lock, so the last of several parallel ones completes it exactly once. */
    private Uni<Void> acknowledge(UUID request, String recipient, String answer) {
        String trimmed = answer.length() > 500 ? answer.substring(0, 500) : answer;
        return pool.withTransaction(conn -> conn.preparedQuery(LOCK).execute(Tuple.of(request))
                .chain(() -> conn.preparedQuery(ACK).execute(Tuple.of(request, recipient, trimmed)))
                .chain(() -> conn.preparedQuery(OPEN).execute(Tuple.of(request)))
                .chain(open -> Rows.first(open).getLong(0) > 0 ? Uni.createFrom().voidItem()
                        : conn.preparedQuery(COMPLETE).execute(Tuple.of(request)).chain(done -> done.rowCount() == 0 ? Uni.createFrom().voidItem()
                                : outbox.append(conn, RequestProcessor.CLOSED_TOPIC, request,
                                        new JsonObject().put("request_id", request.toString())).replaceWithVoid())));
    }

    // ------------------------------------------------------------------ the requester's answer

    private Uni<Void> answer(UUID request) {
        return pool.preparedQuery(CLOSED).execute(Tuple.of(request)).chain(rows -> {
            Row r = Rows.first(rows);
            if (r == null || r.getString("email").endsWith("@erased.invalid")) {
                return Uni.createFrom().voidItem();
            }
            String to = r.getString("email");
            String kind = r.getString("kind");
            if ("rejected".equals(r.getString("status"))) {
                return mailer.send(Mail.withText(to, "Your privacy request was not carried out", """
                        We could not carry out your %s request:

                        %s

                        You may file it again once this no longer applies, or contact us with any question.
                        """.formatted(kind, r.getString("reason"))));
            }
            if (!"completed".equals(r.getString("status"))) {
                return Uni.createFrom().voidItem();
            }
            return switch (kind) {
                case "export", "access" -> link(request, to, kind);
                case "erasure" -> mailer.send(Mail.withText(to, "Your data was erased", erasureText(new JsonObject(r.getString("result")))))
                        .chain(() -> pool.preparedQuery(FORGET_EMAIL).execute(Tuple.of(request))).replaceWithVoid();
                default -> mailer.send(Mail.withText(to, "Your correction request was handled", """
                        We handled your request to correct your data: %s
                        """.formatted(r.getString("result"))));
            };
        });
    }

    /** A fresh single-use link each time this runs: only its digest is stored, so no link sits in the database or the outbox. */
    private Uni<Void> link(UUID request, String to, String kind) {
        String token = Cookies.randomToken();
        return pool.preparedQuery(LINK).execute(Tuple.of(request, Hashes.sha256Hex(token))).chain(rows -> {
            Row r = Rows.first(rows);
            if (r == null) {
                return Uni.createFrom().voidItem();
            }
            String link = config.downloadPage() + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
            return mailer.send(Mail.withText(to, "export".equals(kind) ? "Your data export is ready" : "Your data summary is ready", """
                    The %s you asked for is ready. Download it with this link; it works once, until %s:

                    %s

                    After that it is deleted. Signed-in customers can also download it from their privacy requests until then.
                    """.formatted("export".equals(kind) ? "copy of your data" : "summary of the data we hold about you", r.getString("expires_at"), link)));
        });
    }

    private static String erasureText(JsonObject result) {
        StringBuilder text = new StringBuilder("We erased the personal data we held about you.\n\n");
        for (Object o : result.getJsonArray("tables", new JsonArray())) {
            JsonObject t = (JsonObject) o;
            text.append("- ").append(t.getString("label")).append(": ").append(switch (t.getString("action")) {
                case "kept" -> "kept without your identity (" + t.getString("rule") + ")"
                        + (t.getString("kept_until") == null ? "" : " until " + t.getString("kept_until").substring(0, 10));
                case "deleted" -> "deleted";
                default -> t.getString("action");
            }).append('\n');
        }
        JsonArray told = result.getJsonArray("recipients_told", new JsonArray());
        if (!told.isEmpty()) {
            text.append("\nWe told everyone who received your data from us to erase it too: ");
            text.append(String.join(", ", told.stream().map(o -> ((JsonObject) o).getString("recipient").replace('_', ' ')).toList())).append(".\n");
        }
        return text.append("\nThis is the last email we send to this address.\n").toString();
    }
}
