package com.harmony.platform;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Random paths never become metric tags: the HTTP metrics stay bounded whatever callers send. */
@QuarkusTest
class MetricsCardinalityTest {

    /** Metrics are served on the management interface only. */
    @TestHTTPResource(value = "/", management = true)
    URI management;

    @Test
    void requestsToRandomPathsAreTaggedUnmatched() {
        String junk = "/v1/nowhere-" + UUID.randomUUID();
        given().get(junk).then().statusCode(404);
        given().get("/v1/products").then().statusCode(200);
        String metrics = given().baseUri(management.resolve("/").toString()).get("/q/metrics").then().statusCode(200).extract().asString();
        assertFalse(metrics.contains(junk), "a raw path became a tag");
        assertTrue(metrics.contains("uri=\"UNMATCHED\""), "unmatched requests are counted under one tag");
        assertTrue(metrics.contains("uri=\"/v1/products\""), "real routes keep their tag");
    }
}
