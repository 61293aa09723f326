package com.harmony.engagement;

import com.harmony.platform.DataMap;
import com.harmony.platform.MappedRows;
import com.harmony.platform.PersonalData;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Engagement's part in privacy requests: contest entries, the draw's picks and survey responses.
 * Entries and responses are deleted. A pick stays so the draw remains recomputable (P5): it keeps the
 * erased entry's id, which then points to nobody, and loses the disqualification reason an admin
 * typed. Picks are reached through their entries, so they are handled before the entries go.
 */
@ApplicationScoped
public class EngagementPersonalData implements PersonalData {

    static final String ERASED = "[erased]";
    private static final DataMap MAP = DataMap.load();
    private static final String ENTRY_RULE = MAP.table("contest_entry").retention().rule();
    private static final String PICK_RULE = MAP.table("contest_pick").retention().rule();
    private static final String RESPONSE_RULE = MAP.table("survey_response").retention().rule();

    private static final String PURGE_PICKS = """
            delete from contest_pick p using contest c where c.id = p.contest_id and c.closes_at < now() - interval '1 year'""";
    private static final String PURGE_ENTRIES = """
            delete from contest_entry e using contest c where c.id = e.contest_id and c.closes_at < now() - interval '1 year'""";
    private static final String PURGE_RESPONSES = "delete from survey_response where responded_at < now() - interval '1 year'";

    @Override
    public String feature() {
        return "engagement";
    }

    @Override
    public List<String> tables() {
        return List.of("contest_entry", "contest_pick", "survey_response");
    }

    @Override
    public Uni<List<Erased>> erase(SqlConnection conn, Person person) {
        return anonymisePicks(conn, person)
                .chain(picks -> MappedRows.delete(conn, "contest_entry", person)
                        .chain(entries -> MappedRows.delete(conn, "survey_response", person)
                                .map(responses -> List.of(picks, entries, responses))));
    }

    /** Clears the reason (the check constraint wants one while disqualified, so it becomes a placeholder); every pick reached counts as kept. */
    private Uni<Erased> anonymisePicks(SqlConnection conn, Person person) {
        List<String> columns = List.of("disqualification_reason");
        return MappedRows.ready(conn).chain(() -> {
            String where = MappedRows.where("contest_pick", person);
            if (where == null) {
                return Uni.createFrom().item(Erased.kept("contest_pick", 0, columns, PICK_RULE, null));
            }
            String sql = "update contest_pick t set disqualification_reason = case when t.disqualification_reason is null then null else '"
                    + ERASED + "' end from contest c where c.id = t.contest_id and " + where + " returning c.closes_at";
            return conn.preparedQuery(sql).execute(MappedRows.key(person)).map(rows -> {
                OffsetDateTime last = null;
                for (Row r : rows) {
                    OffsetDateTime closed = r.getOffsetDateTime("closes_at");
                    last = last == null || closed.isAfter(last) ? closed : last;
                }
                return Erased.kept("contest_pick", rows.rowCount(), columns, PICK_RULE, last == null ? null : last.plusYears(1));
            });
        });
    }

    @Override
    public Uni<List<Purged>> purge(SqlConnection conn) {
        return conn.query(PURGE_PICKS).execute().map(rows -> new Purged("contest_pick", PICK_RULE, rows.rowCount()))
                .chain(picks -> conn.query(PURGE_ENTRIES).execute().map(rows -> new Purged("contest_entry", ENTRY_RULE, rows.rowCount()))
                        .chain(entries -> conn.query(PURGE_RESPONSES).execute()
                                .map(rows -> List.of(entries, picks, new Purged("survey_response", RESPONSE_RULE, rows.rowCount())))));
    }
}
