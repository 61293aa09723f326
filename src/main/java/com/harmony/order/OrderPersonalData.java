package com.harmony.order;

import com.harmony.platform.DataMap;
import com.harmony.platform.MappedRows;
import com.harmony.platform.PersonalData;
import com.harmony.platform.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.Period;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The order feature's part in privacy requests and retention (P28). Orders, their lines, history,
 * returns and refunds are tax and accounting records: erasure keeps them with the identity removed
 * (amounts, items, dates, statuses, the shipping country and the provider's refund references stay),
 * and after the retention period the purge removes the identity of everyone's old orders the same way.
 * A customer's own id becomes the pseudonym; a guest buyer's orders keep their account id, which is
 * the account holder's, who may be someone else.
 */
@ApplicationScoped
public class OrderPersonalData implements PersonalData {

    private static final List<String> TABLES = List.of("orders", "order_line", "order_transition", "order_return", "payment_refund",
            "order_return_line");
    private static final DataMap MAP = DataMap.load();
    /** Orders one purge statement anonymises; the purge repeats until none are left. */
    static final int BATCH = 500;

    private static final String CLEAR_ORDER = """
            ship_name = '', ship_line1 = '', ship_line2 = null, ship_city = '', ship_region = null, ship_postal_code = '',
            ship_phone = null, billing_postal_code = '', card_brand = null, card_last4 = null, card_exp_month = null,
            card_exp_year = null, payment_reference = null, version = version + 1, updated_at = now()""";
    private static final String CLEAR_RETURN = """
            verifier_email = null, verifier_postal_code = null, verifier_ip = null, verifier_user_agent = null, reason = '',
            decision_note = null""";
    private static final List<String> ORDER_COLUMNS = List.of("email", "ship_name", "ship_line1", "ship_line2", "ship_city", "ship_region",
            "ship_postal_code", "ship_phone", "billing_postal_code", "card_brand", "card_last4", "card_exp_month", "card_exp_year",
            "payment_reference");
    private static final List<String> RETURN_COLUMNS = List.of("verifier_email", "verifier_postal_code", "verifier_ip", "verifier_user_agent",
            "reason", "decision_note");

    /** The newest order a statement touched gives the date the kept records may go. */
    private static final String NEWEST = "select count(*) as n, max(o.created_at) as newest from u join orders o on o.id = u.order_id";

    /**
     * Identity removal after the retention period, for everyone: the order, its history, returns and
     * refunds in one statement, a fresh random pseudonym per order. An order whose email is
     * erased-{account id}@erased.invalid has no identity left (an erased customer's, or one purged
     * before), so a second run finds nothing; SKIP LOCKED lets several instances share the work.
     */
    private static final String PURGE_IDENTITIES = """
            with picked as (
                select o.id, gen_random_uuid() as pid from orders o
                where o.created_at < now() - $1::text::interval and o.email <> 'erased-' || o.account_id::text || '@erased.invalid'
                order by o.created_at limit $2 for update skip locked),
            t_done as (
                update order_transition x set actor_id = case when x.actor_role = 'customer' then p.pid else x.actor_id end, note = null
                from picked p where x.order_id = p.id returning 1),
            r_done as (
                update order_return r set verifier_account_id = case when r.verifier_account_id is null then null else p.pid end, %s
                from picked p where r.order_id = p.id returning 1),
            f_done as (
                update payment_refund f set requested_by = case when f.requested_role = 'customer' then p.pid else f.requested_by end, note = null
                from picked p where f.order_id = p.id returning 1),
            o_done as (
                update orders o set account_id = p.pid, email = 'erased-' || p.pid::text || '@erased.invalid', %s
                from picked p where o.id = p.id returning 1)
            select (select count(*) from o_done) as orders, (select count(*) from t_done) as transitions,
                   (select count(*) from r_done) as returns, (select count(*) from f_done) as refunds""".formatted(CLEAR_RETURN, CLEAR_ORDER);
    private static final String PURGE_VERIFIER_NETWORK = """
            update order_return set verifier_ip = null, verifier_user_agent = null
            where created_at < now() - $1::text::interval and (verifier_ip is not null or verifier_user_agent is not null)""";

    private final OrderConfig orders;
    private final ReturnConfig returns;

    OrderPersonalData(OrderConfig orders, ReturnConfig returns) {
        this.orders = orders;
        this.returns = returns;
    }

    @Override
    public String feature() {
        return "order";
    }

    @Override
    public List<String> tables() {
        return TABLES;
    }

    /** Staff reads of one of these records name the customer they concern (P24). */
    @Override
    public java.util.Map<String, String> recordOwners() {
        return java.util.Map.of(
                "orders", "select account_id from orders where id = %s",
                "returns", "select o.account_id from order_return r join orders o on o.id = r.order_id where r.id = %s",
                "refunds", "select o.account_id from payment_refund f join orders o on o.id = f.order_id where f.id = %s");
    }

    /** Orders still moving money or goods, returns not decided and refunds not settled stop erasure, each named by its order number. */
    @Override
    public Uni<List<String>> holds(SqlConnection conn, Person person) {
        List<String> reasons = new ArrayList<>();
        String moving = quoted(OrderStatus.values(), OrderStatus::inProgress);
        String open = quoted(ReturnStatus.values(), ReturnStatus::open);
        return MappedRows.ready(conn)
                .chain(() -> rows(conn, "orders", person, "select t.number, t.status from orders t where %s and t.status in (" + moving
                        + ") order by t.created_at, t.number"))
                .invoke(rows -> rows.forEach(r -> reasons.add("order " + r.getString("number") + " is " + r.getString("status")
                        + " and not yet delivered, cancelled or refunded")))
                .chain(() -> rows(conn, "order_return", person, "select o.number, t.status from order_return t join orders o on o.id = t.order_id "
                        + "where %s and t.status in (" + open + ") order by t.created_at"))
                .invoke(rows -> rows.forEach(r -> reasons.add("a return of order " + r.getString("number") + " is still "
                        + r.getString("status").replace('_', ' '))))
                .chain(() -> rows(conn, "payment_refund", person, "select o.number from payment_refund t join orders o on o.id = t.order_id "
                        + "where %s and t.status = 'pending' order by t.created_at"))
                .invoke(rows -> rows.forEach(r -> reasons.add("a refund of order " + r.getString("number") + " is not settled yet")))
                .map(x -> reasons.stream().distinct().toList());
    }

    /**
     * The payment provider knows the person by the payments' and refunds' references; the carrier by
     * the numbers of the orders whose fulfilment it was asked for (every order that was paid: the
     * request with the shipping address goes out then, P19).
     */
    @Override
    public Uni<Map<String, List<String>>> references(SqlConnection conn, Person person) {
        Map<String, List<String>> refs = new LinkedHashMap<>();
        List<String> payments = new ArrayList<>();
        return MappedRows.ready(conn)
                .chain(() -> rows(conn, "orders", person, "select t.payment_reference as ref from orders t where %s and t.payment_reference is not null"))
                .invoke(rows -> rows.forEach(r -> payments.add(r.getString("ref"))))
                .chain(() -> rows(conn, "payment_refund", person,
                        "select t.provider_reference as ref from payment_refund t where %s and t.provider_reference is not null"))
                .invoke(rows -> rows.forEach(r -> payments.add(r.getString("ref"))))
                .chain(() -> rows(conn, "order_return", person,
                        "select t.refund_reference as ref from order_return t where %s and t.refund_reference is not null"))
                .invoke(rows -> rows.forEach(r -> payments.add(r.getString("ref"))))
                .chain(() -> rows(conn, "orders", person, "select t.number from orders t where %s and exists "
                        + "(select 1 from order_transition x where x.order_id = t.id and x.to_status = 'paid') order by t.number"))
                .map(rows -> {
                    if (!payments.isEmpty()) {
                        refs.put("payment_provider", payments.stream().distinct().toList());
                    }
                    List<String> numbers = new ArrayList<>();
                    rows.forEach(r -> numbers.add(r.getString("number")));
                    if (!numbers.isEmpty()) {
                        refs.put("carrier", numbers);
                    }
                    return refs;
                });
    }

    /**
     * Children first: they reach the person through the order, whose email and account id go last.
     * A second run finds nothing, because nothing leads to the person any more.
     */
    @Override
    public Uni<List<Erased>> erase(SqlConnection conn, Person person) {
        boolean byAccount = person.accountId() != null;
        List<Erased> out = new ArrayList<>();
        String actor = byAccount ? "case when t.%1$s = $3::uuid then $2::uuid else t.%1$s end" : "t.%1$s";
        Object[] ids = byAccount ? new Object[] {person.pseudonym(), person.accountId()} : new Object[0];
        return MappedRows.ready(conn)
                .chain(() -> kept(conn, "order_return_line", person, List.of(), """
                        select count(*) as n, max(o.created_at) as newest from order_return_line t join order_return r on r.id = t.return_id
                        join orders o on o.id = r.order_id where %s"""))
                .invoke(out::add)
                .chain(() -> kept(conn, "order_return", person, byAccount ? concat("verifier_account_id", RETURN_COLUMNS) : RETURN_COLUMNS,
                        "with u as (update order_return t set verifier_account_id = " + actor.formatted("verifier_account_id") + ", " + CLEAR_RETURN
                                + " where %s returning t.order_id) " + NEWEST, ids))
                .invoke(out::add)
                .chain(() -> kept(conn, "payment_refund", person, byAccount ? List.of("requested_by", "note") : List.of("note"),
                        "with u as (update payment_refund t set requested_by = " + actor.formatted("requested_by") + ", note = null"
                                + " where %s returning t.order_id) " + NEWEST, ids))
                .invoke(out::add)
                .chain(() -> kept(conn, "order_transition", person, byAccount ? List.of("actor_id", "note") : List.of("note"),
                        "with u as (update order_transition t set actor_id = " + actor.formatted("actor_id") + ", note = null"
                                + " where %s returning t.order_id) " + NEWEST, ids))
                .invoke(out::add)
                .chain(() -> kept(conn, "order_line", person, List.of(),
                        "select count(*) as n, max(o.created_at) as newest from order_line t join orders o on o.id = t.order_id where %s"))
                .invoke(out::add)
                .chain(() -> byAccount
                        ? kept(conn, "orders", person, concat("account_id", ORDER_COLUMNS), "with u as (update orders t set account_id = $2, email = $3, "
                                + CLEAR_ORDER + " where %s returning t.created_at) select count(*) as n, max(created_at) as newest from u",
                                person.pseudonym(), person.pseudonymEmail())
                        : kept(conn, "orders", person, ORDER_COLUMNS, "with u as (update orders t set email = $2, " + CLEAR_ORDER
                                + " where %s returning t.created_at) select count(*) as n, max(created_at) as newest from u", person.pseudonymEmail()))
                .invoke(out::add)
                .map(x -> out);
    }

    /** Old orders lose their buyer's identity; returns lose the requester's network data after a year. Both are safe to repeat. */
    @Override
    public Uni<List<Purged>> purge(SqlConnection conn) {
        return purgeIdentities(conn, new long[4]).chain(n -> conn.preparedQuery(PURGE_VERIFIER_NETWORK)
                .execute(Tuple.of(returns.verifierRetention().toString()))
                .map(rows -> List.of(
                        new Purged("orders", rule("orders"), n[0]),
                        new Purged("order_transition", rule("order_transition"), n[1]),
                        new Purged("order_return", rule("order_return"), n[2]),
                        new Purged("payment_refund", rule("payment_refund"), n[3]),
                        new Purged("order_return", MAP.table("order_return").retention().columns().get("verifier_ip").rule(), rows.rowCount()))));
    }

    private Uni<long[]> purgeIdentities(SqlConnection conn, long[] total) {
        return conn.preparedQuery(PURGE_IDENTITIES).execute(Tuple.of(orders.identityRetention().toString(), BATCH)).chain(rows -> {
            Row r = Rows.first(rows);
            total[0] += r.getLong("orders");
            total[1] += r.getLong("transitions");
            total[2] += r.getLong("returns");
            total[3] += r.getLong("refunds");
            return r.getLong("orders") < BATCH ? Uni.createFrom().item(total) : purgeIdentities(conn, total);
        });
    }

    /** Runs a statement over the person's rows of a kept table; reports them with the date the newest order's records may go. */
    private Uni<Erased> kept(SqlConnection conn, String table, Person person, List<String> columns, String sql, Object... extra) {
        return rows(conn, table, person, sql, extra).map(rows -> {
            Row r = rows.isEmpty() ? null : rows.get(0);
            long n = r == null ? 0 : r.getLong("n");
            OffsetDateTime newest = r == null ? null : r.getOffsetDateTime("newest");
            return Erased.kept(table, n, columns, rule(table), newest == null ? null : newest.plus(retention()));
        });
    }

    /** The statement with %s the condition that picks the person's rows of the table; none when the map gives the person no way there. */
    private static Uni<List<Row>> rows(SqlConnection conn, String table, Person person, String sql, Object... extra) {
        String where = MappedRows.where(table, person);
        if (where == null) {
            return Uni.createFrom().item(List.of());
        }
        Tuple params = MappedRows.key(person);
        for (Object e : extra) {
            params.addValue(e);
        }
        return conn.preparedQuery(sql.formatted(where)).execute(params).map(rows -> {
            List<Row> out = new ArrayList<>();
            rows.forEach(out::add);
            return out;
        });
    }

    private Period retention() {
        return orders.identityRetention();
    }

    private static String rule(String table) {
        return MAP.table(table).retention().rule();
    }

    private static <E> String quoted(E[] values, Predicate<E> which) {
        return Stream.of(values).filter(which).map(v -> "'" + v + "'").collect(Collectors.joining(", "));
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }
}
