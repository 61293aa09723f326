package com.harmony.affiliate;

import com.harmony.affiliate.AffiliateRequests.ApplyRequest;
import com.harmony.affiliate.AffiliateRequests.CampaignRequest;
import com.harmony.platform.AccountRoles;
import com.harmony.platform.NewestFirst;
import com.harmony.platform.ProblemException;
import com.harmony.platform.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.Period;
import java.util.List;
import java.util.UUID;

/**
 * Affiliates: a signed-in adult applies (P31), staff approve, reject or suspend; an approved affiliate
 * gets role {@code affiliate}, a referral code and may create campaign codes. Statuses: pending →
 * approved | rejected; approved ⇄ suspended.
 */
@ApplicationScoped
public class AffiliateService {

    public static final String ROLE = "affiliate";
    private static final char[] CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    static final String AFFILIATE_JSON = """
            json_build_object('id', a.id, 'account_id', a.account_id, 'status', a.status, 'code', a.code, 'website', a.website,
                'payout_email', a.payout_email, 'terms_version', a.terms_version, 'rate_bp', a.rate_bp,
                'campaigns', coalesce((select json_agg(json_build_object('id', c.id, 'code', c.code, 'name', c.name,
                    'created_at', rfc3339(c.created_at)) order by c.created_at) from affiliate_campaign c where c.affiliate_id = a.id), '[]'::json),
                'applied_at', rfc3339(a.applied_at), 'decided_at', rfc3339(a.decided_at), 'decision_note', a.decision_note)::text""";
    private static final NewestFirst LISTING = new NewestFirst("affiliate a", "a", "applied_at", "affiliates", AFFILIATE_JSON);
    private static final String BY_ACCOUNT = "select " + AFFILIATE_JSON + " as doc from affiliate a where a.account_id = $1";
    private static final String BY_ID = "select " + AFFILIATE_JSON + " as doc from affiliate a where a.id = $1";
    private static final String INSERT = """
            insert into affiliate (account_id, status, website, payout_email, terms_version, rate_bp, adult_attested_at)
            values ($1, 'pending', $2, $3, $4, $5, now()) on conflict (account_id) do nothing returning id""";
    private static final String DECIDE = """
            update affiliate set status = $3, code = coalesce(code, $4), rate_bp = coalesce($5, rate_bp), decided_at = now(),
                decided_by = $6, decision_note = $7
            where id = $1 and status = any($2) returning account_id""";
    private static final String STATUS = "select status from affiliate where id = $1";
    private static final String MINE = "select id, status from affiliate where account_id = $1";
    /** At most 100 campaigns per affiliate, and never a code that is some affiliate's own. */
    private static final String INSERT_CAMPAIGN = """
            insert into affiliate_campaign (affiliate_id, code, name)
            select $1, $2::text, $3 where not exists (select 1 from affiliate where code = upper($2::text))
              and (select count(*) from affiliate_campaign where affiliate_id = $1) < 100
              and exists (select 1 from affiliate where id = $1 and status = 'approved')
            returning id""";

    private final Pool pool;
    private final AccountRoles roles;
    private final AffiliateConfig config;

    private final com.harmony.platform.Audit audit;

    AffiliateService(Pool pool, AccountRoles roles, AffiliateConfig config, com.harmony.platform.Audit audit) {
        this.audit = audit;
        this.pool = pool;
        this.roles = roles;
        this.config = config;
    }

    /** The terms an application accepts. */
    public String termsVersion() {
        return config.termsVersion();
    }

    public Uni<String> apply(UUID accountId, ApplyRequest r) {
        checkAdult(r.birthDate(), r.adultConfirmed());
        if (!config.termsVersion().equals(r.termsVersion())) {
            throw ProblemException.invalid("terms_version", "must be the current terms version, " + config.termsVersion());
        }
        return pool.preparedQuery(INSERT).execute(Tuple.of(accountId, r.website().strip(), r.payoutEmail().strip(), r.termsVersion(),
                        config.defaultRateBp()))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().failure(new ProblemException(AffiliateProblems.ALREADY_APPLIED,
                                "You have applied already; see GET /v1/affiliate."));
                    }
                    return mine(accountId);
                });
    }

    /** P31: a birth date of someone 18 or older, or an explicit statement; nothing is stored otherwise. */
    private static void checkAdult(LocalDate birthDate, Boolean adultConfirmed) {
        if (birthDate != null) {
            if (birthDate.isAfter(LocalDate.now())) {
                throw ProblemException.invalid("birth_date", "must be in the past");
            }
            if (Period.between(birthDate, LocalDate.now()).getYears() < 18) {
                throw new ProblemException(AffiliateProblems.UNDER_AGE, "Affiliates must be 18 or older; nothing was stored.");
            }
            return;
        }
        if (adultConfirmed == null) {
            throw ProblemException.invalid("birth_date", "give a birth date or adult_confirmed=true");
        }
        if (!adultConfirmed) {
            throw new ProblemException(AffiliateProblems.UNDER_AGE, "Affiliates must be 18 or older; nothing was stored.");
        }
    }

    public Uni<String> mine(UUID accountId) {
        return pool.preparedQuery(BY_ACCOUNT).execute(Tuple.of(accountId))
                .map(rows -> Rows.doc(require(Rows.first(rows), "Your affiliate application")));
    }

    public Uni<String> get(UUID affiliateId) {
        return pool.preparedQuery(BY_ID).execute(Tuple.of(affiliateId))
                .map(rows -> Rows.doc(require(Rows.first(rows), "Affiliate " + affiliateId)));
    }

    /** The caller's affiliate id when approved (or suspended: they may still read their dashboard). */
    public Uni<UUID> affiliateOf(UUID accountId) {
        return pool.preparedQuery(MINE).execute(Tuple.of(accountId)).map(rows -> {
            Row r = Rows.first(rows);
            if (r == null || !(r.getString("status").equals("approved") || r.getString("status").equals("suspended"))) {
                throw ProblemException.notFound("An approved affiliate account of yours");
            }
            return r.getUUID("id");
        });
    }

    // ------------------------------------------------------------------ staff decisions

    /**
     * Approves and grants the role. The decision commits first; should granting the role fail, asking
     * again (409: already approved) grants it then, so an approved affiliate never stays without it.
     */
    public Uni<String> approve(UUID affiliateId, UUID staff, String note, Integer rateBp) {
        return decide(affiliateId, List.of("pending", "suspended"), "approved", rateBp, staff, note)
                .call(accountId -> roles.grant(accountId, ROLE))
                .onFailure(e -> e instanceof ProblemException p && p.type() == AffiliateProblems.ILLEGAL_DECISION)
                .call(() -> pool.preparedQuery("select account_id from affiliate where id = $1 and status = 'approved'")
                        .execute(Tuple.of(affiliateId))
                        .chain(rows -> Rows.first(rows) == null ? Uni.createFrom().voidItem()
                                : roles.grant(Rows.first(rows).getUUID("account_id"), ROLE)))
                .chain(accountId -> get(affiliateId));
    }

    public Uni<String> reject(UUID affiliateId, UUID staff, String note) {
        return decide(affiliateId, List.of("pending"), "rejected", null, staff, note).chain(accountId -> get(affiliateId));
    }

    /** A suspended affiliate's links stop working and their new orders earn nothing; they keep reading their dashboard. */
    public Uni<String> suspend(UUID affiliateId, UUID staff, String note) {
        return decide(affiliateId, List.of("approved"), "suspended", null, staff, note).chain(accountId -> get(affiliateId));
    }

    private Uni<UUID> decide(UUID affiliateId, List<String> from, String to, Integer rateBp, UUID staff, String note) {
        // staff decide about someone's data: audited with the decision (P24)
        com.harmony.platform.Audit.Entry entry = audit.entry("affiliate." + to, "affiliate", affiliateId, null)
                .about("select account_id from affiliate where id = $5::varchar::uuid");
        // only an approval hands out a code
        return pool.withTransaction(conn -> conn.preparedQuery(DECIDE).execute(Tuple.from(new Object[] {affiliateId, from.toArray(String[]::new), to,
                        "approved".equals(to) ? newCode() : null, rateBp,
                        staff, note}))
                .chain(rows -> {
                    Row r = Rows.first(rows);
                    if (r != null) {
                        return audit.write(conn, entry).replaceWith(r.getUUID("account_id"));
                    }
                    return conn.preparedQuery(STATUS).execute(Tuple.of(affiliateId)).map(s -> {
                        Row st = require(Rows.first(s), "Affiliate " + affiliateId);
                        throw new ProblemException(AffiliateProblems.ILLEGAL_DECISION, "An affiliate who is " + st.getString("status")
                                + " cannot become " + to + ".");
                    });
                }));
    }

    /** Affiliates newest first, optionally in one status. */
    public Uni<String> list(String status, int limit, String cursor) {
        return LISTING.page(pool, "status", status, limit, cursor);
    }

    // ------------------------------------------------------------------ campaigns

    public Uni<String> createCampaign(UUID accountId, CampaignRequest r) {
        return pool.preparedQuery(MINE).execute(Tuple.of(accountId))
                .map(rows -> {
                    Row mine = Rows.first(rows);
                    if (mine == null || !"approved".equals(mine.getString("status"))) {
                        throw new ProblemException(AffiliateProblems.AFFILIATE_INACTIVE, "Only an approved affiliate creates campaigns.");
                    }
                    return mine.getUUID("id");
                })
                .chain(id -> pool.preparedQuery(INSERT_CAMPAIGN).execute(Tuple.of(id, r.code(), r.name().strip()))
                        .onFailure(com.harmony.platform.Rows::isUniqueViolation).recoverWithNull()
                        .invoke(rows -> {
                            if (rows == null || rows.size() == 0) {
                                throw new ProblemException(AffiliateProblems.CODE_TAKEN, "The code " + r.code() + " is taken (or you have "
                                        + "100 campaigns already); choose another.");
                            }
                        }))
                .chain(() -> mine(accountId));
    }

    static String newCode() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            b.append(CODE_ALPHABET[RANDOM.nextInt(CODE_ALPHABET.length)]);
        }
        return b.toString();
    }


    static Row require(Row row, String what) {
        if (row == null) {
            throw ProblemException.notFound(what);
        }
        return row;
    }

}
