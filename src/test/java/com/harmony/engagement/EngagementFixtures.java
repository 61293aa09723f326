package com.harmony.engagement;

import static io.restassured.RestAssured.given;

import com.harmony.AuthFixtures;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/** Contests, surveys, visitors and entries for the engagement tests, made through the API as a client would. */
final class EngagementFixtures {

    static final String PROBLEMS = "https://harmony.example/problems/";

    private EngagementFixtures() {
    }

    static String admin() {
        return AuthFixtures.admin().accessToken();
    }

    static String contest(int entriesPerPerson, int winners) {
        return given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(Map.of("title", "Summer sweepstakes", "rules", "One prize per winner. Drawn after close.",
                        "closes_at", OffsetDateTime.now().plusHours(1).toString(), "entries_per_person", entriesPerPerson, "winners", winners))
                .post("/v1/admin/contests").then().statusCode(201).extract().path("id");
    }

    /** Moves a contest's window into the past, as if its closing time had come. */
    static void close(Pool pool, String contestId) {
        pool.preparedQuery("update contest set opens_at = now() - interval '2 hours', closes_at = now() - interval '1 second' where id = $1")
                .execute(Tuple.of(UUID.fromString(contestId))).await().atMost(Duration.ofSeconds(10));
    }

    static String visitor() {
        return given().header("X-Forwarded-For", AuthFixtures.randomClient()).post("/v1/visitors").then().statusCode(201)
                .extract().path("token");
    }

    static Map<String, Object> entry(String email) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "Grace Hopper");
        body.put("email", email);
        body.put("phone", "+1 217 555 0199");
        body.put("address", AuthFixtures.address());
        body.put("adult_confirmed", true);
        return body;
    }

    static RequestSpecification asVisitor(String token) {
        return given().header("X-Visitor-Token", token).contentType(ContentType.JSON);
    }

    static RequestSpecification asCustomer(String accessToken) {
        return given().auth().oauth2(accessToken).contentType(ContentType.JSON);
    }

    /** Fires n requests at once (released together by a latch) and answers their statuses. */
    static List<Integer> burst(int n, IntFunction<Integer> request) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                Callable<Integer> call = () -> {
                    go.await();
                    return request.apply(index);
                };
                answers.add(threads.submit(call));
            }
            go.countDown();
            List<Integer> statuses = new java.util.ArrayList<>();
            for (Future<Integer> f : answers) {
                statuses.add(f.get());
            }
            return statuses;
        } finally {
            threads.shutdownNow();
        }
    }

    static long count(Pool pool, String sql, Object... args) {
        return pool.preparedQuery(sql).execute(Tuple.from(args)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }
}
