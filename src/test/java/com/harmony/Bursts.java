package com.harmony;

import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** Requests sent together: n threads held behind one latch, then let go at once. */
public final class Bursts {

    private Bursts() {
    }

    /** The answers of n requests sent at once, in the order of their index; each gets 60 s. */
    public static List<Response> of(int n, IntFunction<Response> request) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Response>> sent = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                sent.add(threads.submit(() -> {
                    start.await();
                    return request.apply(index);
                }));
            }
            start.countDown();
            List<Response> answers = new ArrayList<>();
            for (Future<Response> f : sent) {
                answers.add(f.get(60, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            threads.shutdownNow();
        }
    }

    /** How many answers were 200; every other must be the 409 problem of this type, never a 503 of a stalled pool. */
    public static int onceAndConflicts(List<Response> answers, String conflictType) {
        int ok = 0;
        for (Response r : answers) {
            if (r.statusCode() == 200) {
                ok++;
            } else {
                org.junit.jupiter.api.Assertions.assertEquals(409, r.statusCode(), r.asString());
                org.junit.jupiter.api.Assertions.assertEquals(conflictType, r.path("type"));
            }
        }
        return ok;
    }
}
