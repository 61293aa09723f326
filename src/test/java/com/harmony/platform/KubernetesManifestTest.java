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
 * README documents; the JVM flags they start it with are the README's production command, word for word.
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

    /** The JVM flags of an {@code ENV JAVA_OPTS="…"} line, or of a line starting with {@code prefix} in a README block. */
    private static String flags(String text, String prefix) {
        for (String line : text.split("\n")) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length()).replace("\"", "").replace("\\", "").strip();
            }
        }
        return null;
    }

    @Test
    void theImageTheManifestsAndTheBenchStartTheJvmWithTheReadmesProductionFlags() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String production = flags(readme, "JAVA_OPTS=");
        assertTrue(production != null && production.contains("-Xmx"), "the README names the production JAVA_OPTS: " + production);
        assertEquals(production, flags(Files.readString(Path.of("docker/Dockerfile")), "ENV JAVA_OPTS="), "docker/Dockerfile");
        assertEquals(production, byKind().get("ConfigMap").at("/data/JAVA_OPTS").asText(), "the ConfigMap");
        assertTrue(Files.readString(Path.of("docker/Dockerfile")).contains("ENV MALLOC_ARENA_MAX=1"), "the image limits malloc arenas");
        assertTrue(Files.readString(Path.of(".ci/java-opts")).contains("docker/Dockerfile"), ".ci/java-opts reads the image's flags");
        for (String script : List.of(".ci/bench", ".ci/multi", ".ci/faults")) {
            assertTrue(Files.readString(Path.of(script)).contains("bash .ci/java-opts"), script + " starts the service with them");
        }
    }

    /** Without it the image would package no spec, and production, which serves the checked-in one, would not start. */
    @Test
    void theImageBuildCopiesTheCheckedInSpec_whichThePomPackagesAndProductionServes() throws Exception {
        assertTrue(Files.readString(Path.of("pom.xml")).contains("<directory>openapi</directory>"), "the pom packages openapi/");
        assertTrue(Files.readString(Path.of("docker/Dockerfile")).contains("COPY openapi/openapi.yaml openapi/"),
                "docker/Dockerfile copies openapi/openapi.yaml into the build stage");
    }
}
