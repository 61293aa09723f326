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
        Context caller = Vertx.currentContext();
        return caller == null ? uni : uni.emitOn(task -> {
            if (Vertx.currentContext() == caller) {
                task.run();
            } else {
                caller.runOnContext(ignored -> task.run());
            }
        });
    }
}
