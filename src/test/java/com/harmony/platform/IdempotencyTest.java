package com.harmony.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.harmony.platform.Idempotency.Stored;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.resteasy.reactive.RestResponse;
import org.junit.jupiter.api.Test;

/** The idempotency mechanism itself: in-progress claims, released failures, expiry and purge (HTTP behaviour is in CheckoutTest). */
@QuarkusTest
class IdempotencyTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    Idempotency idempotency;

    @Inject
    Pool pool;

    @Inject
    PlatformPersonalData retention;

    @Test
    void aRequestWhoseFirstAttemptIsStillRunningIs409_andTheResultIsReplayedOnceDone() throws Exception {
        String scope = "test:" + UUID.randomUUID();
        AtomicInteger runs = new AtomicInteger();
        CompletableFuture<RestResponse<String>> first = idempotency.run(scope, "k", "fp", () -> {
            runs.incrementAndGet();
            return Uni.createFrom().item(Stored.ok("{\"n\":1}")).onItem().delayIt().by(Duration.ofMillis(1500));
        }).subscribeAsCompletionStage();
        waitForClaim(scope);
        ProblemException busy = assertThrows(ProblemException.class,
                () -> idempotency.run(scope, "k", "fp", () -> Uni.createFrom().item(Stored.ok("{}"))).await().atMost(WAIT));
        assertEquals(Idempotency.IN_PROGRESS, busy.type());
        assertEquals("1", busy.headers().get("Retry-After"));
        assertEquals(200, first.get().getStatus());
        RestResponse<String> replay = idempotency.run(scope, "k", "fp", () -> Uni.createFrom().item(Stored.ok("{}"))).await().atMost(WAIT);
        assertEquals("{\"n\":1}", replay.getEntity());
        assertEquals("true", replay.getHeaderString(Idempotency.REPLAYED));
        assertEquals(1, runs.get());
    }

    @Test
    void aFailedAttemptReleasesTheKey_soTheSameKeyCanBeRetried() {
        String scope = "test:" + UUID.randomUUID();
        assertThrows(ProblemException.class, () -> idempotency.run(scope, "k", "fp",
                () -> Uni.createFrom().failure(new ProblemException(ProblemType.CONFLICT, "no"))).await().atMost(WAIT));
        RestResponse<String> retry = idempotency.run(scope, "k", "fp", () -> Uni.createFrom().item(Stored.ok("{}"))).await().atMost(WAIT);
        assertEquals(200, retry.getStatus());
        assertEquals(null, retry.getHeaderString(Idempotency.REPLAYED));
    }

    @Test
    void expiredKeysAreReusable_andThePurgeDeletesThem() {
        String scope = "test:" + UUID.randomUUID();
        idempotency.run(scope, "k", "fp", () -> Uni.createFrom().item(Stored.ok("{\"n\":1}"))).await().atMost(WAIT);
        pool.preparedQuery("update idempotency_key set expires_at = now() - interval '1 second' where scope = $1")
                .execute(Tuple.of(scope)).await().atMost(WAIT);
        RestResponse<String> fresh = idempotency.run(scope, "k", "other", () -> Uni.createFrom().item(Stored.ok("{\"n\":2}"))).await().atMost(WAIT);
        assertEquals("{\"n\":2}", fresh.getEntity());
        pool.preparedQuery("update idempotency_key set expires_at = now() - interval '1 second' where scope = $1")
                .execute(Tuple.of(scope)).await().atMost(WAIT);
        pool.withTransaction(conn -> retention.purge(conn)).await().atMost(WAIT);
        long left = pool.preparedQuery("select count(*) from idempotency_key where scope = $1").execute(Tuple.of(scope))
                .await().atMost(WAIT).iterator().next().getLong(0);
        assertEquals(0, left);
    }

    @Test
    void aSlowFirstAttemptRenewsItsLease_soARetryNeverRunsItASecondTime() throws Exception {
        // the test profile's lease is 1 s: the first attempt runs three times that
        String scope = "test:" + UUID.randomUUID();
        AtomicInteger runs = new AtomicInteger();
        CompletableFuture<RestResponse<String>> first = idempotency.run(scope, "k", "fp", () -> {
            runs.incrementAndGet();
            return Uni.createFrom().item(Stored.ok("{\"n\":1}")).onItem().delayIt().by(Duration.ofMillis(3000));
        }).subscribeAsCompletionStage();
        waitForClaim(scope);
        Thread.sleep(2000);
        ProblemException busy = assertThrows(ProblemException.class, () -> idempotency.run(scope, "k", "fp", () -> {
            runs.incrementAndGet();
            return Uni.createFrom().item(Stored.ok("{\"n\":2}"));
        }).await().atMost(WAIT));
        assertEquals(Idempotency.IN_PROGRESS, busy.type());
        assertEquals("{\"n\":1}", first.get().getEntity());
        assertEquals(1, runs.get(), "never run beside itself");
    }

    @Test
    void anAttemptWhoseLeaseWasTakenOverDoesNotOverwriteTheNewOwnersClaim() throws Exception {
        String scope = "test:" + UUID.randomUUID();
        CompletableFuture<RestResponse<String>> first = idempotency.run(scope, "k", "fp",
                () -> Uni.createFrom().item(Stored.ok("{\"n\":1}")).onItem().delayIt().by(Duration.ofMillis(800))).subscribeAsCompletionStage();
        waitForClaim(scope);
        UUID newOwner = UUID.randomUUID();
        pool.preparedQuery("update idempotency_key set owner = $2 where scope = $1").execute(Tuple.of(scope, newOwner)).await().atMost(WAIT);
        assertEquals(200, first.get().getStatus(), "the caller still gets its answer");
        var row = pool.preparedQuery("select status, owner from idempotency_key where scope = $1").execute(Tuple.of(scope))
                .await().atMost(WAIT).iterator().next();
        assertEquals("in_progress", row.getString("status"), "the old attempt did not complete a claim it lost");
        assertEquals(newOwner, row.getUUID("owner"));
    }

    @Test
    void aClaimWhoseLeaseRanOut_isTakenOverByARetry() {
        String scope = "test:" + UUID.randomUUID();
        pool.preparedQuery("""
                insert into idempotency_key (scope, key, request_hash, status, locked_until, expires_at, owner)
                values ($1, 'k', 'fp', 'in_progress', now() - interval '1 second', now() + interval '1 hour', gen_random_uuid())""")
                .execute(Tuple.of(scope)).await().atMost(WAIT);
        RestResponse<String> retry = idempotency.run(scope, "k", "fp", () -> Uni.createFrom().item(Stored.ok("{\"n\":3}"))).await().atMost(WAIT);
        assertEquals("{\"n\":3}", retry.getEntity());
    }

    @Test
    void keysMustBePrintableAndAtMost255Characters() {
        ProblemException e = assertThrows(ProblemException.class, () -> idempotency.run("test:x", "a b", "fp",
                () -> Uni.createFrom().item(Stored.ok("{}"))).await().atMost(WAIT));
        assertEquals(ProblemType.VALIDATION_FAILED, e.type());
        assertThrows(ProblemException.class, () -> idempotency.run("test:x", "k".repeat(256), "fp",
                () -> Uni.createFrom().item(Stored.ok("{}"))).await().atMost(WAIT));
    }

    private void waitForClaim(String scope) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            long n = pool.preparedQuery("select count(*) from idempotency_key where scope = $1").execute(Tuple.of(scope))
                    .await().atMost(WAIT).iterator().next().getLong(0);
            if (n == 1) return;
            Thread.sleep(20);
        }
        throw new AssertionError("the first attempt never claimed its key");
    }
}
