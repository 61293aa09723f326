package com.harmony.cart;

import com.harmony.platform.DataMap;
import com.harmony.platform.MappedRows;
import com.harmony.platform.PersonalData;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/**
 * The cart's part in privacy requests: a customer's cart and its lines, found by the account id. A
 * guest cart belongs to whoever holds its token (only the digest is stored) and is linked to no
 * visitor id, so a visitor's request cannot reach it; the retention purge deletes it once idle.
 */
@ApplicationScoped
public class CartPersonalData implements PersonalData {

    private static final DataMap MAP = DataMap.load();

    @Override
    public String feature() {
        return "cart";
    }

    @Override
    public List<String> tables() {
        return List.of("cart", "cart_line");
    }

    @Override
    public Uni<Map<String, Long>> find(SqlConnection conn, List<Person> people) {
        List<Person> reached = people.stream().filter(CartPersonalData::reachable).toList();
        return reached.isEmpty() ? Uni.createFrom().item(Map.of("cart", 0L, "cart_line", 0L)) : PersonalData.super.find(conn, reached);
    }

    @Override
    public Multi<Exported> export(SqlConnection conn, List<Person> people, String table) {
        return PersonalData.super.export(conn, people.stream().filter(CartPersonalData::reachable).toList(), table);
    }

    @Override
    public Uni<List<Erased>> erase(SqlConnection conn, Person person) {
        if (!reachable(person)) {
            return Uni.createFrom().item(List.of(Erased.deleted("cart_line", 0), Erased.deleted("cart", 0)));
        }
        // lines first, so their count is reported rather than lost to the cascade
        return MappedRows.delete(conn, "cart_line", person)
                .chain(lines -> MappedRows.delete(conn, "cart", person).map(carts -> List.of(lines, carts)));
    }

    @Override
    public Uni<List<Purged>> purge(SqlConnection conn) {
        return conn.query(CartSql.PURGE_EXPIRED).execute().map(rows -> {
            Row r = rows.iterator().next();
            return List.of(new Purged("cart", rule("cart"), r.getLong("carts")), new Purged("cart_line", rule("cart_line"), r.getLong("lines")));
        });
    }

    /** Only a customer's cart is reachable from a request: a guest cart is known by its token alone. */
    private static boolean reachable(Person person) {
        return person.kind() == DataMap.Subject.CUSTOMER || person.kind() == DataMap.Subject.AFFILIATE;
    }

    /** The map's retention rule: the text the run reports is the one the public data map shows. */
    private static String rule(String table) {
        return MAP.table(table).retention().rule();
    }
}
