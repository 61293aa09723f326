package com.harmony.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.platform.DataMap;
import com.harmony.platform.PersonalData;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * One interface, every feature (P28, P29): every table the data map says holds someone's data has
 * exactly one contributor, the feature that owns it, so export and erasure cannot miss a table a
 * migration added.
 */
@QuarkusTest
class PersonalDataCoverageTest {

    @Inject
    RequestProcessor processor;

    @Test
    void P28_everyTableWithPersonalDataHasExactlyOneContributor_itsOwner() {
        DataMap map = DataMap.load();
        Map<String, List<String>> claimed = new TreeMap<>();
        for (PersonalData feature : processor.features()) {
            for (String table : feature.tables()) {
                claimed.computeIfAbsent(table, t -> new ArrayList<>()).add(feature.feature());
                DataMap.Table t = map.table(table);
                assertTrue(t != null, feature.feature() + " claims " + table + ", which the data map does not know");
                assertEquals(t.feature(), feature.feature(), table + " belongs to " + t.feature() + ", not " + feature.feature());
                assertTrue(t.personal(), table + " holds nobody's data, so it needs no contributor");
            }
        }
        List<String> uncovered = new ArrayList<>();
        map.definitions().values().stream().filter(DataMap.Table::personal).forEach(t -> {
            if (!claimed.containsKey(t.name())) {
                uncovered.add(t.name() + " (" + t.feature() + ")");
            }
        });
        assertEquals(List.of(), uncovered, "tables with personal data that no feature exports or erases");
        claimed.forEach((table, owners) -> assertEquals(1, owners.size(), table + " is claimed by " + owners));
    }

    @Test
    void P28_theAccountIsErasedLast_soEveryOtherFeatureFindsItsRowsFirst() {
        List<PersonalData> order = processor.features();
        assertEquals("account", order.get(order.size() - 1).feature());
    }
}
