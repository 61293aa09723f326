package com.harmony.analytics;

import com.harmony.analytics.AnalyticsViews.DailyPageViews;
import com.harmony.analytics.AnalyticsViews.DailyReport;
import com.harmony.analytics.AnalyticsViews.PageView;
import com.harmony.consent.ConsentService;
import com.harmony.consent.ConsentService.Purpose;
import com.harmony.consent.ConsentService.Requester;
import com.harmony.platform.ClientAddress;
import com.harmony.platform.ProblemType;
import com.harmony.platform.Throttle;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Page views (P21): recorded only while the requester's preferences allow analytics and no Global
 * Privacy Control signal is sent, with the path alone, browser and OS families, and a truncated
 * client address. Raw rows live for the retention period; then whole days are rolled up into
 * anonymous counts per path and the rows deleted.
 */
@ApplicationScoped
public class PageViewService {

    private static final String INSERT = """
            insert into page_view (visitor_id, account_id, path, browser_family, os_family, client_ip, time_on_page_ms)
            values ($1, $2, $3, $4, $5, $6::text::inet, $7)""";
    /**
     * $1 first day, $2 last day (inclusive), $3 path or null. Days (UTC) already rolled up come from
     * page_view_daily, the rest from the raw rows; a day is never in both (the roll-up moves it in one statement).
     */
    private static final String DAILY = """
            select day, path, views, median from (
                select day, path, views, median_time_on_page_ms as median from page_view_daily
                where day between $1 and $2 and ($3::text is null or path = $3)
                union all
                select (viewed_at at time zone 'UTC')::date, path, count(*),
                       round(percentile_cont(0.5) within group (order by time_on_page_ms))::integer
                from page_view
                where viewed_at >= $1::timestamp at time zone 'UTC' and viewed_at < ($2 + 1)::timestamp at time zone 'UTC'
                  and ($3::text is null or path = $3)
                group by 1, 2) r
            order by day, path""";

    private final Pool pool;
    private final ConsentService consents;
    private final ClientAddress clients;
    private final Throttle throttle;
    private final AnalyticsConfig config;

    PageViewService(Pool pool, ConsentService consents, ClientAddress clients, Throttle throttle, AnalyticsConfig config) {
        this.pool = pool;
        this.consents = consents;
        this.clients = clients;
        this.throttle = throttle;
        this.config = config;
    }

    void checkConfig(@Observes StartupEvent start) {
        AnalyticsConfig.check(config);
    }

    /**
     * Records the view when the requester allows analytics; answers whether it did. Bots, a privacy
     * signal, an unknown requester and a refusal all record nothing, and the caller cannot tell them
     * apart from a recorded view. Bad input is a problem first; then the client is throttled.
     */
    Uni<Boolean> record(AnalyticsViews.PageViewRequest request, HttpServerRequest http) {
        PageView view = request.checked();
        UserAgents.Families families = UserAgents.parse(http.getHeader("User-Agent"));
        String ip = clients.of(http);
        // who is asking first: a token that is not valid is a 401 whatever else the request carries
        return consents.requester(http).chain(requester -> families == null || consents.signal(http) != null ? Uni.createFrom().item(false)
                : throttle.acquire(ProblemType.RATE_LIMITED, "Too many page views from this client.",
                                Throttle.Limit.of("page-view:" + ClientAddress.bucket(ip), config.viewsPerMinute(), Duration.ofMinutes(1)))
                        .chain(() -> allowed(requester))
                        .chain(allowed -> allowed ? insert(requester, view, families, ip) : Uni.createFrom().item(false)));
    }

    private Uni<Boolean> allowed(Requester requester) {
        ConsentService.Subject decider = requester.decider();
        return decider == null ? Uni.createFrom().item(false) : consents.allows(decider, Purpose.ANALYTICS);
    }

    private Uni<Boolean> insert(Requester requester, PageView view, UserAgents.Families families, String ip) {
        Tuple row = Tuple.from(new Object[] {requester.visitorId(), requester.accountId(), view.path(), families.browser().wire(),
                families.os().wire(), network(ip, config.ipv4Prefix(), config.ipv6Prefix()), view.timeOnPageMs()});
        return pool.preparedQuery(INSERT).execute(row).replaceWith(true)
                // the visitor or account was deleted meanwhile: nobody is left to count
                .onFailure(com.harmony.platform.Rows::isForeignKeyViolation).recoverWithItem(false);
    }

    /** Views per day and path in the period (UTC days), oldest first; path null for every path. */
    Uni<DailyReport> daily(LocalDate from, LocalDate to, String path) {
        return pool.preparedQuery(DAILY).execute(Tuple.of(from, to, path)).map(rows -> {
            List<DailyPageViews> days = new ArrayList<>();
            for (Row r : rows) {
                days.add(new DailyPageViews(r.getLocalDate("day"), r.getString("path"), r.getLong("views"), r.getInteger("median")));
            }
            return new DailyReport(from, to, path, days);
        });
    }

    /**
     * The client address as stored: its network with the configured prefix ("203.0.113.0/24"), or
     * null when the prefix is 0 or the address is not an IP literal (never resolved as a name).
     */
    static String network(String address, int ipv4Prefix, int ipv6Prefix) {
        byte[] bytes = ClientAddress.literalBytes(address); // an IPv4-mapped IPv6 address comes back as IPv4
        if (bytes == null) {
            return null;
        }
        int prefix = bytes.length == 4 ? ipv4Prefix : ipv6Prefix;
        if (prefix <= 0) {
            return null;
        }
        for (int bit = prefix; bit < bytes.length * 8; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            return InetAddress.getByAddress(bytes).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            return null;
        }
    }

}
