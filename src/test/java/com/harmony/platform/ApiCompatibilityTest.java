package com.harmony.platform;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.harmony.SpecConformance;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.openapitools.openapidiff.core.OpenApiCompare;
import org.openapitools.openapidiff.core.model.ChangedOpenApi;
import org.openapitools.openapidiff.core.output.MarkdownRender;

/**
 * Clients generated from a released spec keep working: against the spec of the last release
 * (openapi/releases/v*.yaml, the copy of openapi.yaml made when the release was tagged), the current
 * one may add, never break, under /v1. openapi-diff decides what breaks.
 */
class ApiCompatibilityTest {

    private static final Path RELEASES = Path.of("openapi/releases");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void theSpecBreaksNothingTheLastReleasePromisedUnderV1() throws IOException {
        Path released = lastRelease();
        ChangedOpenApi diff = compare(Files.readString(released), Files.readString(Path.of("openapi/openapi.yaml")));
        assertFalse(diff.isIncompatible(), () -> "openapi/openapi.yaml breaks clients of " + released.getFileName()
                + " (a new major version needs a new path prefix):\n" + render(diff));
    }

    @Test
    void theCheckCatchesARemovedOperationAndANewRequiredRequestField() throws IOException {
        String released = Files.readString(lastRelease());
        ObjectNode broken = (ObjectNode) YAML.readTree(released);
        ((ObjectNode) broken.path("paths")).remove("/v1/categories");
        ObjectNode register = (ObjectNode) broken.path("components").path("schemas").path("RegisterRequest");
        ((com.fasterxml.jackson.databind.node.ArrayNode) register.withArray("required")).add("name");
        assertTrue(compare(released, YAML.writeValueAsString(broken)).isIncompatible(), "a removed operation breaks clients");
    }

    static Path lastRelease() throws IOException {
        List<Path> releases = new ArrayList<>();
        try (Stream<Path> files = Files.list(RELEASES)) {
            files.filter(p -> p.getFileName().toString().matches("v\\d+\\.\\d+\\.\\d+\\.yaml")).forEach(releases::add);
        }
        releases.sort(Comparator.comparing(ApiCompatibilityTest::version));
        assertFalse(releases.isEmpty(), "no released spec in " + RELEASES);
        return releases.get(releases.size() - 1);
    }

    private static String version(Path p) {
        String[] parts = p.getFileName().toString().replace(".yaml", "").substring(1).split("\\.");
        return String.format("%06d.%06d.%06d", Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
    }

    /** Both sides as OpenAPI 3.0 (the diff's parser reads 3.0 fully) and only the /v1 paths. */
    private static ChangedOpenApi compare(String oldSpec, String newSpec) throws IOException {
        return OpenApiCompare.fromContents(v1Only(oldSpec), v1Only(newSpec));
    }

    private static String v1Only(String spec) throws IOException {
        JsonNode doc = SpecConformance.toOpenApi30(YAML.readTree(spec));
        ObjectNode paths = (ObjectNode) doc.path("paths");
        List<String> others = new ArrayList<>();
        paths.fieldNames().forEachRemaining(p -> {
            if (!p.startsWith("/v1/")) others.add(p);
        });
        paths.remove(others);
        return doc.toString();
    }

    private static String render(ChangedOpenApi diff) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStreamWriter writer = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
            new MarkdownRender().render(diff, writer);
        } catch (IOException e) {
            return e.toString();
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
