package com.harmony.platform;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Drops one known, harmless upstream error: when PostgreSQL goes away under load, the Vert.x SQL client's pool
 * completes a waiting request's promise twice (eclipse-vertx/vertx-sql-client#1706), and Vert.x reports each second
 * completion as an uncaught IllegalStateException with a full stack trace: hundreds a second during a restart, while
 * every request is answered properly (503). Anything else, from the pool or elsewhere, is logged as before.
 */
@LoggingFilter(name = "pool-race-noise")
public final class PoolRaceNoise implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        Throwable e = record.getThrown();
        if (!(e instanceof IllegalStateException) || !"Result is already complete".equals(e.getMessage())) {
            return true;
        }
        for (StackTraceElement frame : e.getStackTrace()) {
            if (frame.getClassName().startsWith("io.vertx.sqlclient.impl.pool.SqlConnectionPool")) {
                return false;
            }
        }
        return true;
    }
}
