package com.harmony.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The one classification of every column the service stores (P1): which are personal and of what
 * kind. Export and erasure read it; a test compares it with the live schema after migration.
 */
public final class DataMap {

    /** The kinds of data a column may hold. */
    public static final Set<String> CLASSES = Set.of("none", "identity", "contact", "credential", "network", "payment", "behaviour", "subject");

    private final Map<String, Map<String, String>> tables;
    private final Map<String, String> owners;

    private DataMap(Map<String, Map<String, String>> tables, Map<String, String> owners) {
        this.tables = tables;
        this.owners = owners;
    }

    public static DataMap load() {
        try (InputStream in = DataMap.class.getClassLoader().getResourceAsStream("data-map.json")) {
            if (in == null) {
                throw new IllegalStateException("data-map.json is missing from the classpath");
            }
            JsonNode root = new ObjectMapper().readTree(in);
            Map<String, Map<String, String>> tables = new LinkedHashMap<>();
            Map<String, String> owners = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> t = root.get("tables").fields(); t.hasNext(); ) {
                Map.Entry<String, JsonNode> table = t.next();
                Map<String, String> columns = new LinkedHashMap<>();
                table.getValue().get("columns").fields().forEachRemaining(c -> columns.put(c.getKey(), c.getValue().asText()));
                tables.put(table.getKey(), columns);
                owners.put(table.getKey(), table.getValue().path("feature").asText(""));
            }
            return new DataMap(tables, owners);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

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
}
