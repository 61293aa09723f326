package com.harmony.feedback;

import com.harmony.platform.ClientAddress;
import com.harmony.platform.NewestFirst;
import com.harmony.platform.ProblemException;
import com.harmony.platform.Rows;
import com.harmony.platform.Throttle;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

/**
 * Comments and suggestions (P6) from customers and visitors: kept with the account (or visitor) that
 * sent them, read back by their sender, and worked through by staff, who resolve each one once.
 */
@ApplicationScoped
public class FeedbackService {

    /** What the feedback is about. */
    public enum Topic {
        PRODUCT, ORDER, DELIVERY, WEBSITE, PRIVACY, OTHER;

        public static final String WIRE = "product|order|delivery|website|privacy|other";

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Topic of(String wire) {
            return valueOf(wire.toUpperCase(Locale.ROOT));
        }
    }

    /** Open until staff resolve it. */
    public enum Status {
        OPEN, RESOLVED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Who sent it: the signed-in account, else a proven visitor, else nobody known (both null). */
    public record Sender(UUID accountId, UUID visitorId) {
    }

    /** Per client address (an IPv6 /64): enough for anyone with something to say, too few to fill the table. */
    static final int LIMIT_PER_HOUR = 10;

    /** What the sender reads back: never the staff note or who resolved it. */
    private static final String MINE = """
            json_build_object('id', f.id, 'topic', f.topic, 'message', f.message, 'contact_email', f.contact_email,
                'status', f.status, 'created_at', rfc3339(f.created_at), 'resolved_at', rfc3339(f.resolved_at))::text""";
    private static final String STAFF = """
            json_build_object('id', f.id, 'topic', f.topic, 'message', f.message, 'contact_email', f.contact_email,
                'account_id', f.account_id, 'visitor_id', f.visitor_id, 'status', f.status, 'resolution_note', f.resolution_note,
                'resolved_by', f.resolved_by, 'resolved_at', rfc3339(f.resolved_at), 'created_at', rfc3339(f.created_at))::text""";
    private static final NewestFirst MY_LIST = new NewestFirst("feedback f", "f", "created_at", "my-feedback", MINE);
    private static final NewestFirst STAFF_LIST = new NewestFirst("feedback f", "f", "created_at", "feedback", STAFF);
    private static final String INSERT = """
            insert into feedback as f (id, account_id, visitor_id, topic, message, contact_email) values ($1, $2, $3, $4, $5, $6)
            returning""" + " " + MINE + " as doc";
    private static final String RESOLVE = """
            update feedback f set status = 'resolved', resolution_note = $2, resolved_by = $3, resolved_at = now()
            where f.id = $1 and f.status = 'open' returning""" + " " + STAFF + " as doc";
    private static final String STATUS = "select status from feedback where id = $1";

    private final Pool pool;
    private final Throttle throttle;

    private final com.harmony.platform.Audit audit;

    FeedbackService(Pool pool, Throttle throttle, com.harmony.platform.Audit audit) {
        this.audit = audit;
        this.pool = pool;
        this.throttle = throttle;
    }

    /** Files one comment or suggestion; the sender's view of it. */
    public Uni<String> submit(Sender sender, Topic topic, String message, String contactEmail, String clientIp) {
        UUID visitor = sender.accountId() == null ? sender.visitorId() : null;
        Tuple row = Tuple.from(new Object[] {UUID.randomUUID(), sender.accountId(), visitor, topic.wire(), message.strip(),
                contactEmail == null || contactEmail.isBlank() ? null : contactEmail.strip()});
        return throttle.acquire(Throttle.Limit.of("feedback:" + ClientAddress.bucket(clientIp), LIMIT_PER_HOUR, Duration.ofHours(1)))
                .chain(() -> pool.withTransaction(conn -> conn.preparedQuery(INSERT).execute(row)))
                .map(FeedbackService::doc);
    }

    /** The account's own feedback, newest first. */
    public Uni<String> mine(UUID accountId, int limit, String cursor) {
        return MY_LIST.page(pool, "account_id", accountId, limit, cursor);
    }

    /** Everyone's feedback for staff, newest first, optionally only open or only resolved. */
    public Uni<String> list(Status status, int limit, String cursor) {
        return STAFF_LIST.page(pool, "status", status == null ? null : status.wire(), limit, cursor);
    }

    /** Resolves open feedback with the staff member's note; a second resolution is a 409, never an overwrite. */
    public Uni<String> resolve(UUID id, String note, UUID staff) {
        com.harmony.platform.Audit.Entry entry = audit.entry("feedback.resolved", "feedback", id, null).about("select account_id from feedback where id = $5::varchar::uuid");
        return pool.withTransaction(conn -> conn.preparedQuery(RESOLVE).execute(Tuple.of(id, note.strip(), staff))
                .chain(rows -> rows.size() > 0 ? audit.write(conn, entry).replaceWith(doc(rows)) : whyNotOpen(conn, id)));
    }

    private static Uni<String> whyNotOpen(SqlConnection conn, UUID id) {
        return conn.preparedQuery(STATUS).execute(Tuple.of(id)).map(rows -> {
            if (Rows.first(rows) == null) {
                throw ProblemException.notFound("Feedback");
            }
            throw new ProblemException(FeedbackProblems.ALREADY_RESOLVED, "This feedback was resolved before.");
        });
    }

    private static String doc(RowSet<Row> rows) {
        return Rows.doc(rows.iterator().next());
    }
}
