package com.harmony.consent;

import com.harmony.platform.MappedRows;
import com.harmony.platform.PersonalData;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * The consent feature's part in privacy requests: the history of a customer's or visitor's choices.
 * The map keeps it as proof only while the account or visitor exists, so erasure deletes it (which the
 * foreign keys would do anyway; deleting it here reports how many).
 */
@ApplicationScoped
public class ConsentPersonalData implements PersonalData {

    @Override
    public String feature() {
        return "consent";
    }

    @Override
    public List<String> tables() {
        return List.of("consent_event");
    }

    @Override
    public Uni<List<Erased>> erase(SqlConnection conn, Person person) {
        return MappedRows.delete(conn, "consent_event", person).map(List::of);
    }
}
