package com.harmony.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.platform.DataMap.Column;
import com.harmony.platform.DataMap.Erase;
import com.harmony.platform.DataMap.Retention;
import com.harmony.platform.DataMap.Subject;
import com.harmony.platform.DataMap.SubjectPath;
import com.harmony.platform.DataMap.Table;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * P1, P28: the data map is the policy as data. Every column the migrations create is classified and
 * the map names no ghost; every table says who owns it, whose data it is and how to reach that person
 * (through columns that exist), why and on which basis it is held, who receives it, how long it is
 * kept and what erasure does; JSON and free text say what may be inside; retention periods match the
 * configured defaults; values outside the vocabulary are refused.
 */
@QuarkusTest
class DataMapTest {

    private static final Pattern ISO_PERIOD = Pattern.compile("P(?!$)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+S)?)?");
    private static final Pattern EVENT = Pattern.compile("[a-z][a-z_]*");

    @Inject
    Pool pool;

    /** Live column ("table.column") to its type: data_type, with the maximum length of a varchar. */
    private Map<String, String> liveColumns() {
        Map<String, String> live = new TreeMap<>();
        for (Row row : pool.query("""
                select table_name, column_name, data_type, character_maximum_length from information_schema.columns
                where table_schema = current_schema() and table_name <> 'flyway_schema_history'""")
                .execute().await().atMost(Duration.ofSeconds(10))) {
            Integer length = row.getInteger("character_maximum_length");
            live.put(row.getString("table_name") + "." + row.getString("column_name"),
                    row.getString("data_type") + (length == null ? "" : "(" + length + ")"));
        }
        return live;
    }

    @Test
    void P1_everyColumnOfEveryTableIsClassified() {
        DataMap map = DataMap.load();
        List<String> unclassified = new ArrayList<>();
        for (String column : liveColumns().keySet()) {
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
        Set<String> live = liveColumns().keySet();
        List<String> wrong = new ArrayList<>();
        for (Table table : DataMap.load().definitions().values()) {
            for (Column column : table.columns().values()) {
                String name = table.name() + "." + column.name();
                if (!live.contains(name)) wrong.add(name + " is in the data map but not in the schema");
                if (!DataMap.CLASSES.contains(column.dataClass())) wrong.add(name + " has unknown class " + column.dataClass());
                if (column.contains() != null) {
                    column.contains().stream().filter(c -> !DataMap.CLASSES.contains(c)).forEach(c -> wrong.add(name + " may contain unknown class " + c));
                    if (!column.contains().isEmpty() && !"none".equals(column.dataClass()) && !column.contains().contains(column.dataClass())) {
                        wrong.add(name + ": its class " + column.dataClass() + " must be among what it may contain " + column.contains());
                    }
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void P1_P28_everyTableSaysWhoseDataItIsWhyOnWhichBasisWhoReceivesItHowLongAndWhatErasureDoes() {
        DataMap map = DataMap.load();
        DataMap.Vocabulary words = map.vocabulary();
        List<String> missing = new ArrayList<>();
        for (Table t : map.definitions().values()) {
            String at = t.name() + ": ";
            if (t.feature() == null || t.feature().isBlank()) missing.add(at + "no owning feature");
            else if (!words.features().containsKey(t.feature())) missing.add(at + "feature " + t.feature() + " has no title under \"features\"");
            if (t.subjects().isEmpty()) missing.add(at + "no subject (whose data a row is; none for catalog and configuration)");
            if (blank(t.purpose())) missing.add(at + "no purpose");
            missing.addAll(retentionFaults(at, t.retention(), t.personal()));
            if (t.erase() == null) missing.add(at + "no erase action");
            if (t.retention() != null) {
                t.retention().columns().keySet().stream().filter(c -> !t.columns().containsKey(c))
                        .forEach(c -> missing.add(at + "retention names column " + c + ", which the table does not have"));
            }
            if (!t.personal()) {
                if (t.subjects().size() > 1) missing.add(at + "subject none cannot be combined with other kinds");
                if (!t.subjectPaths().isEmpty()) missing.add(at + "subject none has no subject path");
                if (t.erase() != null && t.erase() != Erase.NONE) missing.add(at + "subject none: erase must be none");
                t.columns().values().stream().filter(Column::personal)
                        .forEach(c -> missing.add(at + c.name() + " is personal (" + c.dataClass() + ") but the table's subject is none"));
                continue;
            }
            if (blank(t.label())) missing.add(at + "no label (the public data map shows it)");
            for (Subject kind : t.subjects()) {
                if (t.subjectPaths().getOrDefault(kind, List.of()).isEmpty()) missing.add(at + "no subject path for " + kind.wire());
            }
            t.subjectPaths().keySet().stream().filter(kind -> !t.subjects().contains(kind))
                    .forEach(kind -> missing.add(at + "subject path for " + kind.wire() + ", which is not a subject of the table"));
            if (t.legalBasis().isEmpty()) missing.add(at + "no legal basis");
            if (t.sources().isEmpty()) missing.add(at + "no source (where the data comes from: the access summary says it)");
            t.sources().stream().filter(r -> !words.sources().containsKey(r))
                    .forEach(r -> missing.add(at + "source " + r + " is not described under \"sources\""));
            if (t.recipients() == null) missing.add(at + "no recipients list (empty when nobody receives the data)");
            else t.recipients().stream().filter(r -> !words.recipients().containsKey(r))
                    .forEach(r -> missing.add(at + "recipient " + r + " is not described under \"recipients\""));
            if (t.erase() == Erase.NONE) missing.add(at + "holds personal data: erase cannot be none");
            if ((t.erase() == Erase.KEEP_ANONYMISED || t.erase() == Erase.PSEUDONYMISE) && blank(t.eraseReason())) {
                missing.add(at + t.erase().wire() + " needs an erase_reason");
            }
            if (t.columns().values().stream().noneMatch(Column::personal)) missing.add(at + "has a subject but no personal column");
        }
        assertEquals(List.of(), missing, "complete src/main/resources/data-map.json");
    }

    private static List<String> retentionFaults(String at, Retention r, boolean personal) {
        List<String> faults = new ArrayList<>();
        if (r == null || blank(r.period())) {
            faults.add(at + "no retention period");
            return faults;
        }
        if (DataMap.INDEFINITE.equals(r.period())) {
            if (personal) faults.add(at + "personal data cannot be kept indefinitely");
        } else if (!DataMap.UNTIL_ERASURE.equals(r.period())) {
            if (!ISO_PERIOD.matcher(r.period()).matches()) faults.add(at + "retention period " + r.period() + " is not an ISO-8601 duration");
            if (r.from() == null || !EVENT.matcher(r.from()).matches()) faults.add(at + "retention of " + r.period() + " says from which event (\"from\")");
            if (r.enforced() == null) faults.add(at + "retention of " + r.period() + " says whether a purge enforces it (\"enforced\")");
        }
        if (blank(r.rule())) faults.add(at + "retention has no rule explaining it");
        r.columns().forEach((column, rule) -> faults.addAll(retentionFaults(at + column + ": ", rule, true)));
        return faults;
    }

    @Test
    void P1_subjectPathsLeadThroughColumnsOfTheLiveSchema() {
        Map<String, String> live = liveColumns();
        DataMap map = DataMap.load();
        List<String> wrong = new ArrayList<>();
        for (Table t : map.definitions().values()) {
            t.subjectPaths().forEach((kind, paths) -> paths.forEach(p -> {
                String at = t.name() + " (" + kind.wire() + "): ";
                String start = t.name() + "." + p.column();
                if (!live.containsKey(start)) {
                    wrong.add(at + start + " is not a live column");
                    return;
                }
                Column column = t.columns().get(p.column());
                if (column == null || !column.personal()) wrong.add(at + start + " starts the path but is classified none");
                if (p.jsonKey() != null && !live.get(start).startsWith("json")) wrong.add(at + start + " is not JSON, so ->>" + p.jsonKey() + " cannot apply");
                for (DataMap.Hop hop : p.parents()) {
                    if (!live.containsKey(hop.table() + "." + hop.column())) wrong.add(at + hop.table() + "." + hop.column() + " is not a live column");
                    if (!live.containsKey(hop.table() + ".id")) wrong.add(at + hop.table() + " has no id to follow");
                }
            }));
        }
        assertEquals(List.of(), wrong);
    }

    /** JSON, arrays, text and long varchars of tables holding personal data: the map must say what can be inside (P1). */
    @Test
    void P1_jsonAndFreeTextColumnsSayWhatTheyMayHold() {
        Map<String, String> live = liveColumns();
        DataMap map = DataMap.load();
        List<String> unsaid = new ArrayList<>();
        live.forEach((name, type) -> {
            String[] parts = name.split("\\.");
            Table t = map.table(parts[0]);
            Column c = t == null ? null : t.columns().get(parts[1]);
            if (c != null && t.personal() && freeForm(type) && c.contains() == null) unsaid.add(name + " (" + type + ")");
        });
        assertEquals(List.of(), unsaid, "give these columns the object form with \"contains\" (every class a value may hold, [] for none)");
    }

    private static boolean freeForm(String type) {
        Matcher varchar = Pattern.compile("character varying\\((\\d+)\\)").matcher(type);
        return type.startsWith("json") || type.equals("text") || type.equals("ARRAY") || varchar.matches() && Integer.parseInt(varchar.group(1)) >= 500;
    }

    /** A period that follows a setting is the setting's default, so the map cannot drift from what the purge does (P28). */
    @Test
    void P28_retentionPeriodsMatchTheConfiguredDefaults() throws IOException {
        Map<String, String> defaults = new TreeMap<>();
        Pattern line = Pattern.compile("^([a-z0-9.-]+)=(?:\\$\\{[A-Z0-9_]+:([^}]*)}|([^$].*))$");
        for (String l : Files.readAllLines(Path.of("src/main/resources/application.properties"))) {
            Matcher m = line.matcher(l.strip());
            if (m.matches()) defaults.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
        }
        List<String> wrong = new ArrayList<>();
        for (Table t : DataMap.load().definitions().values()) {
            List<Map.Entry<String, Retention>> rules = new ArrayList<>();
            if (t.retention() != null) {
                rules.add(Map.entry(t.name(), t.retention()));
                t.retention().columns().forEach((c, r) -> rules.add(Map.entry(t.name() + "." + c, r)));
            }
            for (Map.Entry<String, Retention> e : rules) {
                Retention r = e.getValue();
                if (r.config() == null) continue;
                String value = defaults.get(r.config());
                if (value == null) wrong.add(e.getKey() + ": " + r.config() + " is not set in application.properties");
                else if (!samePeriod(value, r.period())) {
                    wrong.add(e.getKey() + ": map says " + r.period() + " but " + r.config() + " defaults to " + value);
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    /** Days and times compare as durations (PT24H is P1D); years and months, which Duration cannot hold, as periods. */
    private static boolean samePeriod(String a, String b) {
        boolean calendar = a.matches("P[^T]*[YM].*") || b.matches("P[^T]*[YM].*");
        return calendar ? java.time.Period.parse(a).equals(java.time.Period.parse(b)) : Duration.parse(a).equals(Duration.parse(b));
    }

    @Test
    void P1_theVocabularyIsDescribedForReaders() {
        DataMap.Vocabulary words = DataMap.load().vocabulary();
        assertEquals(new TreeSet<>(DataMap.CLASSES), new TreeSet<>(words.classes().keySet()), "classes");
        assertEquals(wires(Subject.values()), new TreeSet<>(words.subjects().keySet()), "subjects");
        assertEquals(wires(DataMap.LegalBasis.values()), new TreeSet<>(words.legalBases().keySet()), "legal_bases");
        assertEquals(wires(Erase.values()), new TreeSet<>(words.eraseActions().keySet()), "erase_actions");
    }

    private static Set<String> wires(Enum<?>[] values) {
        return Arrays.stream(values).map(v -> v.name().toLowerCase(java.util.Locale.ROOT)).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void P1_P28_valuesOutsideTheVocabularyAreRefusedEachNamed() {
        String json = """
                {"tables": {"t": {"feature": "x", "subject": ["customer", "martian"], "subject_path": {"customer": "account_id -> orders",
                  "ghost": "id"}, "legal_basis": "whim", "erase": "shred", "columns": {"id": "none"}}}}""";
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DataMap.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))));
        for (String fault : List.of("subject \"martian\"", "legal_basis \"whim\"", "erase \"shred\"", "subject_path \"ghost\"", "step \"orders\" must be table.column")) {
            assertTrue(e.getMessage().contains(fault), () -> "expected " + fault + " in: " + e.getMessage());
        }
    }

    @Test
    void P1_subjectPathsParseColumnsJsonFieldsPrefixesAndParents() {
        SubjectPath p = SubjectPath.parse("return_id -> order_return.order_id -> orders.email");
        assertEquals("return_id", p.column());
        assertEquals(List.of(new DataMap.Hop("order_return", "order_id"), new DataMap.Hop("orders", "email")), p.parents());
        assertEquals("account_id", SubjectPath.parse("payload->>account_id").jsonKey());
        assertEquals("order:", SubjectPath.parse("scope[order:] -> orders.email").prefix());
        assertThrows(IllegalArgumentException.class, () -> SubjectPath.parse("Account Id"));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
