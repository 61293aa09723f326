package com.harmony.affiliate;

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
import java.util.List;

/**
 * The affiliate feature's part in privacy requests and retention (P12, P28). An erased affiliate's
 * membership and campaigns are pseudonymised (the commissions and payouts that rest on them are
 * accounting records and stay); an erased buyer's attributed orders keep the pseudonym instead of the
 * account id and lose the IP address; an erased visitor's referral visits lose the visitor id and every
 * network value, and stay as anonymous counts. Nothing stops an erasure here: a commission approved but
 * not yet paid stays owed to the pseudonymised membership.
 */
@ApplicationScoped
public class AffiliatePersonalData implements PersonalData {

    private static final List<String> TABLES = List.of("affiliate", "affiliate_campaign", "referral_visit", "affiliate_order", "commission",
            "affiliate_payout_line");
    private static final DataMap MAP = DataMap.load();

    private static final String CLEAR_VISITS = """
            update referral_visit t set visitor_id = null, ip = null, user_agent = null, landing_page = null, referrer = null,
                network_data_removed_at = coalesce(t.network_data_removed_at, now())
            where %s""";
    private static final String REACHED_ORDERS = "select count(*) as n, max(t.created_at) as newest from affiliate_order t where %s";
    private static final String PSEUDONYMISE_BUYER = """
            update affiliate_order set buyer_account_id = $2, buyer_ip = null where buyer_account_id = $1""";
    private static final String REACHED_COMMISSIONS = "select count(*) as n, max(t.created_at) as newest from commission t where %s";
    private static final String REACHED_PAYOUTS = """
            select count(*) as n, max(p.created_at) as newest from affiliate_payout_line t join affiliate_payout p on p.id = t.payout_id
            where %s""";
    /** Campaign codes are unique: each gets its own random code, which also becomes its name. */
    private static final String PSEUDONYMISE_CAMPAIGNS = """
            update affiliate_campaign t set code = x.c, name = x.c
            from (select t.id, replace(gen_random_uuid()::text, '-', '') as c from affiliate_campaign t where %s) x where t.id = x.id""";
    /** An approved membership ends (its links stop earning), a pending application is closed. */
    private static final String PSEUDONYMISE_AFFILIATE = """
            update affiliate t set account_id = $2::uuid, code = case when t.code is null then null else upper(replace($2::uuid::text, '-', '')) end,
                website = $2::uuid::text, payout_email = $3, decision_note = null,
                status = case t.status when 'approved' then 'suspended' when 'pending' then 'rejected' else t.status end
            where %s""";

    /** Free-text URLs may carry personal data in their query strings: they go with the address and user agent. */
    private static final String PURGE_VISIT_NETWORK = """
            update referral_visit set ip = null, user_agent = null, referrer = null, landing_page = null, network_data_removed_at = now()
            where attributable_until < now() - $1 * interval '1 millisecond'
              and (ip is not null or user_agent is not null or referrer is not null or landing_page is not null)""";
    /** A buyer's address stays while a return could still reverse the commission, plus the retention period. */
    private static final String PURGE_BUYER_IPS = """
            update affiliate_order set buyer_ip = null
            where buyer_ip is not null and created_at < now() - ($1::bigint + $2::bigint) * interval '1 millisecond'""";
    private static final String PURGE_APPLIED_EVENTS = "delete from affiliate_event_applied where applied_at < now() - $1::text::interval";
    /** Settled commissions only: one still pending or approved is money owed, whatever its age. */
    private static final String PURGE_COMMISSIONS = """
            delete from commission where created_at < now() - $1::text::interval and status in ('paid', 'reversed')""";
    private static final String PURGE_ORDERS = """
            delete from affiliate_order o where o.created_at < now() - $1::text::interval
              and not exists (select 1 from commission c where c.order_id = o.order_id)""";
    private static final String PURGE_PAYOUT_LINES = """
            delete from affiliate_payout_line l using affiliate_payout p where p.id = l.payout_id and p.created_at < now() - $1::text::interval""";
    private static final String PURGE_PAYOUTS = """
            delete from affiliate_payout p where p.created_at < now() - $1::text::interval
              and not exists (select 1 from affiliate_payout_line l where l.payout_id = p.id)""";
    /** A visit an attributed order still rests on stays as long as that order. */
    private static final String PURGE_VISITS = """
            delete from referral_visit v where v.created_at < now() - $1::text::interval
              and not exists (select 1 from affiliate_order o where o.visit_id = v.id)""";
    /**
     * Someone who stopped being an affiliate (rejected or suspended) loses the identity of the membership
     * once the accounting period after their last commission has passed, as on erasure but with a fresh
     * random pseudonym; an erased payout email marks a membership done.
     */
    private static final String PURGE_MEMBERSHIPS = """
            with picked as (
                select a.id, gen_random_uuid() as pid from affiliate a
                where a.status in ('rejected', 'suspended') and a.payout_email not like 'erased-%@erased.invalid'
                  and greatest(a.applied_at, a.decided_at, (select max(c.created_at) from commission c where c.affiliate_id = a.id))
                      < now() - $1::text::interval
                for update skip locked),
            c_done as (
                update affiliate_campaign c set code = x.code, name = x.code
                from (select c2.id, replace(gen_random_uuid()::text, '-', '') as code from affiliate_campaign c2 join picked p on p.id = c2.affiliate_id) x
                where c.id = x.id returning 1),
            a_done as (
                update affiliate a set account_id = p.pid, code = case when a.code is null then null else upper(replace(p.pid::text, '-', '')) end,
                    website = p.pid::text, payout_email = 'erased-' || p.pid::text || '@erased.invalid', decision_note = null
                from picked p where a.id = p.id returning 1)
            select (select count(*) from a_done) as affiliates, (select count(*) from c_done) as campaigns""";

    private final AffiliateConfig config;

    AffiliatePersonalData(AffiliateConfig config) {
        this.config = config;
    }

    @Override
    public String feature() {
        return "affiliate";
    }

    @Override
    public List<String> tables() {
        return TABLES;
    }

    /** Staff reads of one of these records name the customer they concern (P24). */
    @Override
    public java.util.Map<String, String> recordOwners() {
        return java.util.Map.of("affiliates", "select account_id from affiliate where id = %s");
    }

    /**
     * The rows that lead to the membership go first, the membership last. Visits through an erased
     * affiliate's links hold the visitors' data, not the affiliate's: they stay for the visitors'
     * own retention rule, counted for a membership that now leads to nobody.
     */
    @Override
    public Uni<List<Erased>> erase(SqlConnection conn, Person person) {
        List<Erased> out = new ArrayList<>();
        boolean visitor = person.kind() == DataMap.Subject.VISITOR;
        return MappedRows.ready(conn)
                .chain(() -> visitor ? count(conn, "referral_visit", person, CLEAR_VISITS)
                        .map(n -> Erased.cleared("referral_visit", n, List.of("visitor_id", "ip", "user_agent", "landing_page", "referrer")))
                        : Uni.createFrom().item(Erased.cleared("referral_visit", 0, List.of())))
                .invoke(out::add)
                .chain(() -> kept(conn, "affiliate_order", person, List.of("buyer_account_id", "buyer_ip"), REACHED_ORDERS))
                .call(e -> person.accountId() == null ? Uni.createFrom().voidItem()
                        : conn.preparedQuery(PSEUDONYMISE_BUYER).execute(Tuple.of(person.accountId(), person.pseudonym())).replaceWithVoid())
                .invoke(out::add)
                .chain(() -> kept(conn, "commission", person, List.of(), REACHED_COMMISSIONS))
                .invoke(out::add)
                .chain(() -> kept(conn, "affiliate_payout_line", person, List.of(), REACHED_PAYOUTS))
                .invoke(out::add)
                .chain(() -> count(conn, "affiliate_campaign", person, PSEUDONYMISE_CAMPAIGNS))
                .invoke(n -> out.add(Erased.pseudonymised("affiliate_campaign", n, List.of("code", "name"))))
                .chain(() -> count(conn, "affiliate", person, PSEUDONYMISE_AFFILIATE, person.pseudonym(), person.pseudonymEmail()))
                .invoke(n -> out.add(Erased.pseudonymised("affiliate", n, List.of("account_id", "code", "website", "payout_email", "decision_note"))))
                .map(x -> out);
    }

    @Override
    public Uni<List<Purged>> purge(SqlConnection conn) {
        List<Purged> out = new ArrayList<>();
        String accounting = config.accountingRetention().toString();
        return run(conn, out, "referral_visit", columnRule("referral_visit", "ip"), PURGE_VISIT_NETWORK, config.visitRetention().toMillis())
                .chain(() -> run(conn, out, "affiliate_order", columnRule("affiliate_order", "buyer_ip"), PURGE_BUYER_IPS,
                        config.returnWindow().toMillis(), config.visitRetention().toMillis()))
                .chain(() -> run(conn, out, "affiliate_event_applied", rule("affiliate_event_applied"), PURGE_APPLIED_EVENTS,
                        MAP.table("affiliate_event_applied").retention().period()))
                .chain(() -> run(conn, out, "commission", rule("commission"), PURGE_COMMISSIONS, accounting))
                .chain(() -> run(conn, out, "affiliate_order", rule("affiliate_order"), PURGE_ORDERS, accounting))
                .chain(() -> run(conn, out, "affiliate_payout_line", rule("affiliate_payout_line"), PURGE_PAYOUT_LINES, accounting))
                .chain(() -> run(conn, out, "affiliate_payout", rule("affiliate_payout"), PURGE_PAYOUTS, accounting))
                .chain(() -> run(conn, out, "referral_visit", rule("referral_visit"), PURGE_VISITS, MAP.table("referral_visit").retention().period()))
                .chain(() -> conn.preparedQuery(PURGE_MEMBERSHIPS).execute(Tuple.of(accounting)))
                .map(rows -> {
                    Row r = Rows.first(rows);
                    out.add(new Purged("affiliate", rule("affiliate"), r.getLong("affiliates")));
                    out.add(new Purged("affiliate_campaign", rule("affiliate_campaign"), r.getLong("campaigns")));
                    return out;
                });
    }

    private static Uni<Void> run(SqlConnection conn, List<Purged> out, String table, String rule, String sql, Object... params) {
        return conn.preparedQuery(sql).execute(Tuple.from(params)).invoke(rows -> out.add(new Purged(table, rule, rows.rowCount()))).replaceWithVoid();
    }

    /** Reports the person's rows of a kept table with the date the newest may go (the accounting period after it). */
    private Uni<Erased> kept(SqlConnection conn, String table, Person person, List<String> columns, String sql) {
        String where = MappedRows.where(table, person);
        if (where == null) {
            return Uni.createFrom().item(Erased.kept(table, 0, columns, rule(table), null));
        }
        Period period = config.accountingRetention();
        return conn.preparedQuery(sql.formatted(where)).execute(MappedRows.key(person)).map(rows -> {
            Row r = Rows.first(rows);
            OffsetDateTime newest = r.getOffsetDateTime("newest");
            return Erased.kept(table, r.getLong("n"), columns, rule(table), newest == null ? null : newest.plus(period));
        });
    }

    /** Runs an UPDATE over the person's rows of the table ($1 the person's key, then extra); answers how many. */
    private static Uni<Long> count(SqlConnection conn, String table, Person person, String sql, Object... extra) {
        String where = MappedRows.where(table, person);
        if (where == null) {
            return Uni.createFrom().item(0L);
        }
        Tuple params = MappedRows.key(person);
        for (Object e : extra) {
            params.addValue(e);
        }
        return conn.preparedQuery(sql.formatted(where)).execute(params).map(rows -> (long) rows.rowCount());
    }

    private static String rule(String table) {
        return MAP.table(table).retention().rule();
    }

    private static String columnRule(String table, String column) {
        return MAP.table(table).retention().columns().get(column).rule();
    }
}
