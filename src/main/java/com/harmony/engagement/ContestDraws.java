package com.harmony.engagement;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.harmony.engagement.EngagementViews.DrawView;
import com.harmony.engagement.EngagementViews.PickView;
import com.harmony.engagement.EngagementViews.WinnerView;
import com.harmony.platform.PostalAddress;
import com.harmony.platform.ProblemException;
import com.harmony.platform.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Winner draws (P5), fair and auditable: after entries close an admin draws once; the seed, the sorted
 * entry list and its digest are recorded with every pick, so anyone can recompute the result (see
 * {@link Draw}). A disqualified winner keeps their pick and its reason; a redraw continues the same
 * sequence. Each command is one transaction under the contest's (or draw's) row lock.
 */
@ApplicationScoped
class ContestDraws {

    /** For update: waits for entries in flight (they hold key share) and for a draw running in parallel. */
    private static final String LOCK_CONTEST = "select c.winners, now() >= c.closes_at as closed from contest c where c.id = $1 for update";
    /** A statement of its own after the lock, so it sees a draw committed while this one waited. */
    private static final String DRAWN = "select exists (select 1 from contest_draw d where d.contest_id = $1) as drawn";
    private static final String ENTRIES = "select e.id from contest_entry e where e.contest_id = $1";
    private static final String INSERT_DRAW = """
            insert into contest_draw (contest_id, algorithm, seed, entries_digest, entry_ids, drawn_by)
            values ($1, $2, $3, $4, $5, $6)""";
    private static final String INSERT_PICKS = """
            insert into contest_pick (contest_id, position, entry_id, replaces)
            select $1, $2 + p.i - 1, p.e, p.r from unnest($3::uuid[], $4::uuid[]) with ordinality as p(e, r, i)""";
    private static final String LOCK_DRAW = "select d.seed, d.entry_ids from contest_draw d where d.contest_id = $1 for update";
    private static final String CONTEST_EXISTS = "select 1 from contest c where c.id = $1";
    private static final String PICKS = """
            select p.position, p.entry_id, p.replaces, p.disqualified_at is not null as disqualified from contest_pick p
            where p.contest_id = $1 order by p.position""";
    private static final String DISQUALIFY = """
            update contest_pick set disqualified_at = now(), disqualification_reason = $3, disqualified_by = $4
            where contest_id = $1 and entry_id = $2 and disqualified_at is null returning position""";
    private static final String IS_PICK = "select 1 from contest_pick p where p.contest_id = $1 and p.entry_id = $2";
    private static final String DRAW = """
            select d.algorithm, d.seed, d.entries_digest, d.entry_ids, d.drawn_by, rfc3339(d.drawn_at) as drawn_at
            from contest_draw d where d.contest_id = $1""";
    private static final String PICK_VIEWS = """
            select p.position, p.entry_id, p.replaces, rfc3339(p.picked_at) as picked_at, rfc3339(p.disqualified_at) as disqualified_at,
                   p.disqualification_reason, e.name, e.email, e.phone, e.postal_address::text as address
            from contest_pick p left join contest_entry e on e.id = p.entry_id and e.contest_id = p.contest_id
            where p.contest_id = $1 order by p.position""";

    private final Pool pool;
    private final ObjectMapper json;
    private final com.harmony.platform.Audit audit;

    ContestDraws(Pool pool, ObjectMapper json, com.harmony.platform.Audit audit) {
        this.audit = audit;
        this.pool = pool;
        this.json = json;
    }

    /** The draw: once, after close, over every entry at that moment. */
    Uni<DrawView> draw(UUID contestId, UUID admin) {
        com.harmony.platform.Audit.Entry entry = audit.entry("contest.drawn", "contest", contestId, null);
        return pool.withTransaction(conn -> closedContest(conn, contestId)
                        .call(() -> notDrawnYet(conn, contestId))
                        .chain(winners -> conn.preparedQuery(ENTRIES).execute(Tuple.of(contestId))
                                .chain(rows -> {
                                    List<UUID> ids = new ArrayList<>();
                                    rows.forEach(r -> ids.add(r.getUUID("id")));
                                    return record(conn, contestId, admin, Draw.sorted(ids), winners);
                                }))
                        .call(() -> audit.write(conn, entry)))
                .onFailure(Rows::isUniqueViolation).transform(e -> alreadyDrawn())
                .chain(() -> view(contestId));
    }

    private static Uni<Integer> closedContest(SqlClient conn, UUID contestId) {
        return conn.preparedQuery(LOCK_CONTEST).execute(Tuple.of(contestId)).map(rows -> {
            Row c = Rows.first(rows);
            if (c == null) {
                throw ProblemException.notFound("Contest");
            }
            if (!c.getBoolean("closed")) {
                throw new ProblemException(EngagementProblems.CONTEST_STILL_OPEN,
                        "Entries are still open; winners are drawn after closes_at, from every entry made by then.");
            }
            return c.getInteger("winners");
        });
    }

    private static Uni<Void> notDrawnYet(SqlClient conn, UUID contestId) {
        return conn.preparedQuery(DRAWN).execute(Tuple.of(contestId)).invoke(rows -> {
            if (rows.iterator().next().getBoolean("drawn")) {
                throw alreadyDrawn();
            }
        }).replaceWithVoid();
    }

    private static Uni<Void> record(SqlClient conn, UUID contestId, UUID admin, List<String> sortedIds, int winners) {
        String seed = Draw.newSeed();
        List<String> picks = Draw.pick(seed, new ArrayList<>(sortedIds), 0, winners);
        UUID[] entryIds = sortedIds.stream().map(UUID::fromString).toArray(UUID[]::new);
        return conn.preparedQuery(INSERT_DRAW)
                .execute(Tuple.from(new Object[] {contestId, Draw.ALGORITHM, seed, Draw.digest(sortedIds), entryIds, admin}))
                .chain(() -> insertPicks(conn, contestId, 0, picks, new UUID[picks.size()]));
    }

    private static Uni<Void> insertPicks(SqlClient conn, UUID contestId, int first, List<String> picks, UUID[] replaces) {
        if (picks.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        UUID[] ids = picks.stream().map(UUID::fromString).toArray(UUID[]::new);
        return conn.preparedQuery(INSERT_PICKS).execute(Tuple.from(new Object[] {contestId, first, ids, replaces})).replaceWithVoid();
    }

    /** Disqualifies a winner with the reason; the pick stays in the record and a redraw replaces it. */
    Uni<DrawView> disqualify(UUID contestId, UUID entryId, String reason, UUID admin) {
        com.harmony.platform.Audit.Entry entry = audit.entry("contest.winner_disqualified", "contest_entry", entryId, null)
                .about("select account_id from contest_entry where id = $5::varchar::uuid");
        return pool.withTransaction(conn -> lockDraw(conn, contestId)
                        .chain(d -> conn.preparedQuery(DISQUALIFY).execute(Tuple.of(contestId, entryId, reason.strip(), admin)))
                        .chain(rows -> rows.rowCount() > 0 ? audit.write(conn, entry) : whyNotDisqualified(conn, contestId, entryId)))
                .chain(() -> view(contestId));
    }

    private static Uni<Void> whyNotDisqualified(SqlClient conn, UUID contestId, UUID entryId) {
        return conn.preparedQuery(IS_PICK).execute(Tuple.of(contestId, entryId)).map(rows -> {
            if (rows.rowCount() == 0) {
                throw ProblemException.notFound("Winner " + entryId);
            }
            throw new ProblemException(EngagementProblems.ALREADY_DISQUALIFIED, "This winner was disqualified already.");
        });
    }

    /** One replacement per disqualified winner not replaced yet, by the next picks of the same sequence. */
    Uni<DrawView> redraw(UUID contestId) {
        com.harmony.platform.Audit.Entry entry = audit.entry("contest.redrawn", "contest", contestId, null);
        return pool.withTransaction(conn -> lockDraw(conn, contestId)
                        .chain(d -> conn.preparedQuery(PICKS).execute(Tuple.of(contestId)).chain(rows -> replace(conn, contestId, d, rows)))
                        .call(() -> audit.write(conn, entry)))
                .chain(() -> view(contestId));
    }

    private static Uni<Void> replace(SqlClient conn, UUID contestId, Row draw, io.vertx.mutiny.sqlclient.RowSet<Row> picks) {
        Set<String> picked = new HashSet<>();
        Set<String> replaced = new HashSet<>();
        List<String> disqualified = new ArrayList<>();
        for (Row p : picks) {
            picked.add(p.getUUID("entry_id").toString());
            if (p.getUUID("replaces") != null) replaced.add(p.getUUID("replaces").toString());
            if (p.getBoolean("disqualified")) disqualified.add(p.getUUID("entry_id").toString());
        }
        UUID[] pending = disqualified.stream().filter(id -> !replaced.contains(id)).map(UUID::fromString).toArray(UUID[]::new);
        if (pending.length == 0) {
            throw new ProblemException(EngagementProblems.NOTHING_TO_REDRAW, "No disqualified winner is waiting for a replacement.");
        }
        List<String> remaining = new ArrayList<>(Draw.sorted(Arrays.asList(draw.getArrayOfUUIDs("entry_ids"))));
        remaining.removeIf(picked::contains);
        List<String> next = Draw.pick(draw.getString("seed"), remaining, picked.size(), pending.length);
        if (next.isEmpty()) {
            throw new ProblemException(EngagementProblems.NOTHING_TO_REDRAW, "Every entry has been picked; there is nobody left to draw.");
        }
        return insertPicks(conn, contestId, picked.size(), next, Arrays.copyOf(pending, next.size()));
    }

    private static Uni<Row> lockDraw(SqlClient conn, UUID contestId) {
        return conn.preparedQuery(LOCK_DRAW).execute(Tuple.of(contestId)).map(Rows::first)
                .chain(d -> d != null ? Uni.createFrom().item(d)
                        : conn.preparedQuery(CONTEST_EXISTS).execute(Tuple.of(contestId)).map(rows -> {
                            throw rows.rowCount() == 0 ? ProblemException.notFound("Contest")
                                    : new ProblemException(EngagementProblems.NOT_DRAWN, "Winners have not been drawn yet.");
                        }));
    }

    /** The draw as published: seed, list and digest, every pick, and the winners' contact details to administer the prize. */
    Uni<DrawView> view(UUID contestId) {
        return pool.preparedQuery(DRAW).execute(Tuple.of(contestId)).map(Rows::first)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Draw"))
                .chain(d -> pool.preparedQuery(PICK_VIEWS).execute(Tuple.of(contestId)).map(rows -> {
                    List<PickView> picks = new ArrayList<>();
                    List<WinnerView> winners = new ArrayList<>();
                    for (Row p : rows) {
                        String entryId = p.getUUID("entry_id").toString();
                        UUID replaces = p.getUUID("replaces");
                        boolean out = p.getString("disqualified_at") != null;
                        picks.add(new PickView(p.getInteger("position"), entryId, replaces == null ? null : replaces.toString(),
                                p.getString("picked_at"), out, p.getString("disqualification_reason"), p.getString("disqualified_at")));
                        if (!out) {
                            winners.add(new WinnerView(p.getInteger("position"), entryId, p.getString("name"), p.getString("email"),
                                    p.getString("phone"), address(p.getString("address"))));
                        }
                    }
                    List<String> entryIds = Arrays.stream(d.getArrayOfUUIDs("entry_ids")).map(UUID::toString).toList();
                    return new DrawView(contestId.toString(), d.getString("algorithm"), d.getString("seed"), d.getString("entries_digest"),
                            entryIds, d.getUUID("drawn_by").toString(), d.getString("drawn_at"), picks, winners);
                }));
    }

    private PostalAddress address(String stored) {
        if (stored == null) {
            return null;
        }
        try {
            return json.readValue(stored, PostalAddress.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored entry address no longer reads as a postal address", e);
        }
    }

    private static ProblemException alreadyDrawn() {
        return new ProblemException(EngagementProblems.ALREADY_DRAWN,
                "Winners were drawn already; a disqualified winner is replaced with a redraw.");
    }

}
