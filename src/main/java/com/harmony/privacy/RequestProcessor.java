package com.harmony.privacy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.harmony.platform.DataMap;
import com.harmony.platform.Hashes;
import com.harmony.platform.Outbox;
import com.harmony.platform.PersonalData.Erased;
import com.harmony.platform.PersonalData.Person;
import com.harmony.platform.PersonalData;
import com.harmony.platform.Rows;
import com.harmony.platform.ScheduledRounds;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Carries out confirmed export, access and erasure requests (P13, P28, P29). A job on every instance
 * claims one request at a time with FOR UPDATE SKIP LOCKED and does all of its work in that
 * transaction: a crash rolls everything back and the request is claimed again, so a person is never
 * left half-erased and a document never half-written. Each feature's {@link PersonalData} finds,
 * exports and erases its own tables; this class only orchestrates.
 */
@ApplicationScoped
public class RequestProcessor {

    private static final Logger LOG = Logger.getLogger(RequestProcessor.class);
    private static final DataMap MAP = DataMap.load();
    /** A chunk of a document is stored once this many characters are buffered. */
    private static final int CHUNK = 64 * 1024;
    private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>> MAP_TYPE = new com.fasterxml.jackson.core.type.TypeReference<>() {
    };

    /** Recipients that get data only sometimes (a partner, only in an audience export): told only when a record shows they got it. */
    private static final Set<String> CONDITIONAL = Set.of("marketing_partner");

    static final String NOTICE_TOPIC = "privacy.erasure-notice";
    static final String CLOSED_TOPIC = "privacy.request-closed";

    private static final String CLAIM = """
            select id, kind, subject_kind, account_id, visitor_id, email, order_id, rfc3339(created_at) as filed_at from privacy_request
            where status = 'confirmed' and kind in ('export', 'access', 'erasure') and (next_attempt_at is null or next_attempt_at <= now())
            order by due_at limit 1 for update skip locked""";
    private static final String FAILED = """
            update privacy_request set attempts = attempts + 1, last_error = $2,
                next_attempt_at = now() + least(power(2, attempts + 1), 3600) * interval '1 second'
            where id = $1""";
    private static final String CLOSE = """
            with r as (update privacy_request set status = $2, closed_at = now(), result = $3, reason = $4 where id = $1 returning id)
            insert into privacy_request_event (request_id, status, note) select id, $2, $5 from r""";
    private static final String PROCESSING = """
            with r as (update privacy_request set status = 'processing', result = $2 where id = $1 returning id)
            insert into privacy_request_event (request_id, status, note) select id, 'processing', $3 from r""";
    private static final String CHUNK_INSERT = "insert into privacy_document_chunk (request_id, seq, data) values ($1, $2, $3)";
    private static final String DOCUMENT = """
            insert into privacy_document (request_id, bytes, expires_at) values ($1, 0, now() + $2 * interval '1 millisecond')""";
    private static final String DOCUMENT_DONE = """
            update privacy_document set bytes = $2, expires_at = now() + $3 * interval '1 millisecond' where request_id = $1""";
    private static final String RECIPIENT = """
            insert into privacy_request_recipient (request_id, recipient, notified_at) values ($1, $2, now()) on conflict do nothing""";

    private final Pool pool;
    private final List<PersonalData> features;
    private final Outbox outbox;
    private final PrivacyConfig config;
    private final ObjectMapper json;

    private final com.harmony.visitor.VisitorService visitors;
    private final com.harmony.order.ReturnService orders;

    RequestProcessor(Pool pool, @Any Instance<PersonalData> features, Outbox outbox, PrivacyConfig config, ObjectMapper json,
            com.harmony.visitor.VisitorService visitors, com.harmony.order.ReturnService orders) {
        this.visitors = visitors;
        this.orders = orders;
        this.pool = pool;
        this.features = features.stream().sorted(Comparator.comparingInt(PersonalData::order).thenComparing(PersonalData::feature)).toList();
        this.outbox = outbox;
        this.config = config;
        this.json = json;
    }

    /** Every feature's part, in erasure order. */
    public List<PersonalData> features() {
        return features;
    }

    /**
     * Refuses corrections no feature can apply, naming those that can, then values the owning feature could never apply
     * (each named), so a request never stores a malformed value or a card number (P8) waiting for staff to decline it.
     */
    public void checkCorrections(Map<String, String> corrections) {
        Set<String> known = new java.util.TreeSet<>();
        features.forEach(f -> known.addAll(f.correctable()));
        List<String> unknown = corrections.keySet().stream().filter(f -> !known.contains(f)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new com.harmony.platform.ProblemException(PrivacyProblems.NOT_CORRECTABLE, "These fields cannot be corrected through a request: "
                    + String.join(", ", unknown) + ". Fields that can: " + String.join(", ", known)
                    + ". An email address is changed in the account, with its own confirmation.");
        }
        List<com.harmony.platform.Problem.FieldError> errors = new ArrayList<>();
        for (PersonalData f : features) {
            for (String field : f.correctable()) {
                String value = corrections.get(field);
                String why = value == null ? null : f.invalidCorrection(field, value);
                if (why != null) {
                    errors.add(new com.harmony.platform.Problem.FieldError("corrections." + field, why));
                }
            }
        }
        if (!errors.isEmpty()) {
            errors.sort(java.util.Comparator.comparing(com.harmony.platform.Problem.FieldError::field));
            throw new com.harmony.platform.ProblemException(com.harmony.platform.ProblemType.VALIDATION_FAILED,
                    "The request has invalid fields.", errors, Map.of());
        }
    }

    private static final String LOCK_REQUEST = """
            select id, kind, status, subject_kind, account_id, visitor_id, email, order_id, corrections::text as corrections from privacy_request
            where id = $1 for update""";

    /**
     * Applies the corrections staff verified (P29): each feature applies the fields it owns; the rest
     * are declined. The request completes with what was applied and declined, audited with the change.
     */
    public Uni<Void> rectify(UUID id, List<String> verified, String note, com.harmony.platform.Audit audit, com.harmony.platform.Audit.Entry entry) {
        return pool.withTransaction(conn -> conn.preparedQuery(LOCK_REQUEST).execute(Tuple.of(id)).chain(rows -> {
            Row r = Rows.first(rows);
            if (r == null) {
                throw com.harmony.platform.ProblemException.notFound("Privacy request");
            }
            if (!"rectification".equals(r.getString("kind")) || !"confirmed".equals(r.getString("status"))) {
                throw new com.harmony.platform.ProblemException(PrivacyProblems.WRONG_REQUEST,
                        "Only a confirmed rectification request can be applied; this is a " + r.getString("status") + " " + r.getString("kind") + " request.");
            }
            JsonObject proposed = new JsonObject(r.getString("corrections"));
            // a field the customer never proposed is a slip, not a decision: refused before it closes the request for good
            for (int i = 0; i < verified.size(); i++) {
                if (!proposed.containsKey(verified.get(i))) {
                    throw com.harmony.platform.ProblemException.invalid("verified[" + i + "]", "not among the proposed corrections ("
                            + String.join(", ", proposed.fieldNames().stream().sorted().toList()) + ")");
                }
            }
            Map<String, String> accepted = new LinkedHashMap<>();
            proposed.forEach(e -> {
                if (verified.contains(e.getKey())) {
                    accepted.put(e.getKey(), String.valueOf(e.getValue()));
                }
            });
            List<String> applied = new ArrayList<>();
            return person(conn, r).chain(person -> {
                Uni<Void> chain = Uni.createFrom().voidItem();
                for (PersonalData f : person == null ? List.<PersonalData>of() : features) {
                    Map<String, String> mine = new LinkedHashMap<>(accepted);
                    mine.keySet().retainAll(f.correctable());
                    if (!mine.isEmpty()) {
                        chain = chain.chain(() -> f.rectify(conn, person, mine).invoke(applied::addAll).replaceWithVoid());
                    }
                }
                return chain;
            }).chain(() -> {
                List<String> declined = proposed.fieldNames().stream().filter(k -> !applied.contains(k)).sorted().toList();
                JsonObject result = new JsonObject().put("applied", new JsonArray(applied)).put("declined", new JsonArray(declined)).put("note", note);
                return close(conn, id, "completed", result, null, "applied: " + String.join(", ", applied)).chain(() -> audit.write(conn, entry));
            });
        }));
    }

    @Scheduled(every = "${harmony.privacy.poll-interval:10s}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return ScheduledRounds.retriedNextRound("Privacy requests", processDue());
    }

    /** Carries out confirmed requests until none is due; answers how many were handled. */
    public Uni<Integer> processDue() {
        return Multi.createBy().repeating().uni(this::processOne).whilst(outcome -> outcome != Outcome.NONE_DUE)
                .collect().asList().map(done -> (int) done.stream().filter(o -> o == Outcome.DONE).count());
    }

    private enum Outcome {
        DONE, FAILED, NONE_DUE
    }

    /** One request, all in one transaction. A failure is counted and retried later (after a growing pause), and the next one goes on. */
    private Uni<Outcome> processOne() {
        AtomicReference<UUID> claimed = new AtomicReference<>();
        return pool.withTransaction(conn -> conn.query(CLAIM).execute().chain(rows -> {
                    Row r = Rows.first(rows);
                    if (r == null) {
                        return Uni.createFrom().item(Outcome.NONE_DUE);
                    }
                    claimed.set(r.getUUID("id"));
                    return carryOut(conn, r).replaceWith(Outcome.DONE);
                }))
                .onFailure().recoverWithUni(e -> {
                    UUID id = claimed.get();
                    if (id == null) {
                        return Uni.createFrom().failure(e);
                    }
                    LOG.warnf(e, "Privacy request %s failed; it will be retried", id);
                    return pool.preparedQuery(FAILED).execute(Tuple.of(id, e.getClass().getSimpleName())).replaceWith(Outcome.FAILED);
                });
    }

    private Uni<Void> carryOut(SqlConnection conn, Row r) {
        UUID id = r.getUUID("id");
        return person(conn, r).chain(person -> com.harmony.platform.MappedRows.ready(conn).chain(() -> switch (r.getString("kind")) {
            case "export" -> covered(conn, person, r).chain(people -> document(conn, id, export(conn, r, people)));
            case "access" -> covered(conn, person, r).chain(people -> document(conn, id, access(conn, person, people)));
            default -> erase(conn, r, person);
        }));
    }

    /** Whom an export or access summary covers: the same people an erasure would erase; nobody when the subject is gone. */
    private Uni<List<Person>> covered(SqlConnection conn, Person person, Row r) {
        return person == null ? Uni.createFrom().item(List.of()) : everyone(conn, person, r.getString("email"));
    }

    /** Whose data: null when the subject is gone already (an account erased before), so nothing is held. */
    private Uni<Person> person(SqlConnection conn, Row r) {
        if ("guest_buyer".equals(r.getString("subject_kind"))) {
            // the buyer of the order they proved: its account's orders under the email, never another account's
            UUID order = r.getUUID("order_id");
            return (order == null ? Uni.createFrom().<UUID> nullItem() : orders.buyerAccount(conn, order))
                    .map(account -> Person.guestBuyer(r.getString("email"), account, UUID.randomUUID()));
        }
        return Uni.createFrom().item(accountOrBrowser(r));
    }

    /** A customer's or a visitor's request: whose data needs no look-up. */
    private static Person accountOrBrowser(Row r) {
        if (r.getString("subject_kind") == null) {
            return null;
        }
        UUID pseudonym = UUID.randomUUID();
        return switch (r.getString("subject_kind")) {
            // the account's email too: staff-scoped stored answers (an agent's order update) hold it, not the account id
            case "customer" -> r.getUUID("account_id") == null ? null
                    : new Person(com.harmony.platform.DataMap.Subject.CUSTOMER, r.getUUID("account_id"), null, r.getString("email"), pseudonym);
            case "visitor" -> r.getUUID("visitor_id") == null ? null : Person.visitor(r.getUUID("visitor_id"), pseudonym);
            default -> null;
        };
    }

    // ------------------------------------------------------------------ documents

    /** Writes a document chunk by chunk as the body produces it, then records it and announces it ready. */
    private Uni<Void> document(SqlConnection conn, UUID id, java.util.function.Function<Writer, Uni<Void>> body) {
        Writer out = new Writer(conn, id);
        return conn.preparedQuery(DOCUMENT).execute(Tuple.of(id, config.documentTtl().toMillis()))
                .chain(() -> body.apply(out)).chain(out::flush)
                .chain(() -> conn.preparedQuery(DOCUMENT_DONE).execute(Tuple.of(id, out.bytes, config.documentTtl().toMillis())))
                .chain(() -> conn.preparedQuery(CLOSE).execute(Tuple.from(new Object[] {id, "completed",
                        new JsonObject().put("document_bytes", out.bytes).put("document_expires_in", config.documentTtl().toString()), null,
                        "document ready"})))
                .chain(() -> outbox.append(conn, CLOSED_TOPIC, id, new JsonObject().put("request_id", id.toString())))
                .replaceWithVoid();
    }

    /**
     * The portable copy (P29): per feature, per table, every mapped column of every row of the
     * person (their account and the browsers linked to it) except credentials, streamed from each
     * feature's cursor into chunks.
     */
    private java.util.function.Function<Writer, Uni<Void>> export(SqlConnection conn, Row r, List<Person> people) {
        return out -> {
            Uni<Void> chain = out.write("{\"format\":\"harmony-export/1\",\"request\":{\"id\":\"" + r.getUUID("id") + "\",\"filed_at\":\""
                    + r.getString("filed_at") + "\"},\"subject_kind\":\"" + r.getString("subject_kind") + "\",\"generated_at\":\""
                    + OffsetDateTime.now() + "\",\"features\":{");
            boolean first = true;
            for (PersonalData feature : people.isEmpty() ? List.<PersonalData>of() : features) {
                boolean comma = !first;
                first = false;
                chain = chain.chain(() -> exportFeature(conn, out, feature, people, comma));
            }
            return chain.chain(() -> out.write("}}"));
        };
    }

    /** Table by table, each table's rows of all the people together, so a table is one key of the document. */
    private Uni<Void> exportFeature(SqlConnection conn, Writer out, PersonalData feature, List<Person> people, boolean comma) {
        String[] current = {null};
        return out.write((comma ? "," : "") + quote(feature.feature()) + ":{\"title\":" + quote(MAP.vocabulary().features().get(feature.feature()))
                        + ",\"tables\":{")
                .chain(() -> feature.export(conn, people).onItem().transformToUniAndConcatenate(row -> {
                    String prefix = ",";
                    if (!row.table().equals(current[0])) {
                        DataMap.Table t = MAP.table(row.table());
                        prefix = (current[0] == null ? "" : "]},") + quote(row.table()) + ":{\"label\":" + quote(t.label()) + ",\"purpose\":"
                                + quote(t.purpose()) + ",\"rows\":[";
                        current[0] = row.table();
                    }
                    return out.write(prefix + row.json());
                }).collect().last())
                .chain(() -> out.write((current[0] == null ? "" : "]}") + "}}"));
    }

    /**
     * The readable summary (P29): for every kind of record held about the person, how many, what it
     * holds, why, on which legal basis, who receives it and how long it is kept, from the data map.
     */
    private java.util.function.Function<Writer, Uni<Void>> access(SqlConnection conn, Person person, List<Person> people) {
        return out -> counts(conn, people).chain(counts -> disclosures(conn, person).chain(disclosed -> {
            JsonArray records = new JsonArray();
            counts.forEach((table, n) -> {
                if (n > 0) {
                    records.add(new JsonObject(json.convertValue(PublicDataMap.record(MAP.table(table), MAP.vocabulary()), MAP_TYPE)).put("count", n));
                }
            });
            JsonObject summary = new JsonObject().put("format", "harmony-access-summary/1").put("generated_at", OffsetDateTime.now().toString())
                    .put("records", records).put("disclosures", disclosed)
                    .put("glossary", new JsonObject().put("recipients", new JsonObject(new LinkedHashMap<>(MAP.vocabulary().recipients())))
                            .put("sources", new JsonObject(new LinkedHashMap<>(MAP.vocabulary().sources()))))
                    .put("note", "Processors named under recipients receive data to provide the service; disclosures beyond them are listed "
                            + "under disclosures. A full copy of the data is what an export request gives.");
            return out.write(summary.encode());
        }));
    }

    private static final String DISCLOSED = """
            select coalesce(json_agg(json_build_object('recipient', recipient, 'legal_basis', legal_basis, 'fields', to_json(fields),
                'disclosed_at', rfc3339(disclosed_at)) order by disclosed_at), '[]'::json)::text from disclosure where account_id = $1""";

    /** Who received the person's data beyond the processors (P20): the disclosure log. */
    private Uni<JsonArray> disclosures(SqlConnection conn, Person person) {
        if (person == null || person.accountId() == null) {
            return Uni.createFrom().item(new JsonArray());
        }
        return conn.preparedQuery(DISCLOSED).execute(Tuple.of(person.accountId())).map(rows -> new JsonArray(Rows.first(rows).getString(0)));
    }

    /** Buffers a document and stores it in chunks, so memory holds one chunk whatever the history's length. */
    private static final class Writer {
        private final SqlConnection conn;
        private final UUID id;
        private final StringBuilder buffer = new StringBuilder(CHUNK + 4096);
        private int seq;
        private long bytes;

        Writer(SqlConnection conn, UUID id) {
            this.conn = conn;
            this.id = id;
        }

        Uni<Void> write(String text) {
            buffer.append(text);
            return buffer.length() >= CHUNK ? flush() : Uni.createFrom().voidItem();
        }

        Uni<Void> flush() {
            if (buffer.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            String data = buffer.toString();
            buffer.setLength(0);
            bytes += data.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            return conn.preparedQuery(CHUNK_INSERT).execute(Tuple.of(id, seq++, data)).replaceWithVoid();
        }
    }

    // ------------------------------------------------------------------ erasure

    /**
     * Erasure with retention (P28): a legal hold or a feature's hold (an order still being delivered)
     * stops it with the reason; otherwise every feature erases its part in one transaction, the result
     * lists per table and field what was erased and what was kept until when, and every recipient
     * that held the data is told through the outbox. The request completes when all have acknowledged.
     */
    private Uni<Void> erase(SqlConnection conn, Row r, Person person) {
        UUID id = r.getUUID("id");
        if (person == null) {
            return close(conn, id, "completed", result(List.of(), Map.of()), null, "nothing held any more");
        }
        // the account row first, as its own edits (profile, address book, roles) lock it before their rows: erasure then
        // waits for an edit, or an edit for erasure, instead of each holding a row the other needs (no key update lets
        // checkouts' foreign keys through until the row itself is deleted at the end)
        // and before that the person's gate: orders, returns and legal holds in flight commit first and are seen below,
        // later ones wait for this transaction and then find the person gone (they were let through half-seen before)
        List<Integer> gate = new ArrayList<>();
        if (person.accountId() != null) {
            gate.add(com.harmony.platform.ErasureGate.account(person.accountId()));
        }
        for (String email : new String[] {person.email(), r.getString("email")}) {
            if (email != null && !email.isBlank()) {
                gate.add(com.harmony.platform.ErasureGate.email(email));
            }
        }
        Uni<?> lock = com.harmony.platform.ErasureGate.close(conn, gate).chain(() -> person.accountId() == null ? Uni.createFrom().voidItem()
                : com.harmony.account.AccountService.lockForErasure(conn, person.accountId()));
        return lock.chain(() -> everyone(conn, person, r.getString("email"))).chain(people -> holds(conn, people).chain(holds -> {
            if (!holds.isEmpty()) {
                String reason = "Your data cannot be erased yet: " + String.join("; ", holds);
                return close(conn, id, "rejected", null, reason, reason);
            }
            return counts(conn, people).chain(counts -> references(conn, people).chain(refs -> eraseAll(conn, people).chain(erased -> {
                Map<String, List<String>> notices = notices(counts, refs, r.getString("email"));
                JsonObject result = result(erased, notices);
                if (notices.isEmpty()) {
                    return close(conn, id, "completed", result, null, "erased");
                }
                return conn.preparedQuery(PROCESSING).execute(Tuple.of(id, result, "erased here; waiting for " + notices.size() + " recipient(s)"))
                        .chain(() -> Multi.createFrom().iterable(notices.entrySet()).onItem().transformToUniAndConcatenate(n -> conn
                                .preparedQuery(RECIPIENT).execute(Tuple.of(id, n.getKey()))
                                .chain(() -> outbox.append(conn, NOTICE_TOPIC, id, new JsonObject().put("request_id", id.toString())
                                        .put("recipient", n.getKey()).put("references", new JsonArray(n.getValue())))))
                                .collect().last())
                        .replaceWithVoid();
            })));
        }));
    }

    /**
     * A customer is also the browsers and apps linked to their account: their cookie choices, page
     * views and entries go with the account, erased first, while the link still leads to them. Every
     * requester is also the entrant of the email the request was confirmed from (an account's own): the
     * contest entries and survey answers given under it from any browser, signed in or not, are theirs.
     */
    private Uni<List<Person>> everyone(SqlConnection conn, Person person, String confirmedEmail) {
        Uni<List<UUID>> browsers = person.accountId() == null ? Uni.createFrom().item(List.of()) : visitors.linkedTo(conn, person.accountId());
        return browsers.map(ids -> {
            List<Person> people = new ArrayList<>();
            ids.forEach(v -> people.add(Person.visitor(v, person.pseudonym())));
            if (confirmedEmail != null && !confirmedEmail.isBlank()) {
                people.add(Person.entrant(confirmedEmail.strip(), person.pseudonym()));
            }
            people.add(person);
            return people;
        });
    }

    private Uni<List<String>> holds(SqlConnection conn, List<Person> people) {
        List<String> reasons = new ArrayList<>();
        return each(people, (p, f) -> f.holds(conn, p).invoke(reasons::addAll)).map(x -> reasons.stream().distinct().toList());
    }

    /** Runs the step for every person and feature, one after another (features in erasure order, the account's last). */
    private Uni<Void> each(List<Person> people, java.util.function.BiFunction<Person, PersonalData, Uni<?>> step) {
        return Multi.createFrom().iterable(people)
                .onItem().transformToUniAndConcatenate(p -> Multi.createFrom().iterable(features)
                        .onItem().transformToUniAndConcatenate(f -> step.apply(p, f)).collect().last())
                .collect().last().replaceWithVoid();
    }

    private Uni<Map<String, List<String>>> references(SqlConnection conn, List<Person> people) {
        Map<String, List<String>> all = new LinkedHashMap<>();
        return each(people, (p, f) -> f.references(conn, p).invoke(refs ->
                refs.forEach((recipient, keys) -> all.computeIfAbsent(recipient, k -> new ArrayList<>()).addAll(keys)))).map(x -> all);
    }

    private Uni<List<Erased>> eraseAll(SqlConnection conn, List<Person> people) {
        List<Erased> all = new ArrayList<>();
        return each(people, (p, f) -> f.erase(conn, p).invoke(all::addAll)).map(x -> all);
    }

    /** Rows per table of all the people, each row once (a page view a signed-in browser sent leads to both). */
    private Uni<Map<String, Long>> counts(SqlConnection conn, List<Person> people) {
        Map<String, Long> all = new LinkedHashMap<>();
        return Multi.createFrom().iterable(features).onItem().transformToUniAndConcatenate(f -> f.find(conn, people).invoke(all::putAll))
                .collect().last().map(x -> all);
    }

    /**
     * Which recipients to tell: every recipient the data map names for a table that held the person's
     * rows, with the keys they know the person by. The mail provider knows an address, which is sent
     * as its SHA-256 digest only, so no notice carries the person's data.
     */
    private static Map<String, List<String>> notices(Map<String, Long> counts, Map<String, List<String>> refs, String email) {
        Set<String> recipients = new LinkedHashSet<>();
        counts.forEach((table, n) -> {
            if (n > 0 && MAP.table(table).recipients() != null) {
                recipients.addAll(MAP.table(table).recipients());
            }
        });
        Map<String, List<String>> notices = new LinkedHashMap<>();
        for (String recipient : recipients) {
            if (CONDITIONAL.contains(recipient) && !refs.containsKey(recipient)) {
                continue;
            }
            List<String> keys = new ArrayList<>(refs.getOrDefault(recipient, List.of()));
            if ("mail_provider".equals(recipient) && email != null) {
                keys.add("sha256:" + Hashes.sha256Hex(email.strip().toLowerCase(Locale.ROOT)));
            }
            notices.put(recipient, keys.stream().distinct().toList());
        }
        return notices;
    }

    /** Per table that held the person's rows: the action, the fields erased, the fields kept with the rule and date. */
    private static JsonObject result(List<Erased> all, Map<String, List<String>> notices) {
        // one entry per table and action, whichever of the person's identities (account, linked browsers) reached it
        Map<String, Erased> merged = new LinkedHashMap<>();
        for (Erased e : all) {
            merged.merge(e.table() + "/" + e.action(), e, (a, b) -> new Erased(a.table(), a.action(), a.rows() + b.rows(),
                    java.util.stream.Stream.concat(a.columns().stream(), b.columns().stream()).distinct().toList(), a.rule() != null ? a.rule() : b.rule(),
                    a.keptUntil() == null ? b.keptUntil() : b.keptUntil() == null || a.keptUntil().isAfter(b.keptUntil()) ? a.keptUntil() : b.keptUntil()));
        }
        JsonArray tables = new JsonArray();
        for (Erased e : merged.values()) {
            if (e.rows() == 0) {
                continue;
            }
            DataMap.Table t = MAP.table(e.table());
            List<String> personal = t == null ? List.of() : t.columns().values().stream().filter(DataMap.Column::personal).map(DataMap.Column::name)
                    .toList();
            JsonObject entry = new JsonObject().put("feature", t == null ? null : t.feature()).put("table", e.table())
                    .put("label", t == null ? e.table() : t.label()).put("action", e.action()).put("rows", e.rows());
            if ("kept".equals(e.action())) {
                entry.put("erased_fields", new JsonArray(e.columns()))
                        .put("kept_fields", new JsonArray(personal.stream().filter(c -> !e.columns().contains(c)).toList()))
                        .put("rule", e.rule()).put("kept_until", e.keptUntil() == null ? null : e.keptUntil().toString());
            } else if (!"deleted".equals(e.action())) {
                entry.put("erased_fields", new JsonArray(e.columns()));
            } else {
                entry.put("erased_fields", new JsonArray(personal));
            }
            tables.add(entry);
        }
        JsonArray recipients = new JsonArray();
        notices.keySet().forEach(n -> recipients.add(new JsonObject().put("recipient", n).put("description", MAP.vocabulary().recipients().get(n))));
        return new JsonObject().put("erased_at", OffsetDateTime.now().toString()).put("tables", tables).put("recipients_told", recipients);
    }

    private Uni<Void> close(SqlConnection conn, UUID id, String status, JsonObject result, String reason, String note) {
        return conn.preparedQuery(CLOSE).execute(Tuple.from(new Object[] {id, status, result, reason, note}))
                .chain(() -> outbox.append(conn, CLOSED_TOPIC, id, new JsonObject().put("request_id", id.toString())))
                .replaceWithVoid();
    }

    private static String quote(String text) {
        return text == null ? "null" : io.vertx.core.json.Json.encode(text);
    }
}
