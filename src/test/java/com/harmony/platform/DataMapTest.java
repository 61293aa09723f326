package com.harmony.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** P1: every column the migrations create is classified in the one data map, the map names no ghost, and every table has an owner. */
@QuarkusTest
class DataMapTest {

    @Inject
    Pool pool;

    private Set<String> liveColumns() {
        Set<String> live = new TreeSet<>();
        for (Row row : pool.query("""
                select table_name, column_name from information_schema.columns
                where table_schema = current_schema() and table_name <> 'flyway_schema_history'""")
                .execute().await().atMost(Duration.ofSeconds(10))) {
            live.add(row.getString("table_name") + "." + row.getString("column_name"));
        }
        return live;
    }

    @Test
    void P1_everyColumnOfEveryTableIsClassified() {
        DataMap map = DataMap.load();
        List<String> unclassified = new ArrayList<>();
        for (String column : liveColumns()) {
            String[] parts = column.split("\\.");
            if (map.classOf(parts[0], parts[1]) == null) unclassified.add(column);
        }
        assertEquals(List.of(), unclassified, "classify these columns in src/main/resources/data-map.json");
    }

    @Test
    void everyTableOfTheSchemaHasAnOwningFeature() {
        Map<String, String> owners = DataMap.load().owners();
        List<String> unowned = new ArrayList<>();
        for (Row row : pool.query("""
                select table_name from information_schema.tables
                where table_schema = current_schema() and table_name <> 'flyway_schema_history'
                order by table_name""")
                .execute().await().atMost(Duration.ofSeconds(10))) {
            String table = row.getString("table_name");
            if (owners.getOrDefault(table, "").isBlank()) unowned.add(table);
        }
        assertEquals(List.of(), unowned, "give these tables a \"feature\" in src/main/resources/data-map.json: "
                + "the one package whose code may name them (TableOwnershipTest checks the code)");
    }

    @Test
    void P1_theDataMapNamesOnlyRealColumnsWithKnownClasses() {
        Set<String> live = liveColumns();
        for (Map.Entry<String, Map<String, String>> table : DataMap.load().tables().entrySet()) {
            for (Map.Entry<String, String> column : table.getValue().entrySet()) {
                String name = table.getKey() + "." + column.getKey();
                assertTrue(live.contains(name), name + " is in the data map but not in the schema");
                assertTrue(DataMap.CLASSES.contains(column.getValue()), name + " has unknown class " + column.getValue());
            }
        }
    }
}
