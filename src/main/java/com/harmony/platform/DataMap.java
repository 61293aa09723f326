package com.harmony.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The privacy policy as data (P1, P28): every column the service stores, classified, and per table
 * whose data a row is, how to reach that person, why it is held, on which legal basis, who receives
 * it, how long it is kept and what erasure does to it. Export, erasure, the retention purge and the
 * public data map read it; DataMapTest compares it with the live schema. The vocabulary (subject
 * kinds, legal bases, erase actions) is closed: an unknown value fails the load, naming every one.
 */
public final class DataMap {

    /** The kinds of data a column may hold. */
    public static final Set<String> CLASSES = Set.of("none", "identity", "contact", "credential", "network", "payment", "behaviour", "subject");

    /** The retention period of a table that holds no personal data. */
    public static final String INDEFINITE = "indefinite";
    /** The retention period of data kept while the person's account (or visitor) exists. */
    public static final String UNTIL_ERASURE = "until_erasure";

    /** Whose data a row is. */
    public enum Subject {
        CUSTOMER, AFFILIATE, VISITOR, GUEST_BUYER, ENTRANT, CALLER, COMPLAINANT, PARTNER_CONTACT, STAFF, NONE;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Why the law allows holding the data. */
    public enum LegalBasis {
        CONTRACT, CONSENT, LEGITIMATE_INTEREST, LEGAL_OBLIGATION;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What erasure does to a table's personal data; NONE for a table that holds none. */
    public enum Erase {
        DELETE_ROW, CLEAR, PSEUDONYMISE, KEEP_ANONYMISED, NONE;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One column: its class and, for JSON and free text, every class a value may hold (empty when
     * nothing personal can be inside; null when the map does not say); label and note are null when
     * the map gives none.
     */
    public record Column(String name, String dataClass, List<String> contains, String label, String note) {

        /** Whether the column holds, or may hold, personal data. */
        public boolean personal() {
            return !"none".equals(dataClass) || contains != null && contains.stream().anyMatch(c -> !"none".equals(c));
        }
    }

    /** One step from a table's parent key to its parent row: the row of {@code table} whose id is the value so far, and its column. */
    public record Hop(String table, String column) {
    }

    /**
     * How to reach the person from a row: a column of the row (its JSON field {@code jsonKey}, or its
     * value after {@code prefix}), then through parent rows. Written {@code col}, {@code col->>key},
     * {@code col[prefix:]}, each optionally followed by {@code -> table.column} steps.
     */
    public record SubjectPath(String column, String jsonKey, String prefix, List<Hop> parents) {

        private static final Pattern START = Pattern.compile("([a-z_][a-z0-9_]*)(?:->>([a-z_][a-z0-9_]*)|\\[([a-z_-]+:)\\])?");
        private static final Pattern HOP = Pattern.compile("([a-z_][a-z0-9_]*)\\.([a-z_][a-z0-9_]*)");

        public static SubjectPath parse(String text) {
            String[] steps = text.strip().split("\\s+->\\s+");
            Matcher start = START.matcher(steps[0]);
            if (!start.matches()) {
                throw new IllegalArgumentException("subject path \"" + text + "\" must start with a column (col, col->>key or col[prefix:])");
            }
            List<Hop> parents = new ArrayList<>();
            for (int i = 1; i < steps.length; i++) {
                Matcher hop = HOP.matcher(steps[i]);
                if (!hop.matches()) {
                    throw new IllegalArgumentException("subject path \"" + text + "\": step \"" + steps[i] + "\" must be table.column");
                }
                parents.add(new Hop(hop.group(1), hop.group(2)));
            }
            return new SubjectPath(start.group(1), start.group(2), start.group(3), List.copyOf(parents));
        }
    }

    /**
     * How long data is kept: {@code period} is an ISO-8601 duration counted from the event {@code from},
     * {@link #UNTIL_ERASURE} or {@link #INDEFINITE}; {@code enforced} says whether a scheduled purge
     * applies it today (null when there is nothing to purge); {@code config} names the property whose
     * default the period is; {@code columns} holds rules for columns removed before the row.
     */
    public record Retention(String period, String from, String rule, Boolean enforced, String config, Map<String, Retention> columns) {
    }

    /** Everything the map says about one table. Fields the map leaves out are null (lists and maps empty). */
    public record Table(String name, String feature, String label, List<Subject> subjects, Map<Subject, List<SubjectPath>> subjectPaths,
            String subjectNote, String purpose, List<String> sources, List<LegalBasis> legalBasis, List<String> recipients, Retention retention,
            Erase erase, String eraseReason, Map<String, Column> columns, Map<Subject, List<String>> withheld) {

        /**
         * Columns that hold another person's data when a row is reached only through this kind of subject (an affiliate
         * reaches the visits and orders their links brought, but never learns the visitor's or buyer's identity): an
         * export leaves them out of such rows.
         */
        public List<String> withheldFrom(Subject kind) {
            return withheld.getOrDefault(kind, List.of());
        }

        /** Whether rows are someone's data (the subject is not none). */
        public boolean personal() {
            return !subjects.isEmpty() && !subjects.contains(Subject.NONE);
        }
    }

    /** The map's own explanations of its vocabulary, keyed by wire value, for people reading it. */
    public record Vocabulary(Map<String, String> features, Map<String, String> classes, Map<String, String> subjects,
            Map<String, String> legalBases, Map<String, String> eraseActions, Map<String, String> recipients, Map<String, String> sources) {
    }

    private final Map<String, Table> definitions;
    private final Map<String, Map<String, String>> tables;
    private final Map<String, String> owners;
    private final Vocabulary vocabulary;

    private DataMap(Map<String, Table> definitions, Vocabulary vocabulary) {
        this.definitions = Collections.unmodifiableMap(definitions);
        this.vocabulary = vocabulary;
        Map<String, Map<String, String>> classes = new LinkedHashMap<>();
        Map<String, String> owners = new LinkedHashMap<>();
        definitions.forEach((name, t) -> {
            Map<String, String> columns = new LinkedHashMap<>();
            t.columns().forEach((c, column) -> columns.put(c, column.dataClass()));
            classes.put(name, Collections.unmodifiableMap(columns));
            owners.put(name, t.feature() == null ? "" : t.feature());
        });
        this.tables = Collections.unmodifiableMap(classes);
        this.owners = Collections.unmodifiableMap(owners);
    }

    /** The map on the classpath, parsed once: it is part of the build and immutable. */
    public static DataMap load() {
        return Classpath.MAP;
    }

    private static final class Classpath {
        static final DataMap MAP = read();
    }

    private static DataMap read() {
        try (InputStream in = DataMap.class.getClassLoader().getResourceAsStream("data-map.json")) {
            if (in == null) {
                throw new IllegalStateException("data-map.json is missing from the classpath");
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A map read from JSON; fails with every value outside the vocabulary (and every malformed subject path) named at once. */
    public static DataMap parse(InputStream in) throws IOException {
        JsonNode root = new ObjectMapper().readTree(in);
        List<String> faults = new ArrayList<>();
        Map<String, Table> definitions = new LinkedHashMap<>();
        root.path("tables").fields().forEachRemaining(t -> definitions.put(t.getKey(), table(t.getKey(), t.getValue(), faults)));
        if (!faults.isEmpty()) {
            throw new IllegalStateException("data-map.json: " + String.join("; ", faults));
        }
        return new DataMap(definitions, new Vocabulary(texts(root.path("features")), texts(root.path("classes")), texts(root.path("subjects")),
                texts(root.path("legal_bases")), texts(root.path("erase_actions")), texts(root.path("recipients")), texts(root.path("sources"))));
    }

    /** Table to its columns and their classes. */
    public Map<String, Map<String, String>> tables() {
        return tables;
    }

    /** Table to the feature that owns it (the only one whose code may name it); "" when the map names none. */
    public Map<String, String> owners() {
        return owners;
    }

    /** The class of a column, or null when the map does not know it. */
    public String classOf(String table, String column) {
        Map<String, String> columns = tables.get(table);
        return columns == null ? null : columns.get(column);
    }

    /** Every table with everything the map says about it, in the map's order. */
    public Map<String, Table> definitions() {
        return definitions;
    }

    /** One table, or null when the map does not know it. */
    public Table table(String name) {
        return definitions.get(name);
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    // ------------------------------------------------------------------ parsing

    private static Table table(String name, JsonNode t, List<String> faults) {
        String at = name + ": ";
        List<Subject> subjects = new ArrayList<>();
        for (String s : strings(t.path("subject"))) {
            Subject subject = constant(Subject.class, s, at + "subject", faults);
            if (subject != null) subjects.add(subject);
        }
        List<LegalBasis> bases = new ArrayList<>();
        for (String s : strings(t.path("legal_basis"))) {
            LegalBasis basis = constant(LegalBasis.class, s, at + "legal_basis", faults);
            if (basis != null) bases.add(basis);
        }
        Erase erase = t.hasNonNull("erase") ? constant(Erase.class, t.get("erase").asText(), at + "erase", faults) : null;
        Map<String, Column> columns = new LinkedHashMap<>();
        t.path("columns").fields().forEachRemaining(c -> columns.put(c.getKey(), column(c.getKey(), c.getValue())));
        return new Table(name, text(t, "feature"), text(t, "label"), List.copyOf(subjects), paths(t.path("subject_path"), subjects, at, faults),
                text(t, "subject_note"), text(t, "purpose"), strings(t.path("source")), List.copyOf(bases),
                t.has("recipients") && t.get("recipients").isArray() ? strings(t.get("recipients")) : null,
                retention(t.get("retention")), erase, text(t, "erase_reason"), Collections.unmodifiableMap(columns),
                withheld(t.path("withheld"), subjects, columns, at, faults));
    }

    /** {"affiliate": ["ip", …]}: per subject kind, columns its export never shows (see {@link Table#withheldFrom}). */
    private static Map<Subject, List<String>> withheld(JsonNode node, List<Subject> subjects, Map<String, Column> columns, String at,
            List<String> faults) {
        Map<Subject, List<String>> withheld = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            Subject kind = constant(Subject.class, e.getKey(), at + "withheld", faults);
            if (kind == null) {
                return;
            }
            if (!subjects.contains(kind)) {
                faults.add(at + "withheld names " + e.getKey() + ", which is not a subject of the table");
            }
            List<String> names = strings(e.getValue());
            names.stream().filter(c -> !columns.containsKey(c)).forEach(c -> faults.add(at + "withheld names an unknown column " + c));
            withheld.put(kind, List.copyOf(names));
        });
        return Collections.unmodifiableMap(withheld);
    }

    /** A string applies to every subject kind of the table; an object names the kind; a value may list alternatives. */
    private static Map<Subject, List<SubjectPath>> paths(JsonNode node, List<Subject> subjects, String at, List<String> faults) {
        Map<Subject, List<SubjectPath>> paths = new LinkedHashMap<>();
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                Subject kind = constant(Subject.class, e.getKey(), at + "subject_path", faults);
                if (kind != null) paths.put(kind, parsed(e.getValue(), at, faults));
            });
        } else if (node.isTextual() || node.isArray()) {
            List<SubjectPath> all = parsed(node, at, faults);
            subjects.forEach(s -> paths.put(s, all));
        }
        return Collections.unmodifiableMap(paths);
    }

    private static List<SubjectPath> parsed(JsonNode node, String at, List<String> faults) {
        List<SubjectPath> out = new ArrayList<>();
        for (String text : strings(node)) {
            try {
                out.add(SubjectPath.parse(text));
            } catch (IllegalArgumentException e) {
                faults.add(at + e.getMessage());
            }
        }
        return List.copyOf(out);
    }

    private static Column column(String name, JsonNode c) {
        if (c.isObject()) {
            return new Column(name, text(c, "class"), c.has("contains") ? strings(c.get("contains")) : null, text(c, "label"), text(c, "note"));
        }
        return new Column(name, c.asText(), null, null, null);
    }

    private static Retention retention(JsonNode r) {
        if (r == null || !r.isObject()) {
            return null;
        }
        Map<String, Retention> columns = new LinkedHashMap<>();
        r.path("columns").fields().forEachRemaining(c -> columns.put(c.getKey(), retention(c.getValue())));
        return new Retention(text(r, "period"), text(r, "from"), text(r, "rule"), r.hasNonNull("enforced") ? r.get("enforced").asBoolean() : null,
                text(r, "config"), Collections.unmodifiableMap(columns));
    }

    private static <E extends Enum<E>> E constant(Class<E> type, String wire, String where, List<String> faults) {
        try {
            return Enum.valueOf(type, wire.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            faults.add(where + " \"" + wire + "\" is not one of " + java.util.Arrays.stream(type.getEnumConstants())
                    .map(x -> x.name().toLowerCase(Locale.ROOT)).toList());
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** A string or an array of strings as a list. */
    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(v -> out.add(v.asText()));
        } else if (node.isTextual()) {
            out.add(node.asText());
        }
        return List.copyOf(out);
    }

    private static Map<String, String> texts(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return Collections.unmodifiableMap(out);
    }
}
