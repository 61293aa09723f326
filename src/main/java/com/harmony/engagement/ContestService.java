package com.harmony.engagement;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.harmony.account.AccountService;
import com.harmony.consent.ConsentService;
import com.harmony.consent.ConsentService.Requester;
import com.harmony.consent.ConsentService.Source;
import com.harmony.consent.ConsentService.Subject;
import com.harmony.engagement.EngagementRequests.ContestEntryRequest;
import com.harmony.engagement.EngagementRequests.ContestRequest;
import com.harmony.engagement.EngagementViews.EntryForm;
import com.harmony.engagement.EngagementViews.EntryReceipt;
import com.harmony.platform.NewestFirst;
import com.harmony.platform.ProblemException;
import com.harmony.platform.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Contests and sweepstakes (P5): admins set them up, adults enter them (P31) with their contact details,
 * as many times as the contest allows per person, and answer the marketing question at entry, which is
 * recorded as consent in the entry's transaction (P16, P17). Entrants read their own entries only.
 */
@ApplicationScoped
public class ContestService {

    private static final String OPEN = "(c.opens_at <= now() and now() < c.closes_at)";
    private static final String DOC = """
            json_build_object('id', c.id, 'title', c.title, 'rules', c.rules, 'opens_at', rfc3339(c.opens_at),
                'closes_at', rfc3339(c.closes_at), 'entries_per_person', c.entries_per_person, 'winners', c.winners,
                'open', %s)::text""".formatted(OPEN);
    private static final String ADMIN_DOC = """
            json_build_object('id', c.id, 'title', c.title, 'rules', c.rules, 'opens_at', rfc3339(c.opens_at),
                'closes_at', rfc3339(c.closes_at), 'entries_per_person', c.entries_per_person, 'winners', c.winners,
                'open', %s, 'entry_count', (select count(*) from contest_entry e where e.contest_id = c.id),
                'drawn_at', (select rfc3339(d.drawn_at) from contest_draw d where d.contest_id = c.id),
                'created_by', c.created_by, 'created_at', rfc3339(c.created_at))::text""".formatted(OPEN);
    private static final String ENTRY_DOC = """
            json_build_object('id', e.id, 'contest_id', e.contest_id, 'contest_title', c.title, 'name', e.name, 'email', e.email,
                'phone', e.phone, 'address', e.postal_address, 'entered_at', rfc3339(e.entered_at),
                'won', case when exists (select 1 from contest_draw d where d.contest_id = e.contest_id)
                            then exists (select 1 from contest_pick p where p.contest_id = e.contest_id and p.entry_id = e.id
                                         and p.disqualified_at is null) end)::text""";

    private static final NewestFirst ADMIN_LIST = new NewestFirst("contest c", "c", "created_at", "contests", ADMIN_DOC);
    /** Open contests, newest opened first; a contest not open yet is unpublished. */
    private static final NewestFirst OPEN_LIST = new NewestFirst(
            "(select * from contest where opens_at <= now() and now() < closes_at) c", "c", "opens_at", "open-contests", DOC);
    private static final NewestFirst MY_ENTRIES = new NewestFirst(
            "contest_entry e join contest c on c.id = e.contest_id", "e", "entered_at", "my-contest-entries", ENTRY_DOC);

    private static final String INSERT = """
            insert into contest (id, title, rules, opens_at, closes_at, entries_per_person, winners, created_by)
            values ($1, $2, $3, coalesce($4, now()), $5, $6, $7, $8)""";
    private static final String ADMIN_ONE = "select " + ADMIN_DOC + " as doc from contest c where c.id = $1";
    private static final String PUBLIC_ONE = "select " + DOC + " as doc from contest c where c.id = $1 and c.opens_at <= now()";
    private static final String FORM = "select " + OPEN + " as open from contest c where c.id = $1 and c.opens_at <= now()";
    /** Key share: entries go on side by side, but a draw (for update) waits for them and they wait for it. */
    private static final String LOCK_CONTEST = """
            select c.entries_per_person, c.opens_at <= now() as opened, now() < c.closes_at as before_close
            from contest c where c.id = $1 for key share""";
    private static final String COUNT = """
            select count(*) as n from contest_entry
            where contest_id = $1 and (account_id = $2 or visitor_id = $3 or email_key = $4)""";
    private static final String ENTER = """
            insert into contest_entry (id, contest_id, account_id, visitor_id, name, email, email_key, phone, postal_address, adult_basis)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9::text::jsonb, $10) returning rfc3339(entered_at) as entered_at""";
    private static final String MY_ONE = "select " + ENTRY_DOC + " as doc from contest_entry e join contest c on c.id = e.contest_id "
            + "where e.id = $1 and e.account_id = $2";

    private final Pool pool;
    private final ConsentService consents;
    private final AccountService accounts;
    private final ObjectMapper json;

    ContestService(Pool pool, ConsentService consents, AccountService accounts, ObjectMapper json) {
        this.pool = pool;
        this.consents = consents;
        this.accounts = accounts;
        this.json = json;
    }

    // ------------------------------------------------------------------ back office

    public Uni<EngagementViews.Created> create(ContestRequest r, UUID admin) {
        if (r.opensAt() != null && !r.closesAt().isAfter(r.opensAt())) {
            throw ProblemException.invalid("closes_at", "must be after opens_at");
        }
        if (!r.closesAt().isAfter(OffsetDateTime.now())) {
            throw ProblemException.invalid("closes_at", "must be in the future");
        }
        UUID id = UUID.randomUUID();
        return pool.withTransaction(conn -> conn.preparedQuery(INSERT)
                        .execute(Tuple.from(new Object[] {id, r.title().strip(), r.rules().strip(), r.opensAt(), r.closesAt(),
                                r.entriesPerPerson(), r.winners(), admin}))
                        .chain(() -> conn.preparedQuery(ADMIN_ONE).execute(Tuple.of(id))))
                .map(rows -> new EngagementViews.Created(id, Rows.doc(rows.iterator().next())));
    }

    public Uni<String> list(int limit, String cursor) {
        return ADMIN_LIST.page(pool, null, null, limit, cursor);
    }

    public Uni<String> adminGet(UUID id) {
        return one(ADMIN_ONE, Tuple.of(id), "Contest");
    }

    // ------------------------------------------------------------------ the public

    public Uni<String> listOpen(int limit, String cursor) {
        return OPEN_LIST.page(pool, null, null, limit, cursor);
    }

    public Uni<String> get(UUID id) {
        return one(PUBLIC_ONE, Tuple.of(id), "Contest");
    }

    /** The form for this requester: prefilled from My Account when signed in, empty for a visitor. */
    public Uni<EntryForm> entryForm(UUID contestId, Requester who) {
        return pool.preparedQuery(FORM).execute(Tuple.of(contestId)).map(Rows::first)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Contest"))
                .chain(row -> {
                    boolean open = row.getBoolean("open");
                    if (who.accountId() == null) {
                        return Uni.createFrom().item(form(contestId, open, null));
                    }
                    return accounts.contactOf(who.accountId()).map(contact -> form(contestId, open, contact));
                });
    }

    private static EntryForm form(UUID contestId, boolean open, AccountService.Contact c) {
        String q = EngagementViews.MARKETING_QUESTION;
        String age = EngagementViews.ADULTS_ONLY;
        return c == null ? new EntryForm(contestId.toString(), open, false, null, null, null, null, q, age)
                : new EntryForm(contestId.toString(), open, true, c.name(), c.email(), c.phone(), c.address(), q, age);
    }

    /**
     * One entry. The age check comes first and touches nothing (P31). Then, in one transaction: the
     * contest must be open, the person's locks are taken and their entries counted against the limit,
     * the entry is stored and the marketing answer recorded as consent (source contest).
     */
    public Uni<EntryReceipt> enter(UUID contestId, ContestEntryRequest r, Uni<Requester> requester) {
        String adult = Entrants.adultBasis(r.birthDate(), r.adultConfirmed());
        // resolved only now: knowing the visitor touches its row, and an under-age entry must touch nothing
        return requester.chain(who -> enter(contestId, r, adult, who));
    }

    private Uni<EntryReceipt> enter(UUID contestId, ContestEntryRequest r, String adult, Requester who) {
        Subject subject = Entrants.subject(who);
        String emailKey = Entrants.emailKey(r.email());
        UUID id = UUID.randomUUID();
        Object[] values = {id, contestId, who.accountId(), who.visitorId(), r.name().strip(), r.email().strip(), emailKey,
                blankToNull(r.phone()), write(r.address()), adult};
        return pool.withTransaction(conn -> openContest(conn, contestId)
                .call(() -> Entrants.lockPerson(conn, "contest:" + contestId, who, emailKey))
                .chain(limit -> entriesLeft(conn, contestId, who, emailKey, limit))
                .chain(left -> conn.preparedQuery(ENTER).execute(Tuple.from(values))
                        .map(rows -> new EntryReceipt(id.toString(), contestId.toString(), rows.iterator().next().getString("entered_at"), left,
                                subject.accountId() != null ? "account" : "visitor")))
                .call(() -> consents.record(conn, subject, Entrants.choices(r.marketing()), Source.CONTEST)));
    }

    /** The entries allowed per person, once the contest is known to be open; a contest not yet open is not published. */
    private static Uni<Integer> openContest(SqlClient conn, UUID contestId) {
        return conn.preparedQuery(LOCK_CONTEST).execute(Tuple.of(contestId)).map(rows -> {
            Row c = Rows.first(rows);
            if (c == null || !c.getBoolean("opened")) {
                throw ProblemException.notFound("Contest");
            }
            if (!c.getBoolean("before_close")) {
                throw new ProblemException(EngagementProblems.CONTEST_CLOSED, "This contest closed; entries are no longer accepted.");
            }
            return c.getInteger("entries_per_person");
        });
    }

    /** How many entries the person has left after this one; none left is a conflict. */
    private static Uni<Integer> entriesLeft(SqlClient conn, UUID contestId, Requester who, String emailKey, int limit) {
        return conn.preparedQuery(COUNT).execute(Tuple.of(contestId, who.accountId(), who.visitorId(), emailKey)).map(rows -> {
            long made = rows.iterator().next().getLong("n");
            if (made >= limit) {
                throw new ProblemException(EngagementProblems.ENTRY_LIMIT, "This contest allows " + limit + (limit == 1 ? " entry" : " entries")
                        + " per person, and they have been made (by this account, this browser or this email address).");
            }
            return (int) (limit - made - 1);
        });
    }

    // ------------------------------------------------------------------ my entries

    public Uni<String> myEntries(UUID accountId, int limit, String cursor) {
        return MY_ENTRIES.page(pool, "account_id", accountId, limit, cursor);
    }

    /** Another person's entry is not found, never forbidden: ids reveal nothing. */
    public Uni<String> myEntry(UUID accountId, UUID entryId) {
        return one(MY_ONE, Tuple.of(entryId, accountId), "Entry");
    }

    // ------------------------------------------------------------------ helpers

    private Uni<String> one(String sql, Tuple args, String what) {
        return pool.preparedQuery(sql).execute(args).map(rows -> {
            Row row = Rows.first(rows);
            if (row == null) {
                throw ProblemException.notFound(what);
            }
            return Rows.doc(row);
        });
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
