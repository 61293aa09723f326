package com.harmony.platform;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;

/**
 * The platform's tables in privacy requests and retention (P24, P28): stored answers to repeated
 * commands, outbox events, queued mail, throttles and the audit log. It runs before every feature (order 10),
 * because stored answers and events reach the person through the feature rows (an order's email)
 * that the features' own erasure removes.
 *
 * <p>A throttle's key is the keyed digest of an IP address, email, account id or order number with a
 * prefix, so the map's path finds no row. Erasure recomputes the keys of the person's email and account
 * ({@link #throttleKeys}) and deletes those; the rest go a day after their window, with {@link #purge}.
 */
@ApplicationScoped
public class PlatformPersonalData implements PersonalData {

    private static final List<String> TABLES = List.of("idempotency_key", "outbox", "mail_queue", "rate_limit", "audit_log");
    private static final DataMap MAP = DataMap.load();

    /**
     * A stored answer holding the person's email (a guest buyer's order in the account holder's
     * checkout answer, an order a staff member moved) is reached by the email as a JSON string.
     */
    private static final String DELETE_ANSWERS_WITH_EMAIL = """
            delete from idempotency_key where strpos(lower(response_body), '"' || lower($1) || '"') > 0""";
    private static final String DELETE_PUBLISHED = "delete from outbox t where t.status = 'published' and %s";
    /** Top-level payload fields that hold a person's identity or contact data; addresses keep only their country. */
    private static final String PERSONAL_KEYS = "array['email', 'name', 'phone', 'ip', 'user_agent', 'billing_postal_code', 'payment']";
    private static final String SCRUBBED = """
            (t.payload - %1$s::text[] - 'ship_to' - 'shipping_address')
            || case when t.payload ? 'ship_to' then jsonb_build_object('ship_to', jsonb_build_object('country', t.payload->'ship_to'->'country'))
                    else '{}'::jsonb end
            || case when t.payload ? 'shipping_address'
                    then jsonb_build_object('shipping_address', jsonb_build_object('country', t.payload->'shipping_address'->'country'))
                    else '{}'::jsonb end""".formatted(PERSONAL_KEYS);
    private static final String STILL_PERSONAL = """
            (t.payload ?| %1$s::text[]
             or t.payload ? 'ship_to' and t.payload->'ship_to' is distinct from jsonb_build_object('country', t.payload->'ship_to'->'country')
             or t.payload ? 'shipping_address'
                and t.payload->'shipping_address' is distinct from jsonb_build_object('country', t.payload->'shipping_address'->'country'))"""
            .formatted(PERSONAL_KEYS);
    /** A customer's own account id in a pending event becomes the pseudonym; $2 the pseudonym, $3 the account id. */
    private static final String SCRUB_PENDING_OF_ACCOUNT = """
            update outbox t set payload = %1$s
                || case when t.payload->>'account_id' = $3::text then jsonb_build_object('account_id', $2::text) else '{}'::jsonb end
            where t.status = 'pending' and %%s and (%2$s or t.payload->>'account_id' = $3::text)""".formatted(SCRUBBED, STILL_PERSONAL);
    /** A guest buyer's events keep the account id: it is the account holder's, who may be someone else. */
    private static final String SCRUB_PENDING = """
            update outbox t set payload = %1$s where t.status = 'pending' and %%s and %2$s""".formatted(SCRUBBED, STILL_PERSONAL);
    /** The one UPDATE the audit log lets through (V27): the subject becomes the pseudonym, once, marked as erased. */
    private static final String PSEUDONYMISE_AUDIT = """
            with u as (
                update audit_log t set subject_account_id = $2::uuid, target_id = replace(t.target_id, t.subject_account_id::text, $2::uuid::text),
                    subject_erased_at = now()
                where t.subject_account_id = $1 and t.subject_erased_at is null returning t.occurred_at)
            select count(*) as n, max(occurred_at) as newest from u""";

    private static final String PURGE_PUBLISHED = """
            delete from outbox where status = 'published' and published_at < now() - $1 * interval '1 millisecond'""";
    private static final String PURGE_MAIL = "delete from mail_queue where created_at < now() - $1 * interval '1 millisecond'";
    private static final String PURGE_IDEMPOTENCY = "delete from idempotency_key where expires_at <= now()";
    private static final String PURGE_RATE_LIMITS = """
            delete from rate_limit where window_start < now() - interval '1 day' and coalesce(locked_until, now()) <= now()""";
    /** V27 lets nothing younger than seven years go, whatever the map says. */
    private static final String PURGE_AUDIT = "delete from audit_log where occurred_at < now() - $1::text::interval";

    private final OutboxConfig outbox;
    private final MailConfig mail;

    PlatformPersonalData(OutboxConfig outbox, MailConfig mail) {
        this.outbox = outbox;
        this.mail = mail;
    }

    @Override
    public String feature() {
        return "platform";
    }

    @Override
    public List<String> tables() {
        return TABLES;
    }

    @Override
    public int order() {
        return 10;
    }

    private static final String DELETE_THROTTLES = "delete from rate_limit where key = any($1)";

    /**
     * The throttle keys that name the person, as stored (digests): their email's (reset mails, privacy requests) and their
     * account's (privacy requests, password checks). Keys of an address, or of an email with an address (sign-in failures),
     * cannot be recomputed from what erasure knows; they go a day after their window.
     */
    static String[] throttleKeys(Person person) {
        List<String> keys = new ArrayList<>();
        if (person.email() != null && !person.email().isBlank()) {
            String email = person.email().strip().toLowerCase(java.util.Locale.ROOT);
            keys.add(Throttle.RESET_MAIL_EMAIL + email);
            keys.add(Throttle.PRIVACY_REQUEST_EMAIL + email);
        }
        if (person.accountId() != null) {
            keys.add(Throttle.PRIVACY_REQUEST_ACCOUNT + person.accountId());
            keys.add(Throttle.PASSWORD_CHECK_ACCOUNT + person.accountId());
        }
        return keys.stream().map(Throttle::digest).toArray(String[]::new);
    }

    @Override
    public Uni<List<Erased>> erase(SqlConnection conn, Person person) {
        List<Erased> out = new ArrayList<>();
        return MappedRows.ready(conn)
                .chain(() -> MappedRows.delete(conn, "idempotency_key", person))
                .chain(keys -> deleteAnswersAboutTheirOrders(conn, person).map(n -> keys.rows() + n))
                // by the account's own email only: a guest buyer's answers are those about the orders they proved theirs
                // (above), and another account's answer holding an email an entrant owns is about that account's own order
                .chain(n -> person.email() == null || person.kind() != DataMap.Subject.CUSTOMER ? Uni.createFrom().item(n)
                        : conn.preparedQuery(DELETE_ANSWERS_WITH_EMAIL).execute(Tuple.of(person.email())).map(rows -> n + rows.rowCount()))
                .map(n -> Erased.deleted("idempotency_key", n))
                .invoke(out::add)
                .chain(() -> eraseEvents(conn, person))
                .invoke(out::add)
                // mail not sent yet goes unsent: a welcome or a link is no use to someone whose account is erased
                .chain(() -> MappedRows.delete(conn, "mail_queue", person))
                .invoke(out::add)
                .chain(() -> MappedRows.delete(conn, "rate_limit", person))
                .chain(mapped -> conn.preparedQuery(DELETE_THROTTLES).execute(Tuple.of((Object) throttleKeys(person)))
                        .map(rows -> PersonalData.Erased.deleted("rate_limit", mapped.rows() + rows.rowCount())))
                .invoke(out::add)
                .chain(() -> eraseAudit(conn, person))
                .invoke(out::add)
                .map(x -> out);
    }

    /**
     * Staff answers (scope account:<staff id>) about the person's orders, a refund's note or a return decision
     * naming them, found by the order id in the body; this runs first of all features, while the orders still
     * lead to the person.
     */
    private static Uni<Long> deleteAnswersAboutTheirOrders(SqlConnection conn, Person person) {
        String mentioning = MappedRows.mentioning("idempotency_key", "response_body", person);
        return mentioning == null ? Uni.createFrom().item(0L)
                : conn.preparedQuery("delete from idempotency_key t where " + mentioning).execute(MappedRows.key(person)).map(rows -> (long) rows.rowCount());
    }

    /**
     * A published event has reached its processor: it goes. A pending one must still reach it, with
     * its names, address lines and phone removed and a customer's account id replaced by the pseudonym.
     * A rewritten event no longer matches, so a second run reports nothing.
     */
    private Uni<Erased> eraseEvents(SqlConnection conn, Person person) {
        String where = MappedRows.where("outbox", person);
        if (where == null) {
            return Uni.createFrom().item(Erased.pseudonymised("outbox", 0, List.of("payload")));
        }
        Tuple pending = MappedRows.key(person);
        if (person.accountId() != null) {
            pending.addValue(person.pseudonym().toString()).addValue(person.accountId().toString());
        }
        String scrub = (person.accountId() != null ? SCRUB_PENDING_OF_ACCOUNT : SCRUB_PENDING).formatted(where);
        return conn.preparedQuery(DELETE_PUBLISHED.formatted(where)).execute(MappedRows.key(person))
                .chain(deleted -> conn.preparedQuery(scrub).execute(pending)
                        .map(rewritten -> Erased.pseudonymised("outbox", deleted.rowCount() + rewritten.rowCount(), List.of("payload"))));
    }

    private Uni<Erased> eraseAudit(SqlConnection conn, Person person) {
        String rule = MAP.table("audit_log").retention().rule();
        if (person.accountId() == null) {
            return Uni.createFrom().item(Erased.kept("audit_log", 0, List.of("subject_account_id", "target_id"), rule, null));
        }
        Period period = Period.parse(MAP.table("audit_log").retention().period());
        return conn.preparedQuery(PSEUDONYMISE_AUDIT).execute(Tuple.of(person.accountId(), person.pseudonym())).map(rows -> {
            Row r = Rows.first(rows);
            OffsetDateTime newest = r.getOffsetDateTime("newest");
            return Erased.kept("audit_log", r.getLong("n"), List.of("subject_account_id", "target_id"), rule,
                    newest == null ? null : newest.plus(period));
        });
    }

    @Override
    public Uni<List<Purged>> purge(SqlConnection conn) {
        List<Purged> out = new ArrayList<>();
        return run(conn, out, "outbox", PURGE_PUBLISHED, outbox.keepPublished().toMillis())
                .chain(() -> run(conn, out, "mail_queue", PURGE_MAIL, mail.giveUpAfter().toMillis()))
                .chain(() -> run(conn, out, "idempotency_key", PURGE_IDEMPOTENCY))
                .chain(() -> run(conn, out, "rate_limit", PURGE_RATE_LIMITS))
                .chain(() -> run(conn, out, "audit_log", PURGE_AUDIT, MAP.table("audit_log").retention().period()))
                .map(x -> out);
    }

    private static Uni<Void> run(SqlConnection conn, List<Purged> out, String table, String sql, Object... params) {
        return conn.preparedQuery(sql).execute(Tuple.from(params))
                .invoke(rows -> out.add(new Purged(table, MAP.table(table).retention().rule(), rows.rowCount()))).replaceWithVoid();
    }
}
