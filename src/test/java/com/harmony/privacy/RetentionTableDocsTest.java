package com.harmony.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's retention table says what the data map says (P1, P28): one row per table and per column
 * rule, with the same subjects, period, start, enforcement, erase action and rule. The map is what the
 * retention run, export and erasure read, so a README that drifted from it would promise what the service
 * does not do. On failure the message holds the table as it should read.
 */
class RetentionTableDocsTest {

    private static final String HEADER = "| table | subject | retention | from | enforced | on erasure | rule |";

    @Test
    void theReadmeRetentionTableIsTheDataMap() throws IOException {
        JsonNode tables = new ObjectMapper().readTree(Path.of("src/main/resources/data-map.json").toFile()).path("tables");
        List<String> expected = new ArrayList<>(List.of(HEADER, "|---|---|---|---|---|---|---|"));
        for (Iterator<Map.Entry<String, JsonNode>> it = tables.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> table = it.next();
            JsonNode t = table.getValue();
            JsonNode retention = t.path("retention");
            expected.add(row("`" + table.getKey() + "`", subjects(t.path("subject")), retention, t.path("erase").asText("none")));
            for (Iterator<Map.Entry<String, JsonNode>> cols = retention.path("columns").fields(); cols.hasNext();) {
                Map.Entry<String, JsonNode> column = cols.next();
                expected.add(row("`" + table.getKey() + "." + column.getKey() + "`", "", column.getValue(), ""));
            }
        }
        List<String> actual = new ArrayList<>();
        boolean in = false;
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            in = in ? !line.isBlank() : line.equals(HEADER);
            if (in) {
                actual.add(line);
            }
        }
        // runs of spaces are layout, not content: an empty cell may be written "| |" or "|  |"
        assertEquals(String.join("\n", expected).replaceAll(" +", " "), String.join("\n", actual).replaceAll(" +", " "),
                "README.md's retention table differs from data-map.json");
    }

    private static String row(String name, String subjects, JsonNode rule, String erase) {
        String period = rule.path("period").asText("");
        boolean timed = !period.isEmpty() && !period.equals("indefinite") && !period.equals("until_erasure");
        String enforced = !timed ? "" : rule.path("enforced").asBoolean() ? "yes" : "no";
        String text = rule.path("rule").asText("") + (rule.has("config") ? " (`" + rule.path("config").asText() + "`)" : "");
        return "| " + name + " | " + subjects + " | " + period + " | " + rule.path("from").asText("") + " | " + enforced + " | " + erase
                + " | " + text + " |";
    }

    private static String subjects(JsonNode subject) {
        if (subject.isMissingNode() || subject.isNull()) {
            return "none";
        }
        if (!subject.isArray()) {
            return subject.asText();
        }
        List<String> names = new ArrayList<>();
        subject.forEach(s -> names.add(s.asText()));
        return String.join(", ", names);
    }
}
