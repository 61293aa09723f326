package com.harmony.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The SQL functions the API's JSON is built with (V1, V35, V36): timestamps come out as RFC 3339 in UTC
 * whatever the session's time zone, and the functions stay cheap to plan (see V36).
 */
@QuarkusTest
class SqlFunctionsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    Pool pool;

    @Test
    void rfc3339WritesUtcWithMicroseconds_whateverTheSessionTimeZone() {
        List<String> written = pool.withTransaction(conn -> conn.query("set local time zone 'America/New_York'").execute()
                .chain(() -> conn.query("""
                        select rfc3339('2026-03-08 06:30:00.123456+00'::timestamptz),
                               rfc3339('2026-12-31 23:59:59.5-05'::timestamptz)""").execute()))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return List.of(r.getString(0), r.getString(1));
                }).await().atMost(WAIT);
        assertEquals(List.of("2026-03-08T06:30:00.123456Z", "2027-01-01T04:59:59.500000Z"), written);
    }

    @Test
    void rfc3339IsInlinedIntoTheStatementsThatCallIt_soItIsNotParsedAndPlannedAgainInEach() {
        String plan = explain("select rfc3339(now())");
        assertTrue(plan.contains("to_char("), plan);
        assertFalse(plan.contains("rfc3339("), "rfc3339 ran as a function of its own:\n" + plan);
    }

    @Test
    void cartAddItemPlansItsStatementsOnce_notForEveryAdd() {
        String config = pool.query("select array_to_string(proconfig, ',') from pg_proc where proname = 'cart_add_item'").execute()
                .map(rows -> rows.iterator().next().getString(0)).await().atMost(WAIT);
        assertEquals("plan_cache_mode=force_generic_plan", config);
    }

    private String explain(String sql) {
        return pool.query("explain (verbose, costs off) " + sql).execute().map(rows -> {
            List<String> lines = new ArrayList<>();
            rows.forEach(r -> lines.add(r.getString(0)));
            return String.join("\n", lines);
        }).await().atMost(WAIT);
    }
}
