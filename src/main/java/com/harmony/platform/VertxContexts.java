package com.harmony.platform;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/** Back on the caller's Vert.x context after work that finishes elsewhere (a worker pool, another request's load). */
public final class VertxContexts {

    private VertxContexts() {
    }

    /**
     * The uni's item or failure delivered on the Vert.x context current now: its event loop and its
     * request's context-local data (the security identity among them), which Hibernate Reactive and
     * Quarkus REST need. Off Vert.x, the uni as it is.
     */
    public static <T> Uni<T> emitOnCurrent(Uni<T> uni) {
        return Vertx.currentContext() == null ? uni : uni.emitOn(onCurrent());
    }

    /**
     * The uni subscribed to on the Vert.x context current now, each time it is: a retry resubscribes on Mutiny's
     * worker after its backoff, where Hibernate Reactive refuses to run. Off Vert.x, the uni as it is.
     */
    public static <T> Uni<T> subscribeOnCurrent(Uni<T> uni) {
        return Vertx.currentContext() == null ? uni : uni.runSubscriptionOn(onCurrent());
    }

    /** Runs on the context current now: at once when already on it. Only called on a Vert.x context. */
    private static java.util.concurrent.Executor onCurrent() {
        Context caller = Vertx.currentContext();
        return task -> {
            if (Vertx.currentContext() == caller) {
                task.run();
            } else {
                caller.runOnContext(ignored -> task.run());
            }
        };
    }
}
