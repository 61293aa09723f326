package com.harmony.privacy;

import com.harmony.account.AccountService;
import com.harmony.platform.Audit;
import com.harmony.platform.ClientAddress;
import com.harmony.platform.Cookies;
import com.harmony.platform.Hashes;
import com.harmony.platform.MailQueue;
import com.harmony.platform.NewestFirst;
import com.harmony.platform.ProblemException;
import com.harmony.platform.Rows;
import com.harmony.platform.ScheduledRounds;
import com.harmony.platform.Throttle;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Privacy requests (P13, P29): export, erasure, access and rectification, filed by a signed-in
 * customer or affiliate, a visitor (its token plus an email for the confirmation) or a guest buyer
 * (order number, email and postal code). Nothing is processed until the requester confirms through a
 * single-use link sent by email; the answer to a new request never says whether the email or order is
 * known. Every status change is kept in the request's trail.
 */
@ApplicationScoped
public class PrivacyRequestService {

    private static final Logger LOG = Logger.getLogger(PrivacyRequestService.class);

    public enum Kind {
        EXPORT, ERASURE, ACCESS, RECTIFICATION;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Who files: exactly one of an account, a visitor or a guest buyer's order names the subject. */
    public record Requester(UUID accountId, UUID visitorId, String orderNumber, String postalCode) {
    }

    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "PrivacyRequestReceived", description = "The same answer whether or not the email or order is known")
    public record Received(@org.eclipse.microprofile.openapi.annotations.media.Schema(description = "Only for a signed-in requester", nullable = true) String id,
            @org.eclipse.microprofile.openapi.annotations.media.Schema(examples = "awaiting_confirmation") String status, String message) {
    }

    /** What filing answers: the id only to a signed-in requester, who may know it. */
    public record Filed(UUID id) {
    }

    private static final String DOC = """
            json_build_object('id', r.id, 'kind', r.kind, 'subject_kind', r.subject_kind, 'status', r.status,
                'corrections', r.corrections, 'created_at', rfc3339(r.created_at), 'confirmed_at', rfc3339(r.confirmed_at),
                'due_at', rfc3339(r.due_at), 'closed_at', rfc3339(r.closed_at), 'reason', r.reason, 'result', r.result,
                'recipients', (select coalesce(json_agg(json_build_object('recipient', x.recipient, 'notified_at', rfc3339(x.notified_at),
                    'acknowledged_at', rfc3339(x.acknowledged_at), 'answer', x.answer) order by x.recipient), '[]'::json)
                    from privacy_request_recipient x where x.request_id = r.id),
                'document', (select json_build_object('bytes', d.bytes, 'expires_at', rfc3339(d.expires_at), 'downloaded_at', rfc3339(d.downloaded_at))
                    from privacy_document d where d.request_id = r.id),
                'trail', (select coalesce(json_agg(json_build_object('status', e.status, 'note', e.note,
                    'occurred_at', rfc3339(e.occurred_at)) order by e.id), '[]'::json) from privacy_request_event e where e.request_id = r.id))::text""";
    private static final NewestFirst MINE = new NewestFirst("privacy_request r", "r", "created_at", "my-privacy-requests", DOC);
    private static final NewestFirst ALL = new NewestFirst("privacy_request r", "r", "created_at", "privacy-requests", DOC);
    private static final NewestFirst BY_DUE = new NewestFirst("privacy_request r", "r", "due_at", "privacy-requests-due", DOC);
    private static final String INSERT = """
            with r as (insert into privacy_request (id, kind, subject_kind, account_id, visitor_id, order_id, email, corrections, status,
                           token_hash, token_expires_at, due_at)
                       values ($1, $2, $3, $4, $5, $6, $7, $8, 'awaiting_confirmation', $9, now() + $10 * interval '1 millisecond',
                           now() + $11 * interval '1 millisecond') returning id)
            insert into privacy_request_event (request_id, status) select id, 'awaiting_confirmation' from r""";
    private static final String CONFIRM = """
            with r as (update privacy_request set status = 'confirmed', token_hash = null, confirmed_at = now()
                       where token_hash = $1 and status = 'awaiting_confirmation' and token_expires_at > now() returning id),
                 e as (insert into privacy_request_event (request_id, status) select id, 'confirmed' from r)
            select id from r""";
    private static final String REJECT = """
            with r as (update privacy_request set status = 'rejected', closed_at = now(), reason = $2
                       where id = $1 and status in ('awaiting_confirmation', 'confirmed') returning id),
                 e as (insert into privacy_request_event (request_id, status, actor_id, note) select id, 'rejected', $3, $2 from r)
            select id from r""";
    private static final String ONE = "select " + DOC + " as doc, r.account_id, r.status from privacy_request r where r.id = $1";

    private final Pool pool;
    private final PrivacyConfig config;
    private final Throttle throttle;
    private final MailQueue mails;
    private final AccountService accounts;
    private final com.harmony.order.ReturnService orders;
    private final Audit audit;
    private final com.harmony.platform.Outbox outbox;
    private final RequestProcessor processor;

    PrivacyRequestService(Pool pool, PrivacyConfig config, Throttle throttle, MailQueue mails, AccountService accounts,
            com.harmony.order.ReturnService orders, Audit audit, com.harmony.platform.Outbox outbox, RequestProcessor processor) {
        this.outbox = outbox;
        this.processor = processor;
        this.pool = pool;
        this.config = config;
        this.throttle = throttle;
        this.mails = mails;
        this.accounts = accounts;
        this.orders = orders;
        this.audit = audit;
    }

    /**
     * Files a request and mails its confirmation link. Throttled per client address and per email. A
     * guest whose order, email and postal code do not match gets the same answer as one whose do, and
     * no mail.
     */
    public Uni<Filed> file(Kind kind, Requester who, String email, Map<String, String> corrections, String ip) {
        JsonObject fixes = corrections == null || corrections.isEmpty() ? null : new JsonObject(new java.util.LinkedHashMap<>(corrections));
        Throttle.Limit perClient = Throttle.Limit.of("privacy-request:" + ClientAddress.bucket(ip), config.requestsPerClient(), Duration.ofHours(1));
        if (who.accountId() != null) {
            // a signed-in customer's own requests count per account: strangers filing for their address cannot use up their allowance
            return throttle.acquire(perKey(Throttle.PRIVACY_REQUEST_ACCOUNT + who.accountId()), perClient)
                    .chain(permit -> unlessUnavailable(permit, accounts.emailOf(who.accountId())
                            .chain(address -> store(kind, "customer", who.accountId(), null, null, address, fixes, true))));
        }
        // one acquire for both limits, the narrower first: a burst for one email is refused there and never reaches the
        // client's count (counted first, the requests in flight locked the client for the hour past its ten, though the
        // per-email refusals then gave their places back)
        Uni<Throttle.Permit> counted = throttle.acquire(perKey(Throttle.PRIVACY_REQUEST_EMAIL + email.strip().toLowerCase(Locale.ROOT)), perClient);
        if (who.orderNumber() != null) {
            // counted per email before the order is looked at: a 429 must not tell a match from a miss
            return counted.chain(permit -> unlessUnavailable(permit, orders.verifyGuestBuyer(who.orderNumber(), email, who.postalCode(), ip)
                    .onFailure(e -> e instanceof ProblemException p && p.type().status() == 404).recoverWithNull()
                    .chain(order -> order == null ? Uni.createFrom().item(new Filed(null))
                            : store(kind, "guest_buyer", null, null, order, email.strip(), fixes, false))));
        }
        return counted.chain(permit -> unlessUnavailable(permit, store(kind, "visitor", null, who.visitorId(), null, email.strip(), fixes, false)));
    }

    /** A request the database could not take (503) was never filed: its places go back, so the retry the answer invites is not refused. */
    private static <T> Uni<T> unlessUnavailable(Throttle.Permit permit, Uni<T> filing) {
        return filing.onFailure(com.harmony.platform.ProblemMapper::databaseUnavailable)
                .call(() -> permit.release().onFailure().recoverWithNull());
    }

    private Throttle.Limit perKey(String key) {
        return Throttle.Limit.of(key, config.requestsPerEmail(), Duration.ofHours(1));
    }

    private Uni<Filed> store(Kind kind, String subjectKind, UUID account, UUID visitor, UUID order, String email, JsonObject fixes,
            boolean showId) {
        UUID id = UUID.randomUUID();
        String token = Cookies.randomToken();
        // the request and its confirmation mail commit together: a mail server that is down delays the link, never loses it
        return pool.withTransaction(conn -> conn.preparedQuery(INSERT).execute(Tuple.from(new Object[] {id, kind.wire(), subjectKind,
                                account, visitor, order, email, fixes, digest(token), config.confirmationTtl().toMillis(), config.dueIn().toMillis()}))
                        .chain(() -> mails.queue(conn, account, confirmation(email, kind, token))))
                .invoke(mails::sendSoon)
                .replaceWith(new Filed(showId ? id : null));
    }

    /** Confirms with the emailed token: once, before it expires. */
    public Uni<String> confirm(String token) {
        if (token == null || token.isBlank() || token.length() > 200) {
            return Uni.createFrom().failure(invalidLink());
        }
        return pool.preparedQuery(CONFIRM).execute(Tuple.of(digest(token.strip()))).chain(rows -> {
            Row r = Rows.first(rows);
            return r == null ? Uni.createFrom().failure(invalidLink()) : document(r.getUUID("id"));
        });
    }

    /** A request with its trail; null when there is none. */
    public Uni<String> document(UUID id) {
        return pool.preparedQuery(ONE).execute(Tuple.of(id)).map(rows -> {
            Row r = Rows.first(rows);
            if (r == null) {
                throw ProblemException.notFound("Privacy request");
            }
            return Rows.doc(r);
        });
    }

    /** One of the account's own requests; another's answers 404 like a missing one. */
    public Uni<String> mine(UUID account, UUID id) {
        return pool.preparedQuery(ONE).execute(Tuple.of(id)).map(rows -> {
            Row r = Rows.first(rows);
            if (r == null || !account.equals(r.getUUID("account_id"))) {
                throw ProblemException.notFound("Privacy request");
            }
            return Rows.doc(r);
        });
    }

    public Uni<String> mine(UUID account, int limit, String cursor) {
        return MINE.page(pool, "account_id", account, limit, cursor);
    }

    /** For staff: newest first, or the soonest due first, optionally one status. */
    public Uni<String> list(String status, boolean byDueDate, int limit, String cursor) {
        return byDueDate ? BY_DUE.pageOldestFirst(pool, "status", status, limit, cursor) : ALL.page(pool, "status", status, limit, cursor);
    }

    /** Staff reject a request that cannot be carried out, with the reason; audited with the change. */
    public Uni<String> reject(UUID id, String reason, UUID staff) {
        Audit.Entry entry = audit.entry("privacy_request.rejected", "privacy_request", id, null)
                .about("select account_id from privacy_request where id = $5::varchar::uuid");
        return pool.withTransaction(conn -> conn.preparedQuery(REJECT).execute(Tuple.of(id, reason.strip(), staff)).chain(rows -> {
            if (Rows.first(rows) == null) {
                return conn.preparedQuery(ONE).execute(Tuple.of(id)).map(found -> {
                    throw Rows.first(found) == null ? ProblemException.notFound("Privacy request")
                            : new ProblemException(PrivacyProblems.REQUEST_CLOSED, "This request is closed or being processed already.");
                });
            }
            return audit.write(conn, entry)
                    .chain(() -> outbox.append(conn, RequestProcessor.CLOSED_TOPIC, id, new JsonObject().put("request_id", id.toString())))
                    .replaceWithVoid();
        })).chain(() -> document(id));
    }

    /** Staff apply the corrections they verified; the others are declined. Audited with the change. */
    public Uni<String> rectify(UUID id, java.util.List<String> verified, String note) {
        Audit.Entry entry = audit.entry("privacy_request.rectified", "privacy_request", id, null)
                .about("select account_id from privacy_request where id = $5::varchar::uuid");
        return processor.rectify(id, verified, note, audit, entry).chain(() -> document(id));
    }

    /** Unconfirmed requests expire (P13): one statement, safe on every instance. */
    @Scheduled(every = "10m", delayed = "2m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> expireUnconfirmed() {
        return ScheduledRounds.retriedNextRound("Privacy request expiry", pool.query(PrivacyPersonalData.EXPIRE).execute().invoke(rows -> {
            if (rows.rowCount() > 0) {
                LOG.infof("Expired %d unconfirmed privacy requests", rows.rowCount());
            }
        }));
    }

    private MailQueue.Message confirmation(String to, Kind kind, String token) {
        String link = config.confirmPage() + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        return MailQueue.Message.text(to, "Confirm your privacy request", """
                We received a request to %s the personal data we hold about you.

                Nothing happens until you confirm it. Follow this link within %d hours; it works once:

                %s

                If you did not ask for this, ignore this email: the request will expire and nothing will change.
                """.formatted(describe(kind), Math.max(1, config.confirmationTtl().toHours()), link));
    }

    private static String describe(Kind kind) {
        return switch (kind) {
            case EXPORT -> "export (send you a copy of)";
            case ERASURE -> "erase";
            case ACCESS -> "show you a summary of";
            case RECTIFICATION -> "correct";
        };
    }

    private static ProblemException invalidLink() {
        return new ProblemException(PrivacyProblems.CONFIRMATION_INVALID, "The link is invalid, expired or already used; file the request again.");
    }

    private static String digest(String token) {
        return Hashes.sha256Hex(token);
    }
}
