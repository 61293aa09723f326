package com.harmony.platform;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A production build does not scan the code for the spec: it serves the checked-in openapi/openapi.yaml
 * (which OpenApiContractTest proves equal to the generated one), on the public port for partners and on
 * the management port for the Swagger UI, as YAML or JSON exactly as Quarkus's own handler would choose.
 */
@QuarkusTest
@TestProfile(CheckedInSpecTest.AsProductionBuilds.class)
class CheckedInSpecTest {

    /** The production profile's build-time setting; the stub Quarkus generates goes where no other test reads. */
    public static class AsProductionBuilds implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mp.openapi.scan.disable", "true",
                    "quarkus.smallrye-openapi.store-schema-directory", "target/openapi-checked-in-test");
        }
    }

    private static final Path CHECKED_IN = Path.of("openapi/openapi.yaml");

    @TestHTTPResource(value = "/", management = true)
    URI management;

    @Test
    void theSpecServedIsTheCheckedInFile_asYamlByDefault() throws Exception {
        // what Quarkus generated in this build: no operations, so what follows comes from the checked-in file
        assertTrue(Files.readString(Path.of("target/openapi-checked-in-test/openapi.yaml")).contains("paths: {}"));
        Response yaml = given().get("/q/openapi");
        assertEquals(200, yaml.statusCode());
        assertEquals("application/yaml;charset=UTF-8", yaml.contentType());
        assertEquals(Files.readString(CHECKED_IN), yaml.asString());
        assertEquals(Files.readString(CHECKED_IN), given().get("/q/openapi.yaml").asString());
        assertEquals(Files.readString(CHECKED_IN), given().get("/q/openapi.yml").asString());
    }

    @Test
    void jsonIsTheSameDocument_byExtensionFormatOrAcceptHeader() throws Exception {
        Object expected = new YAMLMapper().readValue(CHECKED_IN.toFile(), Object.class);
        for (Response json : new Response[] {given().get("/q/openapi.json"), given().get("/q/openapi?format=json"),
                given().accept("application/json").get("/q/openapi")}) {
            assertEquals(200, json.statusCode());
            assertEquals("application/json;charset=UTF-8", json.contentType());
            assertEquals(expected, new ObjectMapper().readValue(json.asByteArray(), Object.class));
        }
        // as Quarkus's handler: JSON when either asks for it, YAML otherwise; the extension decides before both
        assertEquals("application/json;charset=UTF-8", given().accept("application/json").get("/q/openapi?format=yaml").contentType());
        assertEquals("application/yaml;charset=UTF-8", given().get("/q/openapi?format=yaml").contentType());
        assertEquals("application/yaml;charset=UTF-8", given().accept("application/json").get("/q/openapi.yaml").contentType());
    }

    /** HEAD is routed like GET (not refused as a method the path lacks), with GET's media type. */
    @Test
    void headAnswersAsGetWould() {
        for (String path : new String[] {"/q/openapi", "/q/openapi.json"}) {
            Response head = given().head(path);
            assertEquals(200, head.statusCode(), path);
            assertEquals(given().get(path).contentType(), head.contentType(), path);
        }
    }

    @Test
    void theSwaggerUiOnTheManagementPortReadsTheFullSpecToo() throws Exception {
        String base = management.resolve("/").toString();
        assertEquals(Files.readString(CHECKED_IN), given().baseUri(base).get("/q/openapi").asString());
        Response json = given().baseUri(base).get("/q/openapi?format=json");
        assertTrue(json.asString().contains("\"operationId\" : \"listProducts\""), "the management port serves the whole spec");
        given().baseUri(base).get("/q/swagger-ui/").then().statusCode(200);
    }
}
