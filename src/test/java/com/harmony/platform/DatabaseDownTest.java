package com.harmony.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A database that cannot be reached is a 503 problem with Retry-After, never a 500: nothing was done, so a retry is safe. */
@QuarkusTest
@TestProfile(DatabaseDownTest.NoDatabase.class)
class DatabaseDownTest {

    /** The service with its database address pointing at a port where nothing listens. */
    public static class NoDatabase implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:1/harmony_test",
                    "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:1/harmony_test",
                    "quarkus.flyway.migrate-at-start", "false",
                    "quarkus.flyway.clean-at-start", "false",
                    "harmony.auth.bootstrap.admin-email", "",
                    "harmony.auth.bootstrap.admin-password", "");
        }
    }

    @jakarta.inject.Inject
    OutboxWorker outbox;

    @Test
    void aScheduledRoundWhileTheDatabaseIsDown_isSkippedQuietly_butOurOwnFaultsStayFailures() {
        outbox.poll().await().atMost(java.time.Duration.ofSeconds(30)); // completes: one warning line, the next round retries
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> ScheduledRounds.retriedNextRound("a bug",
                io.smallrye.mutiny.Uni.createFrom().failure(new IllegalStateException("a bug"))).await().atMost(java.time.Duration.ofSeconds(5)));
    }

    @Test
    void readsAndWritesAnswer503WithRetryAfter_whenTheDatabaseIsDown() {
        given().get("/v1/products").then().statusCode(503)
                .contentType("application/problem+json")
                .body("type", equalTo("https://harmony.example/problems/service-unavailable"))
                .header("Retry-After", notNullValue());
        given().post("/v1/carts").then().statusCode(503).header("Retry-After", notNullValue());
        given().contentType("application/json").body(Map.of("email", "a@example.com", "password", "whatever it is"))
                .post("/v1/auth/sign-in").then().statusCode(503);
    }

    @io.quarkus.test.common.http.TestHTTPResource(value = "/", management = true)
    java.net.URI management;

    @Test
    void readinessIsDownWhileTheDatabaseCannotBeReached() {
        given().baseUri(management.resolve("/").toString()).get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"));
    }
}
