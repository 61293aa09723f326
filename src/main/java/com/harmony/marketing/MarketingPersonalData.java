package com.harmony.marketing;

import com.harmony.platform.DataMap;
import com.harmony.platform.MappedRows;
import com.harmony.platform.PersonalData;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Marketing's part in privacy requests: what partners told us about a customer (deleted on erasure)
 * and which campaign emails were sent to them (the account id is cleared; the anonymous delivery
 * stays, so a redelivered event still sends nothing twice, until its two years are over).
 */
@ApplicationScoped
public class MarketingPersonalData implements PersonalData {

    private static final String DELIVERY_RULE = DataMap.load().table("marketing_delivery").retention().rule();
    private static final String PURGE_DELIVERIES = "delete from marketing_delivery where delivered_at < now() - interval '2 years'";

    @Override
    public String feature() {
        return "marketing";
    }

    @Override
    public List<String> tables() {
        return List.of("partner_attribute", "marketing_delivery");
    }

    @Override
    public Uni<List<Erased>> erase(SqlConnection conn, Person person) {
        return MappedRows.delete(conn, "partner_attribute", person)
                .chain(attributes -> MappedRows.ready(conn).chain(() -> {
                    String where = MappedRows.where("marketing_delivery", person);
                    if (where == null) {
                        return Uni.createFrom().item(List.of(attributes, Erased.cleared("marketing_delivery", 0, List.of("account_id"))));
                    }
                    return conn.preparedQuery("update marketing_delivery t set account_id = null where " + where).execute(MappedRows.key(person))
                            .map(rows -> List.of(attributes, Erased.cleared("marketing_delivery", rows.rowCount(), List.of("account_id"))));
                }));
    }

    @Override
    public Uni<List<Purged>> purge(SqlConnection conn) {
        return conn.query(PURGE_DELIVERIES).execute().map(rows -> List.of(new Purged("marketing_delivery", DELIVERY_RULE, rows.rowCount())));
    }
}
