package com.harmony.affiliate;

import com.harmony.consent.ConsentService;
import com.harmony.platform.ClientAddress;
import com.harmony.platform.ProblemException;
import com.harmony.platform.ProblemType;
import com.harmony.platform.ReferralAttribution;
import com.harmony.platform.Rows;
import com.harmony.platform.Throttle;
import com.harmony.platform.Throttle.Limit;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Referral visits (P11, P12) and the attribution of orders to them. A visit stores the affiliate, the
 * campaign, the visitor, the client address, user agent, landing page and referrer; its id and the
 * affiliate's go into the first-party affiliate cookie for the attribution window. An order placed in
 * the window is attributed to the last (or, configured, the first) visit its buyer's client presents.
 */
@ApplicationScoped
public class ReferralService implements ReferralAttribution {

    private static final Logger LOG = Logger.getLogger(ReferralService.class);
    private static final Pattern CODE = Pattern.compile(AffiliateRequests.CODE);

    private static final String RESOLVE = """
            select a.id as affiliate_id, a.status, null::uuid as campaign_id from affiliate a where a.code = upper($1)
            union all
            select a.id, a.status, c.id from affiliate_campaign c join affiliate a on a.id = c.affiliate_id where lower(c.code) = lower($1)
            limit 1""";
    /** Resolves the code and records the visit in one statement; no row when the code is unknown or its affiliate inactive. */
    private static final String RECORD_VISIT = """
            insert into referral_visit (affiliate_id, campaign_id, visitor_id, ip, user_agent, landing_page, referrer, bot, attributable_until)
            select r.affiliate_id, r.campaign_id, $2, $3, $4, $5, $6, $7, now() + $8 * interval '1 millisecond'
            from (%s) r where r.status = 'approved'
            returning id, affiliate_id, rfc3339(attributable_until) as until""".formatted(RESOLVE);
    private static final String LIVE_VISIT = """
            select v.id, v.affiliate_id, rfc3339(v.attributable_until) as until from referral_visit v
            join affiliate a on a.id = v.affiliate_id and a.status = 'approved'
            where v.id = $1 and v.affiliate_id = $2 and not v.bot and v.attributable_until > now()""";
    /** The visits a buyer's client can present: the one in its cookie or header, and every visit of its visitor. */
    private static final String CANDIDATES = """
            select v.id, v.affiliate_id, a.account_id as affiliate_account, a.status from referral_visit v join affiliate a on a.id = v.affiliate_id
            where not v.bot and v.attributable_until > now()
              and ((v.id = $1 and v.affiliate_id = $2) or (v.visitor_id is not null and v.visitor_id = $3))
            order by v.created_at %s, v.id limit 1""";
    private static final String ATTRIBUTE = """
            insert into affiliate_order (order_id, affiliate_id, visit_id, buyer_account_id, buyer_ip, outcome)
            values ($1, $2, $3, $4, $5, $6) on conflict (order_id) do nothing""";
    private final Pool pool;
    private final Throttle throttle;
    private final AffiliateConfig config;
    private final com.harmony.visitor.VisitorService visitors;

    private final ConsentService consents;

    ReferralService(Pool pool, Throttle throttle, AffiliateConfig config, com.harmony.visitor.VisitorService visitors, ConsentService consents) {
        this.consents = consents;
        this.pool = pool;
        this.throttle = throttle;
        this.config = config;
        this.visitors = visitors;
    }

    /** A recorded visit: the value for the affiliate cookie and until when it can attribute an order. */
    public record Visit(UUID visitId, UUID affiliateId, String referral, String attributableUntil, boolean bot) {
    }

    /** Where a visit came from, as the API saw it. */
    public record Arrival(String code, String landingPage, String referrer, String visitorToken, String ip, String userAgent,
            String presentedReferral) {
    }

    /**
     * Records a visit. Malformed, unknown and inactive codes are refused with a problem saying which,
     * and nothing is stored; visits are throttled per client address and code. A known bot is recorded
     * but never counted or attributed. With first-click attribution, a live referral the client already
     * holds is kept. Null when the visitor did not allow an optional affiliate cookie: nothing stored.
     */
    public Uni<Visit> recordVisit(Arrival a) {
        if (a.code() == null || !CODE.matcher(a.code().strip()).matches()) {
            return Uni.createFrom().failure(ProblemException.invalid("code", "must be 3-32 letters, digits, _ or -"));
        }
        String code = a.code().strip();
        return throttle.acquire(ProblemType.RATE_LIMITED, "Too many visits from this client with this code.",
                        Limit.of("referral:" + ClientAddress.bucket(a.ip()) + "|" + code.toLowerCase(Locale.ROOT), config.visitsPerClient(), config.visitWindow()))
                .chain(() -> visitors.verify(a.visitorToken()))
                .chain(visitor -> attributionAllowed(visitor).chain(allowed -> allowed ? insertVisit(code, visitor, a) : Uni.createFrom().<Visit>nullItem()))
                .chain(visit -> visit != null && "first_click".equals(config.attribution()) && !visit.bot() ? keepEarlier(visit, a.presentedReferral())
                        : Uni.createFrom().item(visit));
    }

    /**
     * Where the affiliate cookie is configured optional (C1), only a visitor who allowed it is tracked;
     * anyone else follows the link untracked. Where it is necessary, every visit counts.
     */
    private Uni<Boolean> attributionAllowed(UUID visitor) {
        if (!consents.affiliateAttributionOptional()) {
            return Uni.createFrom().item(true);
        }
        return visitor == null ? Uni.createFrom().item(false)
                : consents.allows(ConsentService.Subject.visitor(visitor), ConsentService.Purpose.AFFILIATE_ATTRIBUTION);
    }

    private Uni<Visit> insertVisit(String code, UUID visitor, Arrival a) {
        boolean bot = isBot(a.userAgent());
        return pool.preparedQuery(RECORD_VISIT).execute(Tuple.from(new Object[] {code, visitor, a.ip(), truncate(a.userAgent(), 500),
                        truncate(a.landingPage(), 2000), truncate(a.referrer(), 2000), bot, config.window().toMillis()}))
                .chain(rows -> {
                    Row v = Rows.first(rows);
                    if (v == null) {
                        return whyRefused(code);
                    }
                    UUID affiliate = v.getUUID("affiliate_id");
                    return Uni.createFrom().item(new Visit(v.getUUID("id"), affiliate, affiliate + "." + v.getUUID("id"), v.getString("until"), bot));
                });
    }

    /** Nothing was recorded: say whether the code is unknown or its affiliate not active. */
    private Uni<Visit> whyRefused(String code) {
        return pool.preparedQuery(RESOLVE).execute(Tuple.of(code)).map(rows -> {
            Row r = Rows.first(rows);
            if (r == null) {
                throw new ProblemException(AffiliateProblems.UNKNOWN_CODE, "No affiliate or campaign has the code " + code + ".");
            }
            throw new ProblemException(AffiliateProblems.AFFILIATE_INACTIVE, "This affiliate's links are not active ("
                    + r.getString("status") + ").");
        });
    }

    /** First click: the earlier live referral the client holds stays in its cookie. */
    private Uni<Visit> keepEarlier(Visit visit, String presented) {
        Parsed p = Parsed.of(presented);
        if (p == null) {
            return Uni.createFrom().item(visit);
        }
        return pool.preparedQuery(LIVE_VISIT).execute(Tuple.of(p.visitId(), p.affiliateId())).map(rows -> {
            Row live = Rows.first(rows);
            return live == null ? visit : new Visit(live.getUUID("id"), live.getUUID("affiliate_id"), presented, live.getString("until"), false);
        });
    }

    /** A plain link's redirect target: a path on the first storefront origin, or an absolute URL on a configured one. */
    public URI redirectTarget(String to) {
        String target = to == null || to.isBlank() ? "/" : to.strip();
        try {
            if (target.startsWith("/") && !target.startsWith("//") && !target.contains("\\")) {
                return new URI(config.storefrontOrigins().get(0) + target);
            }
            URI uri = new URI(target);
            String origin = uri.getScheme() + "://" + uri.getRawAuthority();
            if (uri.getScheme() != null && uri.getRawAuthority() != null && uri.getRawUserInfo() == null
                    && config.storefrontOrigins().contains(origin)) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // refused below
        }
        throw new ProblemException(AffiliateProblems.REDIRECT_REFUSED, "Links redirect only to the storefront: give a path such as "
                + "/products/x, or a URL on " + String.join(", ", config.storefrontOrigins()) + ".");
    }

    // ------------------------------------------------------------------ attribution (P12)

    @Override
    public Uni<Void> attribute(UUID orderId, UUID buyerAccountId, Referral referral) {
        Parsed p = Parsed.of(referral.referral());
        return visitors.verify(referral.visitorToken())
                .chain(visitor -> p == null && visitor == null ? Uni.createFrom().<Row>nullItem()
                        : pool.preparedQuery(CANDIDATES.formatted("first_click".equals(config.attribution()) ? "asc" : "desc"))
                                .execute(Tuple.of(p == null ? null : p.visitId(), p == null ? null : p.affiliateId(), visitor))
                                .map(Rows::first))
                .chain(visit -> visit == null ? Uni.createFrom().voidItem()
                        : pool.preparedQuery(ATTRIBUTE).execute(Tuple.from(new Object[] {orderId, visit.getUUID("affiliate_id"),
                                visit.getUUID("id"), buyerAccountId, referral.buyerIp(), outcome(visit, buyerAccountId)})).replaceWithVoid())
                .onFailure().recoverWithUni(e -> {
                    LOG.warnf("Attributing order %s failed (%s); the order stands unattributed", orderId, e.getClass().getSimpleName());
                    return Uni.createFrom().voidItem();
                });
    }

    /** Buying through one's own link, or through a suspended affiliate's, earns nothing; the reason is kept. */
    private static String outcome(Row visit, UUID buyer) {
        if (buyer.equals(visit.getUUID("affiliate_account"))) {
            return "self_referral";
        }
        return "approved".equals(visit.getString("status")) ? "attributed" : "affiliate_suspended";
    }

    private boolean isBot(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return false; // apps may send none
        }
        String ua = userAgent.toLowerCase(Locale.ROOT);
        return config.botUserAgents().stream().anyMatch(f -> ua.contains(f.strip().toLowerCase(Locale.ROOT)));
    }

    private static String truncate(String s, int max) {
        return s == null ? null : s.length() <= max ? s : s.substring(0, max);
    }

    /** The referral value {@code <affiliate id>.<visit id>}, or null when it is not one. */
    record Parsed(UUID affiliateId, UUID visitId) {

        static Parsed of(String value) {
            if (value == null || value.length() != 73 || value.charAt(36) != '.') {
                return null;
            }
            try {
                return new Parsed(UUID.fromString(value.substring(0, 36)), UUID.fromString(value.substring(37)));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }
}
