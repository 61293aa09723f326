package com.harmony.legal;

import com.harmony.platform.ClientAddress;
import com.harmony.platform.MailQueue;
import com.harmony.platform.NewestFirst;
import com.harmony.platform.PostalAddress;
import com.harmony.platform.ProblemException;
import com.harmony.platform.Rows;
import com.harmony.platform.Throttle;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Copyright notices under 17 U.S.C. § 512(c)(3) (P27): filed only when they carry every element (a)-(f),
 * queued for the copyright agent (role legal), acknowledged to the notifier by email, handled once.
 */
@ApplicationScoped
public class CopyrightNoticeService {


    /** What the copyright agent did about a notice. */
    public enum Outcome {
        REMOVED, ACCESS_DISABLED, REJECTED, COUNTER_NOTICE, DUPLICATE;

        public static final String WIRE = "removed|access_disabled|rejected|counter_notice|duplicate";

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Open until the copyright agent handles it. */
    public enum Status {
        OPEN, HANDLED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A complete notice: (a) signature, (b) the copyrighted work, (c) the infringing material and its
     * URLs, (d) address, phone and email; (e) and (f) were affirmed, or it would not get this far.
     */
    public record Notice(String signature, String copyrightOwner, String copyrightedWork, String infringingMaterial,
            List<String> infringingUrls, PostalAddress address, String phone, String email) {
    }

    /** Per client address (an IPv6 /64): a rights holder with a long list sends one notice with many URLs. */
    static final int LIMIT_PER_HOUR = 10;

    private static final String DOC = """
            json_build_object('id', n.id, 'signature', n.signature, 'copyright_owner', n.copyright_owner,
                'copyrighted_work', n.copyrighted_work, 'infringing_material', n.infringing_material,
                'infringing_urls', to_json(n.infringing_urls),
                'address', json_build_object('name', n.addressee, 'line1', n.line1, 'line2', n.line2, 'city', n.city,
                    'region', n.region, 'postal_code', n.postal_code, 'country', n.country),
                'phone', n.phone, 'email', n.email, 'good_faith_statement', n.good_faith, 'accuracy_statement', n.accurate_under_penalty,
                'status', n.status, 'outcome', n.outcome, 'handling_note', n.handling_note, 'handled_by', n.handled_by,
                'handled_at', rfc3339(n.handled_at), 'acknowledged_at', rfc3339(n.acknowledged_at),
                'received_at', rfc3339(n.received_at))::text""";
    private static final NewestFirst QUEUE = new NewestFirst("copyright_notice n", "n", "received_at", "copyright-notices", DOC);
    private static final String INSERT = """
            insert into copyright_notice (id, signature, copyright_owner, copyrighted_work, infringing_material, infringing_urls,
                addressee, line1, line2, city, region, postal_code, country, phone, email, good_faith, accurate_under_penalty)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, true, true)""";
    private static final String ONE = "select " + DOC + " as doc from copyright_notice n where n.id = $1";
    private static final String HANDLE = """
            update copyright_notice n set status = 'handled', outcome = $2, handling_note = $3, handled_by = $4, handled_at = now()
            where n.id = $1 and n.status = 'open' returning""" + " " + DOC + " as doc";
    private static final String STATUS = "select status from copyright_notice where id = $1";
    private static final String ACKNOWLEDGED = "update copyright_notice set acknowledged_at = now() where id = $1";

    private final Pool pool;
    private final Throttle throttle;
    private final MailQueue mails;

    private final com.harmony.platform.Audit audit;

    CopyrightNoticeService(Pool pool, Throttle throttle, MailQueue mails, com.harmony.platform.Audit audit) {
        this.audit = audit;
        this.pool = pool;
        this.throttle = throttle;
        this.mails = mails;
    }

    /**
     * Files the notice and answers its id. The acknowledgement is queued with it (acknowledged_at is
     * when it was queued) and mailed after the commit, so a mail server that is down never holds up the
     * answer nor loses the acknowledgement.
     */
    public Uni<UUID> file(Notice n, String clientIp) {
        UUID id = UUID.randomUUID();
        PostalAddress a = n.address();
        Tuple row = Tuple.from(new Object[] {id, n.signature().strip(), blankToNull(n.copyrightOwner()), n.copyrightedWork().strip(),
                n.infringingMaterial().strip(), n.infringingUrls().stream().map(String::strip).distinct().toArray(String[]::new),
                a.name().strip(), a.line1().strip(), blankToNull(a.line2()), a.city().strip(), blankToNull(a.region()),
                a.postalCode().strip(), a.country(), n.phone().strip(), n.email().strip()});
        return throttle.acquire(Throttle.Limit.of("copyright-notice:" + ClientAddress.bucket(clientIp), LIMIT_PER_HOUR, Duration.ofHours(1)))
                // the notice and its acknowledgement commit together: the mail is sent when the mail server takes it
                .chain(() -> pool.withTransaction(conn -> conn.preparedQuery(INSERT).execute(row)
                        .chain(() -> mails.queue(conn, null, MailQueue.Message.text(n.email().strip(), "We received your copyright notice " + id,
                                acknowledgement(id, n))))
                        .chain(() -> conn.preparedQuery(ACKNOWLEDGED).execute(Tuple.of(id)))))
                .invoke(mails::sendSoon)
                .replaceWith(id);
    }

    /** The queue, newest first, optionally only open or only handled notices. */
    public Uni<String> list(Status status, int limit, String cursor) {
        return QUEUE.page(pool, "status", status == null ? null : status.wire(), limit, cursor);
    }

    public Uni<String> get(UUID id) {
        return pool.preparedQuery(ONE).execute(Tuple.of(id)).map(rows -> {
            var row = Rows.first(rows);
            if (row == null) {
                throw ProblemException.notFound("Copyright notice");
            }
            return Rows.doc(row);
        });
    }

    /** Records the outcome of an open notice; a second handling is a 409, never an overwrite. */
    public Uni<String> handle(UUID id, Outcome outcome, String note, UUID agent) {
        com.harmony.platform.Audit.Entry entry = audit.entry("copyright_notice.handled", "copyright_notice", id, null);
        return pool.withTransaction(conn -> conn.preparedQuery(HANDLE).execute(Tuple.of(id, outcome.wire(), note.strip(), agent))
                .chain(rows -> rows.size() > 0 ? audit.write(conn, entry).replaceWith(Rows.doc(rows.iterator().next()))
                        : whyNotOpen(conn, id)));
    }

    private static Uni<String> whyNotOpen(SqlConnection conn, UUID id) {
        return conn.preparedQuery(STATUS).execute(Tuple.of(id)).map(rows -> {
            if (Rows.first(rows) == null) {
                throw ProblemException.notFound("Copyright notice");
            }
            throw new ProblemException(LegalProblems.NOTICE_ALREADY_HANDLED, "This notice was handled before.");
        });
    }

    /**
     * Quotes nothing the sender wrote (name, URLs): the endpoint is public, so whatever it echoed could be
     * mailed in the company's name to any address. The reference is enough to find the notice.
     */
    private static String acknowledgement(UUID id, Notice n) {
        return """
                Hello,

                We received a notice of claimed copyright infringement under 17 U.S.C. § 512(c) sent with this email
                address. Its reference is %s; please quote it if you write to us about it. It lists %d location(s).

                Our copyright agent will review the notice. This is an automatic acknowledgement, not a decision
                about the claim. If you did not send it, you can ignore this email.
                """.formatted(id, n.infringingUrls().stream().map(String::strip).distinct().count());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
