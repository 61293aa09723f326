package com.harmony.privacy;

import com.harmony.platform.DataMap;
import com.harmony.platform.MappedRows;
import com.harmony.platform.PersonalData;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The privacy feature's own records of a person: their requests and trails, documents, the
 * recipients told of an erasure, disclosures and legal holds. Requests and disclosures are kept as
 * proof with the address removed; documents, being copies, are deleted.
 */
@ApplicationScoped
class PrivacyPersonalData implements PersonalData {

    private static final DataMap MAP = DataMap.load();
    private static final List<String> TABLES = List.of("privacy_request", "privacy_request_event", "privacy_request_recipient", "privacy_document",
            "privacy_document_chunk", "disclosure", "legal_hold");
    /** Copies of the person's data (and a link's digest): an export holds the originals, never earlier copies. */
    private static final List<String> NOT_EXPORTED = List.of("privacy_document", "privacy_document_chunk");

    /** The requests' rows of the tables that hang off a request, for a condition on alias r. */
    private static final List<String> OF_REQUESTS = List.of("privacy_request_event", "privacy_request_recipient", "privacy_document",
            "privacy_document_chunk");

    /** How a hold that stops an erasure is named in the request's reason, before the hold's own reason. */
    static final String HOLD_APPLIES = "a legal hold applies:";

    /** What an erasure stopped by a hold says, once its person was erased: the hold's reason, free text that may name them, goes. */
    static final String HOLD_REMOVED = "Your data could not be erased then: a legal hold applied (its reason was removed with the data)";

    /** What a request staff rejected says, once its person was erased: staff's reason is free text, like their notes (which go too). */
    static final String STAFF_REASON_REMOVED = "rejected by staff (the reason was removed with the data)";

    /** What a completed export or access request says when its document went, its link unused, with the person's erasure. */
    static final String DOCUMENT_ERASED = "Its document was erased with the erasure of the data it concerned, before it was downloaded";

    /** What a lifted hold's reason says once the person it concerned was erased. */
    static final String ERASED_REASON = "(removed: the person this hold concerned was erased)";

    static final String EXPIRE = """
            with r as (update privacy_request set status = 'expired', token_hash = null, closed_at = now()
                       where status = 'awaiting_confirmation' and token_expires_at <= now() returning id)
            insert into privacy_request_event (request_id, status, note) select id, 'expired', 'not confirmed in time' from r""";

    private final PrivacyConfig config;

    PrivacyPersonalData(PrivacyConfig config) {
        this.config = config;
    }

    @Override
    public String feature() {
        return "privacy";
    }

    @Override
    public List<String> tables() {
        return TABLES;
    }

    /** Staff reads of one of these records name the customer they concern (P24). */
    @Override
    public java.util.Map<String, String> recordOwners() {
        return java.util.Map.of("privacy-requests", "select account_id from privacy_request where id = %s");
    }

    /** After every feature that may file or mention a request, before the account goes. */
    @Override
    public int order() {
        return 800;
    }

    /**
     * The access summary counts what erasure reaches: the map's rows and, for a customer or the owner of an email (an
     * entrant: every requester is the one of the address their request was confirmed from), those filed under the email.
     */
    @Override
    public Uni<Map<String, Long>> find(SqlConnection conn, List<Person> people) {
        String email = email(people);
        return email == null ? PersonalData.super.find(conn, people) : MappedRows.count(conn, TABLES, people, beyondMap(people), email);
    }

    /** The export shows the same rows. */
    @Override
    public Multi<Exported> export(SqlConnection conn, List<Person> people, String table) {
        if (NOT_EXPORTED.contains(table)) {
            return Multi.createFrom().empty();
        }
        String email = email(people);
        Map<String, String> beyond = beyondMap(people);
        return email == null || !beyond.containsKey(table) ? PersonalData.super.export(conn, people, table)
                : MappedRows.stream(conn, table, people, beyond.get(table), email).map(json -> new Exported(table, json));
    }

    /** The email the request was confirmed from, as the people it covers carry it (one address for all of them). */
    private static String email(List<Person> people) {
        return people.stream().filter(p -> beyondMap("r", "$?", p) != null && p.email() != null).map(Person::email).findFirst().orElse(null);
    }

    /** Per table, what the people's requests and holds beyond the map's paths are, with the email as parameter $?. */
    private static Map<String, String> beyondMap(List<Person> people) {
        List<String> requests = people.stream().map(p -> beyondMap("r", "$?", p)).filter(java.util.Objects::nonNull).toList();
        List<String> holds = people.stream().filter(PrivacyPersonalData::byEmail).map(p -> noAccountUnder("t", "$?")).distinct().toList();
        Map<String, String> out = new java.util.HashMap<>();
        if (!requests.isEmpty()) {
            String any = "(" + String.join(" or ", requests) + ")";
            out.put("privacy_request", "t.id in (select r.id from privacy_request r where " + any + ")");
            OF_REQUESTS.forEach(t -> out.put(t, "t.request_id in (select r.id from privacy_request r where " + any + ")"));
        }
        if (!holds.isEmpty()) {
            out.put("legal_hold", holds.get(0));
        }
        return out;
    }

    /**
     * The person's requests beyond the map's paths (the account's, the browser's), on alias {@code r}, with their email as
     * parameter {@code email}: those filed under the email from a browser (no account, no order), and for a customer or a
     * guest buyer those filed as the guest buyer of an order their account placed (a customer's orders carry the
     * pseudonym once their erasure reached them). Never another account's: a request proving another account's order
     * under a shared email is that buyer's. Null when the person has none beyond the map.
     */
    private static String beyondMap(String r, String email, Person person) {
        String fromBrowser = "(" + r + ".account_id is null and " + r + ".order_id is null and lower(" + r + ".email) = lower(" + email + "::text))";
        return switch (person.kind()) {
            case CUSTOMER -> "(" + fromBrowser + " or (" + r + ".account_id is null and " + r + ".order_id in ("
                    + com.harmony.order.ReturnService.ordersPlacedBy(person.accountId(), person.pseudonym()) + ")))";
            case ENTRANT -> fromBrowser;
            case GUEST_BUYER -> person.provenAccount() == null ? null
                    : "(" + r + ".account_id is null and lower(" + r + ".email) = lower(" + email + "::text) and " + r + ".order_id in ("
                            + com.harmony.order.ReturnService.ordersPlacedBy(person.provenAccount()) + "))";
            default -> null;
        };
    }

    /** Whose requests and holds filed under an email with no account are theirs: a customer's (the account's email) and an entrant's. */
    private static boolean byEmail(Person person) {
        return person.kind() == DataMap.Subject.CUSTOMER || person.kind() == DataMap.Subject.ENTRANT;
    }

    /**
     * A legal hold on the account (a guest buyer's: the proven order's account, whose orders the erasure would reach) or on
     * the address with no account stops erasure; its reason is what the person is told. A hold on another account stops
     * only that account's erasure, whatever address it also names.
     */
    @Override
    public Uni<List<String>> holds(SqlConnection conn, Person person) {
        UUID account = person.accountId() != null ? person.accountId() : person.provenAccount();
        boolean ownAccount = person.accountId() != null;
        return conn.preparedQuery("select reason, account_id from legal_hold where lifted_at is null and (account_id = $1 or account_id is null and lower(email) = lower($2))")
                .execute(Tuple.of(account, person.email()))
                .map(rows -> {
                    List<String> reasons = new ArrayList<>();
                    // a guest buyer is not told the reason of a hold on the account that placed the order: it is that account's
                    rows.forEach(r -> reasons.add(HOLD_APPLIES + " " + (ownAccount || r.getUUID("account_id") == null ? r.getString("reason")
                            : "a hold on the account that placed the order")));
                    return reasons;
                });
    }

    /** A marketing partner received the person's data only in the audience exports the disclosure log names. */
    @Override
    public Uni<java.util.Map<String, List<String>>> references(SqlConnection conn, Person person) {
        String where = MappedRows.where("disclosure", person);
        if (where == null) {
            return Uni.createFrom().item(java.util.Map.of());
        }
        return conn.preparedQuery("select distinct t.export_id from disclosure t where t.export_id is not null and " + where).execute(MappedRows.key(person))
                .map(rows -> {
                    List<String> exports = new ArrayList<>();
                    rows.forEach(r -> exports.add("audience-export:" + r.getValue(0)));
                    return exports.isEmpty() ? java.util.Map.of() : java.util.Map.of("marketing_partner", exports);
                });
    }

    @Override
    public Uni<List<Erased>> erase(SqlConnection conn, Person person) {
        List<Erased> done = new ArrayList<>();
        if (MappedRows.where("privacy_request", person) == null && !byEmail(person)) {
            return Uni.createFrom().item(done);
        }
        return MappedRows.ready(conn).chain(() -> undelivered(conn, person)).chain(() -> deleteDocuments(conn, "privacy_document_chunk", person))
                .invoke(done::add)
                .chain(() -> deleteDocuments(conn, "privacy_document", person)).invoke(done::add)
                .chain(() -> forgetRequests(conn, person)).invoke(done::add)
                .chain(() -> forgetDisclosures(conn, person)).invoke(done::add)
                .chain(() -> forgetLiftedHolds(conn, person)).invoke(done::add)
                .map(x -> done);
    }

    /**
     * The person's requests: the map's (the account's, the browser's, a guest buyer's proven orders') and those beyond it
     * ({@link #beyondMap(String, String, Person)}). $1 the map's key, $2 the person's email (null when it reaches none).
     */
    private static String requests(Person person) {
        String mapped = MappedRows.where("privacy_request", person);
        String beyond = beyondMap("t", "$2", person);
        return "(" + (mapped == null ? "($1::text is null and false)" : mapped) + " or " + (beyond == null ? "($2::text is null and false)" : beyond) + ")";
    }

    /**
     * Holds placed under the person's email with no account are theirs too (a customer's or an email owner's). $1 the map's
     * key, $2 the customer's or entrant's email (null for anyone else).
     */
    private static String holds(Person person) {
        String mapped = MappedRows.where("legal_hold", person);
        return "(" + (mapped == null ? noAccountUnder("t", "$1") : mapped) + " or " + noAccountUnder("t", "$2") + ")";
    }

    /**
     * Rows of no account under the email in parameter {@code param}: only those, since another account's own request
     * or hold under an address this one has now is not this one's.
     */
    private static String noAccountUnder(String alias, String param) {
        return "(" + alias + ".account_id is null and lower(" + alias + ".email) = lower(" + param + "::text))";
    }

    private static Tuple mineKey(Person person) {
        return MappedRows.key(person).addString(byEmail(person) || person.kind() == DataMap.Subject.GUEST_BUYER ? person.email() : null);
    }

    /**
     * An export or access summary completed but not yet downloaded through its link loses its document with the rest:
     * the request then says so (its reason and trail), instead of reading as delivered.
     */
    private static Uni<Void> undelivered(SqlConnection conn, Person person) {
        // the documents locked first: a link used in the meantime waits for the erasure, then finds its document gone
        String sql = """
                with d as (select d.request_id from privacy_document d join privacy_request t on t.id = d.request_id
                           where d.downloaded_at is null and d.expires_at > now() and t.status = 'completed' and %s
                           for update of d),
                     r as (update privacy_request t set reason = $3::text from d where t.id = d.request_id returning t.id, t.status)
                insert into privacy_request_event (request_id, status, note) select id, status, $3::text from r"""
                .formatted(requests(person));
        return conn.preparedQuery(sql).execute(mineKey(person).addString(DOCUMENT_ERASED)).replaceWithVoid();
    }

    /** Documents are copies of the data, deleted for every request of the person's, however it was filed. */
    private static Uni<Erased> deleteDocuments(SqlConnection conn, String table, Person person) {
        String sql = "delete from " + table + " d where d.request_id in (select t.id from privacy_request t where " + requests(person) + ")";
        return conn.preparedQuery(sql).execute(mineKey(person)).map(rows -> Erased.deleted(table, rows.rowCount()));
    }

    /**
     * The person's requests stay as proof without the address, corrections, order or a staff note that
     * may name them; open ones are closed, since the data they concern is gone. The erasure being carried
     * out keeps its address until its answer is sent (RequestOutcomes then removes it).
     */
    private static Uni<Erased> forgetRequests(SqlConnection conn, Person person) {
        // $3 a hold's mark in a reason (a LIKE pattern), $4 what a hold's reason becomes, $5 what staff's reason becomes
        String sql = """
                with r as (update privacy_request t set email = 'erased-' || t.id || '@erased.invalid', corrections = null, token_hash = null,
                               order_id = null, result = t.result - 'note',
                               status = case when t.status in ('awaiting_confirmation', 'confirmed') then 'rejected' else t.status end,
                               reason = case when t.status in ('awaiting_confirmation', 'confirmed') then 'the data it concerned was erased'
                                             when t.reason like $3::text then $4::text
                                             when exists (select 1 from privacy_request_event s where s.request_id = t.id and s.actor_id is not null
                                                          and s.status = 'rejected') then $5::text
                                             else t.reason end,
                               closed_at = coalesce(t.closed_at, now())
                           where %s and t.email not like '%%@erased.invalid' and not (t.kind = 'erasure' and t.status in ('confirmed', 'processing'))
                           returning t.id, t.status, t.closed_at),
                     e as (insert into privacy_request_event (request_id, status, note)
                           select id, status, 'closed by the erasure of the data it concerned' from r where status = 'rejected' and closed_at = now()),
                     h as (update privacy_request_event x set note = case when x.actor_id is not null then null else $4::text end
                           from r where x.request_id = r.id and (x.actor_id is not null or x.note like $3::text))
                select count(*) as n, max(closed_at) as newest from r""".formatted(requests(person));
        Tuple params = mineKey(person).addString("%" + HOLD_APPLIES + "%").addString(HOLD_REMOVED).addString(STAFF_REASON_REMOVED);
        return conn.preparedQuery(sql).execute(params).map(rows -> {
            Row r = rows.iterator().next();
            return Erased.kept("privacy_request", r.getLong("n"), List.of("email", "corrections", "order_id"), rule("privacy_request"),
                    r.getOffsetDateTime("newest") == null ? null : r.getOffsetDateTime("newest").plusYears(3));
        });
    }

    private static Uni<Erased> forgetDisclosures(SqlConnection conn, Person person) {
        String where = MappedRows.where("disclosure", person);
        if (where == null) {
            return Uni.createFrom().item(Erased.kept("disclosure", 0, List.of(), rule("disclosure"), null));
        }
        String sql = """
                with d as (update disclosure t set account_id = null, note = null where %s returning t.disclosed_at)
                select count(*) as n, max(disclosed_at) as newest from d""".formatted(where);
        return conn.preparedQuery(sql).execute(MappedRows.key(person)).map(rows -> {
            Row r = rows.iterator().next();
            OffsetDateTime newest = r.getOffsetDateTime("newest");
            return Erased.kept("disclosure", r.getLong("n"), List.of("account_id", "note"), rule("disclosure"),
                    newest == null ? null : newest.plusYears(7));
        });
    }

    /**
     * A hold in force stopped this erasure already; lifted ones stay as a record (who placed and lifted it, when), without
     * the person's identity: the reason is staff's free text and may name them, so it goes like a staff note.
     */
    private static Uni<Erased> forgetLiftedHolds(SqlConnection conn, Person person) {
        if (MappedRows.where("legal_hold", person) == null) {
            return Uni.createFrom().item(Erased.kept("legal_hold", 0, List.of(), rule("legal_hold"), null));
        }
        String sql = """
                with h as (update legal_hold t set account_id = $3, email = null, reason = '%s' where t.lifted_at is not null and %s returning t.lifted_at)
                select count(*) as n, max(lifted_at) as newest from h""".formatted(ERASED_REASON, holds(person));
        return conn.preparedQuery(sql).execute(mineKey(person).addUUID(person.pseudonym())).map(rows -> {
            Row r = rows.iterator().next();
            OffsetDateTime newest = r.getOffsetDateTime("newest");
            return Erased.kept("legal_hold", r.getLong("n"), List.of("account_id", "email", "reason"), rule("legal_hold"),
                    newest == null ? null : newest.plusYears(3));
        });
    }

    private static String rule(String table) {
        return MAP.table(table).retention().rule();
    }

    /** Unconfirmed requests expire; expired documents, old closed requests, lifted holds and old run logs go. */
    @Override
    public Uni<List<Purged>> purge(SqlConnection conn) {
        List<Purged> done = new ArrayList<>();
        return count(conn, EXPIRE, Tuple.tuple(), "privacy_request", "unconfirmed requests expire", done)
                .chain(() -> count(conn, "delete from privacy_document where expires_at <= now()", Tuple.tuple(), "privacy_document",
                        "documents and their links are deleted when they expire", done))
                .chain(() -> count(conn, """
                        delete from privacy_request where closed_at < now() - $1 * interval '1 millisecond'
                            and status in ('completed', 'rejected', 'expired')""", Tuple.of(config.keepClosedRequests().toMillis()), "privacy_request",
                        "closed requests are deleted after the proof period", done))
                .chain(() -> count(conn, "delete from disclosure where disclosed_at < now() - interval '7 years'", Tuple.tuple(), "disclosure",
                        "disclosure records are deleted seven years after the disclosure", done))
                .chain(() -> count(conn, "delete from legal_hold where lifted_at < now() - interval '3 years'", Tuple.tuple(), "legal_hold",
                        "lifted holds are deleted three years after they were lifted", done))
                .chain(() -> count(conn, "delete from retention_run where started_at < now() - interval '1 year'", Tuple.tuple(), "retention_run",
                        "retention run logs are deleted after a year", done))
                .map(x -> done);
    }

    private static Uni<Void> count(SqlConnection conn, String sql, Tuple args, String table, String rule, List<Purged> done) {
        return conn.preparedQuery(sql).execute(args).invoke(rows -> done.add(new Purged(table, rule, rows.rowCount()))).replaceWithVoid();
    }
}
