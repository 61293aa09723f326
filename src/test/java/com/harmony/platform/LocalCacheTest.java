package com.harmony.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The per-instance cache behind the catalog's and the accounts' reads: misses of one key that arrive
 * together share one load (an expiry must not send every reader of that moment to the database), and a
 * read that starts after an invalidation never gets what a load begun before it read.
 */
class LocalCacheTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    /** A loader whose loads finish when the test says, counting how often it is asked. */
    private static final class HeldLoader {
        final AtomicInteger calls = new AtomicInteger();
        final List<UniEmitter<? super String>> pending = new CopyOnWriteArrayList<>();

        Uni<String> load() {
            calls.incrementAndGet();
            return Uni.createFrom().emitter(pending::add);
        }

        void finish(int call, String value) {
            pending.get(call).complete(value);
        }
    }

    @Test
    void aBurstOfMissesOfOneKeyMakesOneLoad_andEveryReaderGetsItsAnswer() throws Exception {
        LocalCache<String, String> cache = LocalCache.bySize(Duration.ofMinutes(1), 100);
        HeldLoader loader = new HeldLoader();
        ExecutorService readers = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> answers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            answers.add(readers.submit(() -> {
                start.await();
                return cache.get("page", loader::load).await().atMost(WAIT);
            }));
        }
        start.countDown();
        waitUntil(() -> loader.pending.size() == 1);
        Thread.sleep(100); // the stragglers of the burst arrive while the load runs
        loader.finish(0, "rendered");
        for (Future<String> answer : answers) {
            assertEquals("rendered", answer.get(5, TimeUnit.SECONDS));
        }
        readers.shutdown();
        assertEquals(1, loader.calls.get(), "loads for one burst of misses");
        assertEquals("rendered", cache.peek("page"));
    }

    @Test
    void aReadAfterAnInvalidationStartsItsOwnLoad_andTheOlderLoadIsNotKept() {
        LocalCache<String, String> cache = LocalCache.bySize(Duration.ofMinutes(1), 100);
        HeldLoader loader = new HeldLoader();
        CountDownLatch firstDone = new CountDownLatch(1);
        List<String> first = new CopyOnWriteArrayList<>();
        cache.get("page", loader::load).subscribe().with(v -> {
            first.add(v);
            firstDone.countDown();
        });
        cache.invalidate("page"); // a staff write's NOTIFY arrives while that read runs
        List<String> second = new CopyOnWriteArrayList<>();
        cache.get("page", loader::load).subscribe().with(second::add);
        assertEquals(2, loader.calls.get(), "the read after the invalidation joined the older load");

        loader.finish(0, "before the write");
        assertEquals(List.of("before the write"), first);
        assertNull(cache.peek("page"), "an older load's answer was kept after the invalidation");
        loader.finish(1, "after the write");
        assertEquals(List.of("after the write"), second);
        assertEquals("after the write", cache.peek("page"));
    }

    @Test
    void aFailedLoadIsNotShared_withReadsThatComeAfterIt() {
        LocalCache<String, String> cache = LocalCache.bySize(Duration.ofMinutes(1), 100);
        AtomicInteger calls = new AtomicInteger();
        Uni<String> failing = cache.get("page", () -> {
            calls.incrementAndGet();
            return Uni.createFrom().failure(new IllegalStateException("database away"));
        }).onFailure().recoverWithItem("failed");
        assertEquals("failed", failing.await().atMost(WAIT));
        assertEquals("fresh", cache.get("page", () -> {
            calls.incrementAndGet();
            return Uni.createFrom().item("fresh");
        }).await().atMost(WAIT));
        assertEquals(2, calls.get());
    }

    @Test
    void aReadThatJoinsAnotherReadsLoad_goesOnOnItsOwnVertxContext() throws Exception {
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(2));
        try {
            LocalCache<String, String> cache = LocalCache.bySize(Duration.ofMinutes(1), 100);
            HeldLoader loader = new HeldLoader();
            io.vertx.core.Context first = vertx.getOrCreateContext();
            io.vertx.core.Context second = vertx.getOrCreateContext();
            List<Object> ranOn = new CopyOnWriteArrayList<>();
            CountDownLatch answered = new CountDownLatch(2);
            first.runOnContext(x -> cache.get("me", loader::load).subscribe().with(v -> {
                ranOn.add(io.vertx.core.Vertx.currentContext() == first ? "first" : "elsewhere");
                answered.countDown();
            }));
            waitUntil(() -> loader.pending.size() == 1);
            second.runOnContext(x -> cache.get("me", loader::load).subscribe().with(v -> {
                ranOn.add(io.vertx.core.Vertx.currentContext() == second ? "second" : "elsewhere");
                answered.countDown();
            }));
            Thread.sleep(100);
            first.runOnContext(x -> loader.finish(0, "the account")); // the database answers the read that asked
            assertEquals(true, answered.await(5, TimeUnit.SECONDS));
            assertEquals(1, loader.calls.get());
            assertEquals(List.of("first", "second"), ranOn);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(5);
        }
    }
}
