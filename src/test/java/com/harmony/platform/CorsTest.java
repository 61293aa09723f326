package com.harmony.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** A single-page app on a configured origin may call the API with credentials; other origins may not. */
@QuarkusTest
class CorsTest {

    @Test
    void configuredOriginsPassThePreflightWithCredentialsAndOurHeaders() {
        given().header("Origin", "http://localhost:5173").header("Access-Control-Request-Method", "PATCH")
                .header("Access-Control-Request-Headers", "content-type,x-csrf-token")
                .options("/v1/me").then()
                .header("Access-Control-Allow-Origin", equalTo("http://localhost:5173"))
                .header("Access-Control-Allow-Credentials", equalTo("true"))
                .header("Access-Control-Allow-Headers", containsString("X-CSRF-Token"));
        given().header("Origin", "http://localhost:5173").get("/v1/ping").then().statusCode(200)
                .header("Access-Control-Expose-Headers", containsString("ETag"));
    }

    @Test
    void otherOriginsAreNotAllowed() {
        given().header("Origin", "https://evil.example").get("/v1/ping").then()
                .header("Access-Control-Allow-Origin", nullValue());
    }
}
