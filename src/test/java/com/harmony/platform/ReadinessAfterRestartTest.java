package com.harmony.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A restarted PostgreSQL drops every connection of every pool. An orchestrator probes readiness every
 * few seconds, so the first probe after the database is back must say ready: a pool that keeps a dead
 * connection and fails one probe per dead connection keeps the instance out of the load balancer for
 * probes × period (found by hand: 25 s after a restart with probes 10 s apart).
 */
@QuarkusTest
class ReadinessAfterRestartTest {

    @TestHTTPResource(value = "/", management = true)
    URI management;

    @Inject
    Pool pool;

    @Test
    void readyAtTheFirstProbeAfterPostgresDroppedEveryConnection() throws Exception {
        String probes = management.resolve("/").toString();
        given().baseUri(probes).get("/q/health/ready").then().statusCode(200);
        given().get("/v1/products?limit=1").then().statusCode(200);

        // what a restart does to the service's connections (both pools), short of stopping the server
        long dropped = pool.query("select count(pg_terminate_backend(pid)) as n from pg_stat_activity "
                + "where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'")
                .execute().map(rows -> rows.iterator().next().getLong("n")).await().atMost(Duration.ofSeconds(10));
        assertTrue(dropped >= 1, "the service had connections to drop");
        Thread.sleep(300); // the server's side of a restart: sockets closed, then the next probe comes

        given().baseUri(probes).get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/v1/products?limit=1").then().statusCode(200);
    }

    @Test
    void readyWhileABurstKeepsEveryPooledConnectionBusy() {
        String probes = management.resolve("/").toString();
        int size = org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("quarkus.datasource.reactive.max-size", Integer.class);
        java.util.List<io.vertx.mutiny.sqlclient.SqlConnection> held = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < size; i++) {
                held.add(pool.getConnection().await().atMost(Duration.ofSeconds(10)));
            }
            long started = System.nanoTime();
            given().baseUri(probes).get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(millis < 2_000, "answered in " + millis + " ms, not after waiting for a pooled connection");
        } finally {
            held.forEach(c -> c.close().await().atMost(Duration.ofSeconds(10)));
        }
    }
}
