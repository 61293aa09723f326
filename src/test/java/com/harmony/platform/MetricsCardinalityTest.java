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

    @Test
    void aRequestRefusedForItsCredentialsIsAProblem_countedUnderItsRoutesTemplate() throws InterruptedException {
        // AuthFailures takes over Quarkus REST's per-request template work: refusals must still be problems answered
        // by the exception mappers, and counted under their route's template, even after more than Micrometer's
        // default 100 routes have been seen (the whole suite sees them all before this runs)
        String order = UUID.randomUUID().toString();
        given().auth().oauth2("not-a-token").get("/v1/me/orders/" + order).then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer"));
        given().get("/v1/me/orders/" + order).then().statusCode(401).contentType("application/problem+json");
        String metrics = "";
        for (int i = 0; i < 50 && !countedUnderTemplate(metrics); i++) { // the count lands when the answer has been written
            Thread.sleep(i == 0 ? 0 : 100);
            metrics = given().baseUri(management.resolve("/").toString()).get("/q/metrics").then().statusCode(200).extract().asString();
        }
        assertFalse(metrics.contains(order), "a raw path became a tag");
        assertTrue(countedUnderTemplate(metrics), "the refusal is counted under the route's template");
    }

    private static boolean countedUnderTemplate(String metrics) {
        return metrics.lines().anyMatch(l -> l.startsWith("http_server_requests_seconds_count") && l.contains("status=\"401\"")
                && l.contains("uri=\"/v1/me/orders/{orderId}\""));
    }
}
