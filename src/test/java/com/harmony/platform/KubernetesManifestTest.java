package com.harmony.platform;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests stay true: every probe is a health endpoint the management port really
 * answers, the liveness probe does not depend on the database, and every setting they pass is one the
 * README documents.
 */
@QuarkusTest
class KubernetesManifestTest {

    private static final Path MANIFEST = Path.of("docker/kubernetes/harmony-api.yaml");

    @TestHTTPResource(value = "/", management = true)
    URI management;

    private static Map<String, JsonNode> byKind() throws Exception {
        Map<String, JsonNode> kinds = new HashMap<>();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        for (JsonNode doc : yaml.readValues(new YAMLFactory().createParser(MANIFEST.toFile()), JsonNode.class).readAll()) {
            if (doc != null && doc.has("kind")) {
                kinds.putIfAbsent(doc.get("kind").asText(), doc);
            }
        }
        return kinds;
    }

    @Test
    void theManifestsHoldADeploymentWithProbes_aService_anAutoscaler_aDisruptionBudget_andItsConfiguration() throws Exception {
        Map<String, JsonNode> kinds = byKind();
        assertTrue(kinds.keySet().containsAll(List.of("Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget",
                "ConfigMap", "Secret")), kinds.keySet().toString());
        assertTrue(kinds.get("PodDisruptionBudget").at("/spec/minAvailable").asInt() >= 1);
        assertTrue(kinds.get("HorizontalPodAutoscaler").at("/spec/minReplicas").asInt() >= 2, "several instances");
    }

    @Test
    void everyProbeIsAHealthEndpointTheManagementPortAnswers() throws Exception {
        JsonNode container = byKind().get("Deployment").at("/spec/template/spec/containers/0");
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            JsonNode http = container.path(probe).path("httpGet");
            assertEquals("management", http.path("port").asText(), probe + " asks the management port");
            given().baseUri(management.resolve("/").toString()).get(http.path("path").asText()).then().statusCode(200);
        }
        String live = given().baseUri(management.resolve("/").toString()).get(container.at("/livenessProbe/httpGet/path").asText())
                .then().extract().asString();
        assertTrue(!live.contains("Reactive PostgreSQL"), "a database outage must not restart every pod: " + live);
    }

    @Test
    void everySettingTheManifestsPassIsDocumented() throws Exception {
        Map<String, JsonNode> kinds = byKind();
        String readme = Files.readString(Path.of("README.md"));
        List<String> undocumented = new ArrayList<>();
        for (JsonNode data : List.of(kinds.get("ConfigMap").path("data"), kinds.get("Secret").path("stringData"))) {
            data.fieldNames().forEachRemaining(name -> {
                if (!name.equals("JAVA_OPTS") && !readme.contains("`" + name + "`")) {
                    undocumented.add(name);
                }
            });
        }
        assertEquals(List.of(), undocumented, "settings the manifests pass but the README's configuration does not list");
    }
}
