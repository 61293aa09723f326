package com.harmony.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The edge as production runs it by default: no CORS origin configured (CORS_ORIGINS unset) and, here,
 * HSTS turned on as behind TLS. An empty origin list must mean "no other origin", never "any".
 */
@QuarkusTest
@TestProfile(ProductionEdgeTest.ProductionEdge.class)
class ProductionEdgeTest {

    /** Unsets the test profile's origins (as production leaves them) and turns HSTS on. */
    public static class ProductionEdge implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.cors.origins", "", "harmony.http.hsts", "true");
        }
    }

    @Test
    void withNoOriginsConfigured_noOtherOriginMayCallTheApi() {
        given().header("Origin", "http://localhost:5173").header("Access-Control-Request-Method", "PATCH")
                .options("/v1/me").then()
                .header("Access-Control-Allow-Origin", nullValue())
                .header("Access-Control-Allow-Credentials", nullValue());
        given().header("Origin", "http://localhost:5173").get("/v1/ping").then().statusCode(403)
                .header("Access-Control-Allow-Origin", nullValue());
        // apps and servers send no Origin and are unaffected
        given().get("/v1/ping").then().statusCode(200);
    }

    @Test
    void withTlsOn_everyResponseCarriesStrictTransportSecurity() {
        given().get("/v1/products").then().statusCode(200).header("Strict-Transport-Security", equalTo("max-age=31536000"));
        given().get("/v1/no-such-thing").then().statusCode(404).header("Strict-Transport-Security", equalTo("max-age=31536000"));
    }
}
