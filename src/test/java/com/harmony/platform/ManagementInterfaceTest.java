package com.harmony.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Health, metrics and the Swagger UI live on the management interface (its own port, kept off the
 * internet); the public listener answers them as unknown paths but still serves the spec to partners.
 */
@QuarkusTest
class ManagementInterfaceTest {

    private static final String PROBLEMS = "https://harmony.example/problems/";

    /** The management interface's non-application root (http://host:port/q/); paths below resolve from its origin. */
    @TestHTTPResource(value = "/", management = true)
    URI management;

    @Test
    void healthMetricsAndSwaggerUiAreNotOnThePublicPort() {
        for (String path : List.of("/q/health", "/q/health/ready", "/q/health/live", "/q/metrics", "/q/swagger-ui/")) {
            given().get(path).then().statusCode(404).contentType("application/problem+json")
                    .body("type", equalTo(PROBLEMS + "not-found"));
        }
    }

    @Test
    void healthMetricsAndSwaggerUiAnswerOnTheManagementPort() {
        given().baseUri(management.resolve("/").toString()).get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().baseUri(management.resolve("/").toString()).get("/q/health/live").then().statusCode(200);
        given().baseUri(management.resolve("/").toString()).get("/q/metrics").then().statusCode(200).body(containsString("# TYPE jvm_"));
        given().baseUri(management.resolve("/").toString()).get("/q/swagger-ui/").then().statusCode(200).contentType(containsString("text/html"));
    }

    @Test
    void theSpecStaysOnThePublicPortForPartners() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("title: Harmony Commerce API"));
        given().get("/q/openapi?format=json").then().statusCode(200).contentType(containsString("json"))
                .body("info.title", equalTo("Harmony Commerce API"));
    }
}
