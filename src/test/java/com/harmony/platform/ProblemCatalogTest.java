package com.harmony.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.harmony.SpecConformance;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every problem type the code can send is in the spec's one catalogue with its status, and every type an
 * operation lists is a real one: clients can branch on `type` knowing the whole set.
 */
class ProblemCatalogTest {

    private static JsonNode spec() throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(Path.of("openapi/openapi.yaml").toFile());
    }

    @Test
    void theCatalogueFindsTheTypesOfEveryFeature() {
        Set<String> slugs = new TreeSet<>();
        ProblemCatalog.all().forEach(t -> slugs.add(t.slug()));
        assertTrue(slugs.containsAll(List.of("validation-failed", "csrf-failed", "payment-declined", "insufficient-stock",
                "idempotency-key-reused", "webhook-target-refused", "download-link-invalid")), slugs.toString());
        assertEquals(slugs.size(), ProblemCatalog.all().size(), "each slug once");
    }

    @Test
    void theSpecsCatalogueListsEveryTypeWithItsStatus() throws Exception {
        String description = spec().path("info").path("description").asText();
        List<String> missing = new ArrayList<>();
        for (ProblemType type : ProblemCatalog.all()) {
            if (!description.contains("| `" + type.uri() + "` | " + type.status() + " |")) {
                missing.add(type.slug() + " (" + type.status() + ")");
            }
        }
        assertEquals(List.of(), missing, "types the code can send but the spec's catalogue does not list");
    }

    @Test
    void everyTypeAnOperationListsIsARealOneWithTheRightStatus() throws Exception {
        JsonNode spec = spec();
        JsonNode examples = spec.path("components").path("examples");
        List<String> wrong = new ArrayList<>();
        spec.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> op.getValue()
                .path("responses").fields().forEachRemaining(response -> SpecConformance.response(spec, response.getValue()).path("content")
                        .path("application/problem+json").path("examples").fields().forEachRemaining(named -> {
                            String ref = named.getValue().path("$ref").asText();
                            JsonNode example = examples.path(ref.substring(ref.lastIndexOf('/') + 1)).path("value");
                            if (example.isMissingNode() || !String.valueOf(example.path("status").asInt()).equals(response.getKey())) {
                                wrong.add(op.getKey().toUpperCase() + " " + path.getKey() + " " + response.getKey() + " lists " + named.getKey());
                            }
                        }))));
        assertEquals(List.of(), wrong, "problem examples that do not exist or carry another status than the response's");
    }

    @Test
    void aProblemResponseManyOperationsGiveIsWrittenOnceInComponents_andEveryOneSharedIsUsed() throws Exception {
        JsonNode spec = spec();
        java.util.Map<String, List<String>> inline = new java.util.TreeMap<>();
        java.util.Map<String, Integer> refs = new java.util.TreeMap<>();
        spec.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> op.getValue()
                .path("responses").fields().forEachRemaining(response -> {
                    String ref = response.getValue().path("$ref").asText("");
                    if (!ref.isEmpty()) {
                        refs.merge(ref.substring(ref.lastIndexOf('/') + 1), 1, Integer::sum);
                    } else if (response.getValue().path("content").has("application/problem+json")) {
                        inline.computeIfAbsent(response.getKey() + " " + response.getValue(), k -> new ArrayList<>())
                                .add(op.getKey().toUpperCase() + " " + path.getKey());
                    }
                })));
        List<String> repeated = new ArrayList<>();
        inline.forEach((response, operations) -> {
            if (operations.size() > 1) {
                repeated.add(response.substring(0, Math.min(120, response.length())) + " in " + operations);
            }
        });
        assertEquals(List.of(), repeated, "problem responses repeated word for word instead of shared");
        assertTrue(refs.getOrDefault("InternalError", 0) > 100 && refs.getOrDefault("ServiceUnavailable", 0) > 100, refs.toString());
        List<String> unused = new ArrayList<>();
        spec.path("components").path("responses").fieldNames().forEachRemaining(name -> {
            if (refs.getOrDefault(name, 0) < 2) {
                unused.add(name);
            }
        });
        assertEquals(List.of(), unused, "shared responses that fewer than two operations use");
    }
}
