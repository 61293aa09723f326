package com.harmony.platform;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.pgclient.PgException;
import java.net.SocketException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * What counts as "the database is away" (503 with Retry-After) rather than a fault of ours (500): found
 * by restarting PostgreSQL under load (.ci/faults), where connections reset mid-request answered 500.
 */
class DatabaseFailuresTest {

    @Test
    void aConnectionResetMidRequestIsTheDatabaseBeingAway() {
        assertTrue(ProblemMapper.databaseUnavailable(new SocketException("Connection reset")));
        assertTrue(ProblemMapper.databaseUnavailable(new CompletionException(new SocketException("Connection reset"))));
        assertTrue(ProblemMapper.databaseUnavailable(new java.io.IOException("Connection reset by peer")));
        assertTrue(ProblemMapper.databaseUnavailable(new java.nio.channels.ClosedChannelException()));
        // found by .ci/faults: a request whose connection the restart had just closed answered 500
        assertTrue(ProblemMapper.databaseUnavailable(new io.vertx.core.impl.NoStackTraceThrowable("Connection is not active now, current status: CLOSED")));
    }

    @Test
    void aServerShuttingDownOrStartingIsTheDatabaseBeingAway() {
        assertTrue(ProblemMapper.databaseUnavailable(new PgException("terminating connection due to administrator command", "FATAL", "57P01", null)));
        assertTrue(ProblemMapper.databaseUnavailable(new PgException("the database system is starting up", "FATAL", "57P03", null)));
        assertTrue(ProblemMapper.databaseUnavailable(new java.net.ConnectException("Connection refused")));
    }

    @Test
    void ourOwnFaultsAreNot() {
        assertFalse(ProblemMapper.databaseUnavailable(new IllegalStateException("a bug")));
        assertFalse(ProblemMapper.databaseUnavailable(new PgException("duplicate key", "ERROR", "23505", null)));
        assertFalse(ProblemMapper.databaseUnavailable(new java.io.IOException("No space left on device")));
    }
}
