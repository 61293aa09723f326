package com.harmony.affiliate;

import com.harmony.platform.NewestFirst;
import com.harmony.platform.ProblemException;
import com.harmony.platform.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What affiliates and staff read: aggregates of visits, conversions and commissions, commission lines
 * and payout runs. By construction these queries never select a visit's IP address or user agent, nor
 * the buyer or the order's contents: an affiliate sees counts, amounts, dates and opaque references.
 */
@ApplicationScoped
public class AffiliateReports {

    /**
     * $1 affiliate, $2 from (date), $3 to (date, inclusive). Counted visits exclude bots. Each figure is
     * grouped once (per day, per campaign) and joined, so the cost grows with the rows, not rows × days.
     */
    private static final String DASHBOARD = """
            with v as (select v.campaign_id, v.created_at::date as day from referral_visit v
                       where v.affiliate_id = $1 and not v.bot and v.created_at >= $2::date and v.created_at < $3::date + 1),
                 o as (select v.campaign_id, o.created_at::date as day from affiliate_order o
                       join referral_visit v on v.id = o.visit_id
                       where o.affiliate_id = $1 and o.outcome = 'attributed' and o.created_at >= $2::date and o.created_at < $3::date + 1),
                 c as (select c.status, c.amount_minor, c.currency, v.campaign_id, c.created_at::date as day from commission c
                       join affiliate_order o on o.order_id = c.order_id join referral_visit v on v.id = o.visit_id
                       where c.affiliate_id = $1 and c.created_at >= $2::date and c.created_at < $3::date + 1),
                 vd as (select day, count(*) as n from v group by day),
                 od as (select day, count(*) as n from o group by day),
                 cd as (select day, sum(amount_minor) as m from c group by day),
                 vk as (select campaign_id, count(*) as n from v group by campaign_id),
                 ok as (select campaign_id, count(*) as n from o group by campaign_id),
                 ck as (select campaign_id, sum(amount_minor) as m from c group by campaign_id),
                 cs as (select status, sum(amount_minor) as m, count(*) as n from c group by status),
                 days as (select day from vd union select day from od union select day from cd),
                 camps as (select campaign_id from vk union select campaign_id from ok union select campaign_id from ck),
                 totals as (select (select count(*) from v) as visits, (select count(*) from o) as conversions)
            select json_build_object(
                'from', $2::date, 'to', $3::date,
                'visits', t.visits, 'conversions', t.conversions,
                'conversion_rate', case when t.visits = 0 then 0 else round(t.conversions::numeric / t.visits, 4) end,
                'commissions', json_build_object(
                    'pending', coalesce((select m from cs where status = 'pending'), 0),
                    'approved', coalesce((select m from cs where status = 'approved'), 0),
                    'paid', coalesce((select m from cs where status = 'paid'), 0),
                    'reversed', coalesce((select n from cs where status = 'reversed'), 0),
                    'currency', (select min(currency) from c)),
                'per_campaign', coalesce((select json_agg(json_build_object('campaign_code', ac.code,
                        'visits', coalesce(vk.n, 0), 'conversions', coalesce(ok.n, 0), 'commission_minor', coalesce(ck.m, 0)))
                    from camps k
                    left join affiliate_campaign ac on ac.id = k.campaign_id
                    left join vk on vk.campaign_id is not distinct from k.campaign_id
                    left join ok on ok.campaign_id is not distinct from k.campaign_id
                    left join ck on ck.campaign_id is not distinct from k.campaign_id), '[]'::json),
                'per_day', coalesce((select json_agg(json_build_object('date', d.day, 'visits', coalesce(vd.n, 0),
                        'conversions', coalesce(od.n, 0), 'commission_minor', coalesce(cd.m, 0)) order by d.day)
                    from days d left join vd on vd.day = d.day left join od on od.day = d.day left join cd on cd.day = d.day), '[]'::json))::text as doc
            from totals t""";
    private static final String LINE_JSON = """
            json_build_object('reference', c.id, 'amount', json_build_object('amount_minor', c.amount_minor, 'currency', c.currency),
                'status', c.status, 'date', c.created_at::date)::text""";

    private static final String PAYOUT_JSON = """
            json_build_object('id', p.id, 'period_from', p.period_from, 'period_to', p.period_to,
                'total', json_build_object('amount_minor', p.total_minor, 'currency', p.currency),
                'lines', coalesce((select json_agg(json_build_object('affiliate_id', l.affiliate_id, 'affiliate_code', a.code,
                    'amount', json_build_object('amount_minor', l.amount_minor, 'currency', p.currency), 'commissions', l.commissions)
                    order by a.code) from affiliate_payout_line l join affiliate a on a.id = l.affiliate_id where l.payout_id = p.id), '[]'::json),
                'created_at', rfc3339(p.created_at))::text""";
    private static final NewestFirst COMMISSIONS = new NewestFirst("commission c", "c", "created_at", "commissions", LINE_JSON);
    private static final NewestFirst PAYOUTS = new NewestFirst("affiliate_payout p", "p", "created_at", "payouts", PAYOUT_JSON);
    private static final String INSERT_PAYOUT = """
            insert into affiliate_payout (period_from, period_to, currency, total_minor, created_by) values ($1, $2, $3, 0, $4) returning id""";
    /**
     * Pays, once, what approved commissions of orders up to the period's end owe (a commission approved
     * after an earlier run is paid by the next one), less clawbacks of paid ones whenever they came:
     * the rows are locked, so two runs at once never pay the same commission twice.
     */
    private static final String PAY = """
            with due as (
                select id, affiliate_id, amount_minor - paid_minor as owed from commission
                where currency = $2
                  and ((status = 'approved' and created_at < $4::date + 1)
                       or (status in ('paid', 'reversed') and amount_minor <> paid_minor and paid_minor > 0))
                  and $3::date is not null
                for update),
            paid as (
                update commission c set paid_minor = c.amount_minor, status = case when c.status = 'reversed' then 'reversed' else 'paid' end,
                    payout_id = $1, updated_at = now()
                from due where c.id = due.id returning due.affiliate_id, due.owed)
            insert into affiliate_payout_line (payout_id, affiliate_id, amount_minor, commissions)
            select $1, affiliate_id, sum(owed), count(*) from paid group by affiliate_id""";
    private static final String TOTAL = """
            update affiliate_payout p set total_minor = (select coalesce(sum(amount_minor), 0) from affiliate_payout_line where payout_id = p.id)
            where id = $1""";

    private final Pool pool;
    private final CommissionLedger ledger;

    AffiliateReports(Pool pool, CommissionLedger ledger) {
        this.pool = pool;
        this.ledger = ledger;
    }

    public Uni<String> dashboard(UUID affiliateId, LocalDate from, LocalDate to) {
        return pool.preparedQuery(DASHBOARD).execute(Tuple.of(affiliateId, from, to)).map(rows -> Rows.doc(Rows.first(rows)));
    }

    /** Commission lines, newest first: amount, status, date and an opaque reference; nothing about the buyer. */
    public Uni<String> commissions(UUID affiliateId, int limit, String cursor) {
        return COMMISSIONS.page(pool, "affiliate_id", affiliateId, limit, cursor);
    }

    /** A payout run: due commissions are approved first, then everything approved in the period is paid, per affiliate. */
    public Uni<UUID> runPayout(LocalDate from, LocalDate to, String currency, UUID staff) {
        if (to.isBefore(from)) {
            throw ProblemException.invalid("period_to", "must not be before period_from");
        }
        return ledger.approveDueNow().chain(() -> pool.withTransaction(conn -> conn.preparedQuery(INSERT_PAYOUT)
                .execute(Tuple.of(from, to, currency, staff))
                .map(rows -> Rows.first(rows).getUUID("id"))
                .call(id -> conn.preparedQuery(PAY).execute(Tuple.of(id, currency, from, to)))
                .call(id -> conn.preparedQuery(TOTAL).execute(Tuple.of(id)))));
    }

    public Uni<String> payout(UUID id) {
        return pool.preparedQuery("select " + PAYOUT_JSON + " as doc from affiliate_payout p where p.id = $1").execute(Tuple.of(id))
                .map(rows -> Rows.doc(AffiliateService.require(Rows.first(rows), "Payout " + id)));
    }

    public Uni<String> payouts(int limit, String cursor) {
        return PAYOUTS.page(pool, null, null, limit, cursor);
    }

}
