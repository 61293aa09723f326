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
    void aBusyOrSlowDatabaseIsTheDatabaseBeingAway_asTheSqlClientAndHibernateReactiveReportIt() {
        // found by a slow-database audit: these answered 500
        assertTrue(ProblemMapper.databaseUnavailable(new io.vertx.core.VertxException("Timeout waiting for connection")));
        assertTrue(ProblemMapper.databaseUnavailable(new io.vertx.core.impl.NoStackTraceThrowable("Timeout")));
        assertTrue(ProblemMapper.databaseUnavailable(new CompletionException(new org.hibernate.QueryTimeoutException(
                "canceling statement due to statement timeout", new java.sql.SQLException("canceling statement", "57014"), "update account"))));
        assertTrue(ProblemMapper.databaseUnavailable(new RuntimeException(new java.sql.SQLException("terminating connection", "57P01"))));
        assertFalse(ProblemMapper.databaseUnavailable(new RuntimeException(new java.sql.SQLException("duplicate key", "23505"))));
    }

    @Test
    void ourOwnFaultsAreNot() {
        assertFalse(ProblemMapper.databaseUnavailable(new IllegalStateException("a bug")));
        assertFalse(ProblemMapper.databaseUnavailable(new PgException("duplicate key", "ERROR", "23505", null)));
        assertFalse(ProblemMapper.databaseUnavailable(new java.io.IOException("No space left on device")));
    }
}
