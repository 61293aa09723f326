package com.harmony.support;

import com.harmony.platform.DataMap;
import com.harmony.platform.MappedRows;
import com.harmony.platform.PersonalData;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Support's part in privacy requests: contacts recorded about a customer's account, deleted on
 * erasure with the agent's notes. A caller without an account who left an email address is reached by
 * it (the entrant of any request confirmed from it); one matched only by name and phone or address is
 * no request kind, and the three-year purge covers those contacts.
 */
@ApplicationScoped
public class SupportPersonalData implements PersonalData {

    private static final String RULE = DataMap.load().table("support_contact").retention().rule();
    private static final String PURGE = "delete from support_contact where created_at < now() - interval '3 years'";

    @Override
    public String feature() {
        return "support";
    }

    @Override
    public List<String> tables() {
        return List.of("support_contact");
    }

    /** Staff reads of one of these records name the customer they concern (P24). */
    @Override
    public java.util.Map<String, String> recordOwners() {
        return java.util.Map.of("support-contacts", "select account_id from support_contact where id = %s");
    }

    @Override
    public Uni<List<Erased>> erase(SqlConnection conn, Person person) {
        return MappedRows.delete(conn, "support_contact", person).map(List::of);
    }

    @Override
    public Uni<List<Purged>> purge(SqlConnection conn) {
        return conn.query(PURGE).execute().map(rows -> List.of(new Purged("support_contact", RULE, rows.rowCount())));
    }
}
