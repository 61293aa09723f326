package com.harmony.feedback;

import com.harmony.platform.DataMap;
import com.harmony.platform.MappedRows;
import com.harmony.platform.PersonalData;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Feedback's part in privacy requests: comments a customer or visitor sent, deleted on erasure with
 * whatever staff noted on them. Feedback sent anonymously is reached by no request (only by its
 * contact email, which is no request kind); the two-year purge covers it.
 */
@ApplicationScoped
public class FeedbackPersonalData implements PersonalData {

    private static final String RULE = DataMap.load().table("feedback").retention().rule();
    private static final String PURGE = "delete from feedback where created_at < now() - interval '2 years'";

    @Override
    public String feature() {
        return "feedback";
    }

    @Override
    public List<String> tables() {
        return List.of("feedback");
    }

    @Override
    public Uni<List<Erased>> erase(SqlConnection conn, Person person) {
        return MappedRows.delete(conn, "feedback", person).map(List::of);
    }

    @Override
    public Uni<List<Purged>> purge(SqlConnection conn) {
        return conn.query(PURGE).execute().map(rows -> List.of(new Purged("feedback", RULE, rows.rowCount())));
    }
}
