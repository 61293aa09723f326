package com.harmony.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Checkout prices every cart with the service's variant read, twice (V37): it must be planned once per
 * connection, as a generic plan, not parsed and planned again at every execution.
 */
@QuarkusTest
class VariantSnapshotPlanTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    Pool pool;

    @Test
    void theServicesVariantReadSwitchesToItsGenericPlan_afterPostgresqlsFiveCustomOnes() {
        Row counts = pool.withConnection(conn -> {
            Uni<Void> runs = Uni.createFrom().voidItem();
            for (int i = 0; i < 12; i++) {
                runs = runs.chain(() -> conn.preparedQuery(CatalogSql.VARIANT_SNAPSHOTS)
                        .execute(Tuple.of((Object) new UUID[] {UUID.randomUUID()})).replaceWithVoid());
            }
            return runs.chain(() -> conn.preparedQuery("select generic_plans, custom_plans from pg_prepared_statements where statement = $1")
                    .execute(Tuple.of(CatalogSql.VARIANT_SNAPSHOTS)).map(rows -> rows.iterator().next()));
        }).await().atMost(WAIT);
        // the connection may have run it before: at most five custom plans in all, and the rest generic
        assertTrue(counts.getLong("custom_plans") <= 5, "planned again for each execution: " + counts.toJson());
        assertTrue(counts.getLong("generic_plans") >= 7, counts.toJson().encode());
    }

    @Test
    void theLookupInsideIsPlannedOnce_andAnswersWhatTheCatalogsFunctionAnswers() {
        String config = pool.query("select array_to_string(proconfig, ',') from pg_proc where proname = 'catalog_variant_snapshots_planned'")
                .execute().map(rows -> rows.iterator().next().getString(0)).await().atMost(WAIT);
        assertEquals("plan_cache_mode=force_generic_plan", config);

        Map<String, Object> product = CatalogFixtures.product(null, "Planned tee", new long[] {1500, 1700}, new int[] {5, 0});
        UUID[] ids = ((List<?>) product.get("variants")).stream().map(v -> UUID.fromString((String) ((Map<?, ?>) v).get("id")))
                .toArray(UUID[]::new);
        String viaService = snapshots(CatalogSql.VARIANT_SNAPSHOTS, ids);
        assertEquals(snapshots("select * from catalog_variant_snapshots($1)", ids), viaService);
        assertTrue(viaService.contains("Planned tee") && viaService.contains("1500") && viaService.contains("1700"), viaService);
    }

    private String snapshots(String sql, UUID[] ids) {
        return pool.preparedQuery(sql).execute(Tuple.of((Object) ids)).map(rows -> {
            List<String> out = new ArrayList<>();
            rows.forEach(r -> out.add(r.toJson().encode()));
            out.sort(null);
            return String.join("\n", out);
        }).await().atMost(WAIT);
    }
}
