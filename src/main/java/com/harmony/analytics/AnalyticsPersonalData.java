package com.harmony.analytics;

import com.harmony.platform.DataMap;
import com.harmony.platform.MappedRows;
import com.harmony.platform.PersonalData;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Analytics' part in privacy requests: a visitor's or customer's page views, deleted on erasure. The
 * retention rolls whole days past ANALYTICS_RETENTION up into anonymous daily counts per path
 * (page_view_daily, nobody's data) and deletes their raw rows.
 */
@ApplicationScoped
public class AnalyticsPersonalData implements PersonalData {

    private static final String RULE = DataMap.load().table("page_view").retention().rule();

    /**
     * Whole days (UTC) that ended more than the retention ($1 ms) ago. One statement, so the rows
     * counted are exactly the rows deleted; an instance running it at the same time counts the same
     * day, finds it inserted (do nothing) and the rows already gone.
     */
    private static final String ROLL_UP = """
            with cutoff as (select (date_trunc('day', (now() - $1 * interval '1 millisecond') at time zone 'UTC') at time zone 'UTC') as t),
                 rolled as (
                     insert into page_view_daily (day, path, views, median_time_on_page_ms)
                     select (viewed_at at time zone 'UTC')::date, path, count(*),
                            round(percentile_cont(0.5) within group (order by time_on_page_ms))::integer
                     from page_view where viewed_at < (select t from cutoff)
                     group by 1, 2
                     on conflict (day, path) do nothing)
            delete from page_view where viewed_at < (select t from cutoff)""";

    private final AnalyticsConfig config;

    AnalyticsPersonalData(AnalyticsConfig config) {
        this.config = config;
    }

    @Override
    public String feature() {
        return "analytics";
    }

    @Override
    public List<String> tables() {
        return List.of("page_view");
    }

    @Override
    public Uni<List<Erased>> erase(SqlConnection conn, Person person) {
        return MappedRows.delete(conn, "page_view", person).map(List::of);
    }

    @Override
    public Uni<List<Purged>> purge(SqlConnection conn) {
        return conn.preparedQuery(ROLL_UP).execute(Tuple.of(config.retention().toMillis()))
                .map(rows -> List.of(new Purged("page_view", RULE, rows.rowCount())));
    }
}
