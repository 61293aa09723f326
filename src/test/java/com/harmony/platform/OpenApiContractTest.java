package com.harmony.platform;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The spec partners read (openapi/openapi.yaml) is exactly the one the service generates. After an
 * intended API change, refresh it with {@code ./mvnw verify -Dopenapi.update=true}.
 */
@QuarkusTest
class OpenApiContractTest {

    private static final Path CHECKED_IN = Path.of("openapi/openapi.yaml");
    private static final Path GENERATED = Path.of("target/openapi/openapi.yaml");
    private static final Path PACKAGED = Path.of("target/classes/harmony/openapi.yaml");

    @Test
    void checkedInSpecIsTheGeneratedSpec() throws Exception {
        String generated = Files.readString(GENERATED);
        if (Boolean.getBoolean("openapi.update")) {
            Files.createDirectories(CHECKED_IN.getParent());
            Files.writeString(CHECKED_IN, generated);
            // and the copy this build packages (the pom copied the old one before the tests), which production serves
            if (Files.exists(PACKAGED.getParent())) {
                Files.writeString(PACKAGED, generated);
            }
        }
        assertTrue(Files.exists(CHECKED_IN), "openapi/openapi.yaml is missing; run ./mvnw verify -Dopenapi.update=true");
        assertEquals(Files.readString(CHECKED_IN), generated,
                "openapi/openapi.yaml differs from the generated spec; run ./mvnw verify -Dopenapi.update=true and review the diff");
    }

    /** Production serves the checked-in YAML and renders its JSON itself (PublicOpenApi): the same document as Quarkus's. */
    @Test
    void theJsonProductionRendersFromTheCheckedInSpecIsTheGeneratedJson() throws Exception {
        byte[] generatedJson = given().get("/q/openapi?format=json").then().statusCode(200).extract().asByteArray();
        byte[] rendered = PublicOpenApi.toJson(Files.readAllBytes(CHECKED_IN)).getBytes();
        ObjectMapper mapper = new ObjectMapper();
        assertEquals(mapper.readTree(generatedJson), mapper.readTree(rendered));
    }

    @Test
    void theServedSpecIsTheGeneratedOne() {
        String served = given().accept("application/yaml").get("/q/openapi").then().statusCode(200).extract().asString();
        assertTrue(served.contains("operationId: listProducts"), "served spec describes the catalog");
    }
}
