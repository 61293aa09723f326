package com.harmony.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import com.harmony.cart.CartFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A slow database answers a problem in bounded time: a statement that runs past DB_STATEMENT_TIMEOUT
 * (here 500 ms; a lock another transaction holds stands in for a slow server) is cancelled by
 * PostgreSQL, rolled back, and the request answers 503 with Retry-After; once the lock is gone the same
 * request succeeds.
 */
@QuarkusTest
@TestProfile(SlowDatabaseTest.ShortStatements.class)
class SlowDatabaseTest {

    public static class ShortStatements implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.reactive.additional-properties.statement_timeout", "500ms");
        }
    }

    @Inject
    Pool pool;

    @Test
    void aStatementStuckPastTheTimeoutAnswers503WithRetryAfterInBoundedTime_andNothingIsChanged() {
        String variant = CartFixtures.variant(1500, 5);
        String admin = AuthFixtures.admin().accessToken();
        try (RowLock lock = new RowLock(pool, variant)) {
            long started = System.nanoTime();
            given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("delta", 7, "reason", "slow database"))
                    .post("/v1/admin/variants/" + variant + "/stock-adjustments")
                    .then().statusCode(503).contentType(Problem.MEDIA_TYPE)
                    .body("type", equalTo(ProblemType.UNAVAILABLE.uri())).header("Retry-After", notNullValue());
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(millis < 5_000, "answered in " + millis + " ms");
        }
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("delta", 7, "reason", "after the lock"))
                .post("/v1/admin/variants/" + variant + "/stock-adjustments").then().statusCode(200).body("stock_on_hand", equalTo(12));
    }
}
