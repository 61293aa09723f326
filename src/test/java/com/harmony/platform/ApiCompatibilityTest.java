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
        ChangedOpenApi diff = compare(corrected(Files.readString(released)), Files.readString(Path.of("openapi/openapi.yaml")));
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

    /**
     * Errata of the released spec: fields it described as never null that the service has always answered
     * null (an address without a phone, a purpose never chosen, an open copyright notice). The spec now says
     * so; clients of the release were receiving those nulls all along, so saying it breaks none of them.
     * Each erratum is a schema and a property; any other change is judged as it comes. Likewise a GET never
     * needed a CSRF token, which the release asked of three.
     */
    private static final List<String[]> NULL_ERRATA = List.of(new String[] {"PostalAddress", "phone"}, new String[] {"Consent", "source"},
            new String[] {"CopyrightNotice", "outcome"}, new String[] {"UpdateWebhookSubscriptionRequest", "status"});

    /**
     * Patterns widened since the release by an alternative in front ({@code ^$|} + the released pattern: the empty string
     * now removes a profile's phone). openapi-diff cannot compare regular expressions and counts any change as a break;
     * a pattern that accepts all it accepted before breaks no client, so the release is read with the widened one.
     */
    private static final List<String[]> WIDENED_PATTERNS = List.<String[]>of(new String[] {"UpdateProfileRequest", "phone", "^$|"});

    private static String corrected(String released) throws IOException {
        ObjectNode doc = (ObjectNode) YAML.readTree(released);
        for (String[] widened : WIDENED_PATTERNS) {
            ObjectNode property = (ObjectNode) doc.path("components").path("schemas").path(widened[0]).path("properties").path(widened[1]);
            assertTrue(property.path("pattern").isTextual(), "widened pattern " + widened[0] + "." + widened[1] + " names no pattern of the release");
            property.put("pattern", widened[2] + property.path("pattern").asText());
        }
        for (String[] erratum : NULL_ERRATA) {
            ObjectNode property = (ObjectNode) doc.path("components").path("schemas").path(erratum[0]).path("properties").path(erratum[1]);
            assertFalse(property.isMissingNode(), "erratum " + String.join(".", erratum) + " names no property of the release");
            if (property.path("type").isTextual()) {
                String type = property.path("type").asText();
                property.putArray("type").add(type).add("null");
            }
            if (property.has("enum")) {
                ((com.fasterxml.jackson.databind.node.ArrayNode) property.get("enum")).addNull();
            }
        }
        // and a GET never needed the CSRF token (nor answered its 403) that the release asked of three of them
        doc.path("paths").forEach(item -> {
            if (item.path("get") instanceof ObjectNode get) {
                if (get.path("parameters") instanceof com.fasterxml.jackson.databind.node.ArrayNode params) {
                    params.removeIf(p -> "X-CSRF-Token".equals(p.path("name").asText()));
                }
                JsonNode forbidden = get.path("responses").path("403");
                if (forbidden.path("$ref").asText().endsWith("/CsrfFailed") || forbidden.path("description").asText().startsWith("A request with the session cookie")) {
                    ((ObjectNode) get.path("responses")).remove("403");
                }
            }
        });
        return YAML.writeValueAsString(doc);
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
