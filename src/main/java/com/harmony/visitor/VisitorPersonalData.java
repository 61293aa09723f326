package com.harmony.visitor;

import com.harmony.platform.DataMap;
import com.harmony.platform.MappedRows;
import com.harmony.platform.PersonalData;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * The visitor's part in privacy requests. A visitor's erasure deletes its row, which cascades to
 * whatever other features still hold under its id (consents, page views, feedback, contest entries,
 * survey responses) and detaches referral visits and privacy requests; it runs late so those features
 * erase and count their own rows first, and take the browser's id off the rows that name an account.
 * A customer's erasure erases the browsers linked to the account as visitors first (see the privacy
 * request processor); unlinking afterwards only catches a browser linked since.
 */
@ApplicationScoped
public class VisitorPersonalData implements PersonalData {

    private static final String RULE = DataMap.load().table("visitor").retention().rule();

    private static final String IDLE = "account_id is null and last_seen_at < now() - interval '395 days'";

    /** Unlinked and idle past the cookie's lifetime; referral visits stay without the link (the foreign key sets it to null). */
    private static final String PURGE_IDLE = "delete from visitor where " + IDLE;
    private static final String UNLINK = "update visitor set account_id = null, linked_at = null where account_id = $1";

    @Override
    public String feature() {
        return "visitor";
    }

    @Override
    public List<String> tables() {
        return List.of("visitor");
    }

    @Override
    public int order() {
        return 900;
    }

    @Override
    public Uni<List<Erased>> erase(SqlConnection conn, Person person) {
        if (person.kind() == DataMap.Subject.VISITOR) {
            return MappedRows.delete(conn, "visitor", person).map(List::of);
        }
        if (person.accountId() != null) {
            return conn.preparedQuery(UNLINK).execute(Tuple.of(person.accountId()))
                    .map(rows -> List.of(Erased.cleared("visitor", rows.rowCount(), List.of("account_id", "linked_at"))));
        }
        return Uni.createFrom().item(List.of(Erased.deleted("visitor", 0)));
    }

    @Override
    public Uni<List<Purged>> purge(SqlConnection conn) {
        // what accounts sent signed in from such a browser is theirs: detached first, not cascaded away with it
        return MappedRows.detachFromBrowsers(conn, "select id from visitor where " + IDLE)
                .chain(() -> conn.query(PURGE_IDLE).execute())
                .map(rows -> List.of(new Purged("visitor", RULE, rows.rowCount())));
    }
}
