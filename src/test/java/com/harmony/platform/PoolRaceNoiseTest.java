package com.harmony.platform;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** What an operator reads while PostgreSQL restarts: the pool's known double completion is left out, nothing else is. */
class PoolRaceNoiseTest {

    private final PoolRaceNoise filter = new PoolRaceNoise();

    @Test
    void thePoolsDoubleCompletionIsLeftOut_butTheSameErrorFromElsewhereAndOtherErrorsAreLogged() {
        assertFalse(filter.isLoggable(record(thrownAt("io.vertx.sqlclient.impl.pool.SqlConnectionPool", "Result is already complete"))));
        assertTrue(filter.isLoggable(record(thrownAt("com.harmony.order.OrderService", "Result is already complete"))));
        assertTrue(filter.isLoggable(record(thrownAt("io.vertx.sqlclient.impl.pool.SqlConnectionPool", "Something else"))));
        assertTrue(filter.isLoggable(record(new IllegalArgumentException("Result is already complete"))));
        assertTrue(filter.isLoggable(new LogRecord(Level.INFO, "no exception at all")));
    }

    private static IllegalStateException thrownAt(String className, String message) {
        IllegalStateException e = new IllegalStateException(message);
        e.setStackTrace(new StackTraceElement[] {new StackTraceElement("io.vertx.core.Promise", "fail", "Promise.java", 1),
                new StackTraceElement(className, "lambda$execute$3", "X.java", 216)});
        return e;
    }

    private static LogRecord record(Throwable thrown) {
        LogRecord r = new LogRecord(Level.SEVERE, "Uncaught exception received by Vert.x");
        r.setThrown(thrown);
        return r;
    }
}
