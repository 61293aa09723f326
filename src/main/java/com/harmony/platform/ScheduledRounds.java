package com.harmony.platform;

import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

/**
 * What a scheduled round does when it fails. A database that cannot be reached (a restart, a failover)
 * is one warning line: the round did nothing and the next one tries again. Every instance runs several
 * rounds every few seconds, so an outage of a minute used to fill the log with stack traces. Anything
 * else is a fault of ours and stays an error with its trace.
 */
public final class ScheduledRounds {

    private static final Logger LOG = Logger.getLogger(ScheduledRounds.class);

    private ScheduledRounds() {
    }

    public static Uni<Void> retriedNextRound(String job, Uni<?> round) {
        return round.replaceWithVoid().onFailure(ProblemMapper::databaseUnavailable).recoverWithItem(e -> {
            LOG.warnf("%s: round skipped, the database cannot be reached (%s); the next round tries again", job, e.getClass().getSimpleName());
            return null;
        });
    }
}
