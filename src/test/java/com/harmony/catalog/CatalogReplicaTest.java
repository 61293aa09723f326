package com.harmony.catalog;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With a catalog replica configured, the shop's catalog reads go through the second datasource (here the
 * same server, told apart by its application_name) while staff reads and writes stay on the primary.
 */
@QuarkusTest
@TestProfile(CatalogReplicaTest.WithReplica.class)
class CatalogReplicaTest {

    static final String APPLICATION_NAME = "harmony-catalog-replica-test";

    public static class WithReplica implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String host = env("TEST_DB_HOST", "127.0.0.1");
            String port = env("TEST_DB_PORT", "5432");
            String db = env("TEST_DB_NAME", "harmony_test");
            return Map.of(
                    "quarkus.datasource.\"catalog-replica\".active", "true",
                    "quarkus.datasource.\"catalog-replica\".reactive.url",
                    "postgresql://" + host + ":" + port + "/" + db + "?application_name=" + APPLICATION_NAME,
                    "quarkus.datasource.\"catalog-replica\".username", env("TEST_DB_USER", "harmony"),
                    "quarkus.datasource.\"catalog-replica\".password", env("TEST_DB_PASSWORD", "harmony"));
        }

        private static String env(String name, String fallback) {
            String value = System.getenv(name);
            return value == null || value.isBlank() ? fallback : value;
        }
    }

    @Inject
    Pool primary;

    private long replicaConnections() {
        return primary.preparedQuery("select count(*) as n from pg_stat_activity where application_name = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(APPLICATION_NAME))
                .map(rows -> rows.iterator().next().getLong("n")).await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void theShopsCatalogReadsGoThroughTheReplica_staffReadsAndWritesThroughThePrimary() {
        Map<String, Object> product = CatalogFixtures.product(null, "Replica tee", 1500, 5);
        String id = (String) product.get("id");
        given().auth().oauth2(AuthFixtures.admin().accessToken()).get("/v1/admin/products/" + id).then().statusCode(200);
        long before = replicaConnections();
        given().get("/v1/products/" + id).then().statusCode(200);
        given().get("/v1/products?limit=5").then().statusCode(200);
        long after = replicaConnections();
        assertTrue(before == 0, "staff reads and writes did not touch the replica (" + before + " connections)");
        assertTrue(after >= 1, "the shop's reads opened the replica pool");
    }
}
