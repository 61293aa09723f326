package com.harmony.platform;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one throttle of the service, in PostgreSQL so every instance shares it. An attempt is reserved
 * BEFORE the secret is checked, by one atomic upsert per key: a burst of parallel guesses is counted
 * as it arrives, so no more than the limit are ever evaluated. Attempts count in a window that starts
 * at the first one; past the limit the key is locked for a while that doubles with each further
 * attempt (up to a cap), so a boundary between windows never lets twice the limit through. A success
 * gives its reservations back ({@link Permit#release}); what is counted regardless of outcome
 * (reset mails, registrations) is simply never released. Keys are SHA-256 digests; old
 * counters go with {@link PlatformPersonalData#purge}.
 */
@ApplicationScoped
public class Throttle {

    /** One limit: at most {@code max} attempts on {@code key} per window, then locked from baseLock doubling up to maxLock. */
    public record Limit(String key, int max, Duration window, Duration baseLock, Duration maxLock) {

        public static Limit of(String key, int max, Duration window) {
            return new Limit(key, max, window, window, window);
        }
    }

    /**
     * Counts the attempt atomically. While a lock runs, attempts are refused without extending it; a
     * lock that has run out lets exactly one attempt through (the count goes back to the limit); a
     * window that is over, with no lock running, starts the count again.
     */
    private static final String RESERVE = """
            insert into rate_limit as t (key, attempts, window_start, locks) values ($1, 1, now(), 0)
            on conflict (key) do update set
                attempts = case when t.locked_until > now() then t.attempts
                                when t.window_start <= now() - $2 * interval '1 millisecond' then 1
                                when t.locked_until is not null then $3
                                else t.attempts + 1 end,
                locks = case when coalesce(t.locked_until, now()) <= now() and t.window_start <= now() - $2 * interval '1 millisecond'
                             then 0 else t.locks end,
                window_start = case when coalesce(t.locked_until, now()) <= now() and t.window_start <= now() - $2 * interval '1 millisecond'
                                    then now() else t.window_start end,
                locked_until = case when t.locked_until <= now() then null else t.locked_until end
            returning attempts, locked_until, locks""";
    private static final String LOCK = """
            update rate_limit set locks = locks + case when locked_until > now() then 0 else 1 end,
                locked_until = greatest(coalesce(locked_until, now()), now() + $2 * interval '1 millisecond')
            where key = $1 returning locked_until""";
    private static final String RELEASE = "update rate_limit set attempts = greatest(attempts - 1, 0) where key = $1";
    private static final String RESET = "delete from rate_limit where key = $1";

    private final Pool pool;

    Throttle(Pool pool) {
        this.pool = pool;
    }

    /** Reservations that a successful attempt gives back. */
    public final class Permit {

        private final List<String> digests;

        private Permit(List<String> digests) {
            this.digests = digests;
        }

        /** The attempt succeeded: it does not count against the limits. */
        public Uni<Void> release() {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (String d : digests) {
                chain = chain.chain(() -> pool.preparedQuery(RELEASE).execute(Tuple.of(d)).replaceWithVoid());
            }
            return chain;
        }

        /** Forgets the key's history altogether (a successful sign-in clears that email and address's failures). */
        public Uni<Void> reset(Limit limit) {
            return pool.preparedQuery(RESET).execute(Tuple.of(digest(limit.key()))).replaceWithVoid();
        }
    }

    /**
     * Reserves one attempt on each limit in order, or fails with a 429 of the given type and
     * Retry-After at the first one past its limit or locked; the limits after it are not counted, so
     * whoever is refused by a narrow limit (one client and order) cannot wear down a wider one (the order).
     */
    public Uni<Permit> acquire(ProblemType refusal, String detail, Limit... limits) {
        List<String> digests = new ArrayList<>();
        Uni<OffsetDateTime> lockedUntil = Uni.createFrom().nullItem();
        for (Limit limit : limits) {
            String d = digest(limit.key());
            lockedUntil = lockedUntil.chain(until -> {
                if (until != null) {
                    return Uni.createFrom().item(until);
                }
                digests.add(d);
                return reserve(d, limit);
            });
        }
        return lockedUntil.map(until -> {
            if (until != null) {
                long seconds = Math.max(1, Duration.between(OffsetDateTime.now(), until).toSeconds() + 1);
                throw new ProblemException(refusal, detail + " Try again in " + seconds + " seconds.", List.of(),
                        Map.of("Retry-After", String.valueOf(seconds)));
            }
            return new Permit(digests);
        });
    }

    public Uni<Permit> acquire(Limit... limits) {
        return acquire(ProblemType.RATE_LIMITED, "Too many attempts.", limits);
    }

    /** Counts the attempt; answers until when the key is locked, or null when this attempt may go on. */
    private Uni<OffsetDateTime> reserve(String digest, Limit limit) {
        return pool.preparedQuery(RESERVE).execute(Tuple.of(digest, limit.window().toMillis(), limit.max())).chain(rows -> {
            Row r = rows.iterator().next();
            OffsetDateTime locked = r.getOffsetDateTime("locked_until");
            if (locked != null && locked.isAfter(OffsetDateTime.now())) {
                return Uni.createFrom().item(locked);
            }
            if (r.getInteger("attempts") <= limit.max()) {
                return Uni.createFrom().nullItem();
            }
            long lock = Math.min(limit.maxLock().toMillis(), limit.baseLock().toMillis() << Math.min(20, r.getInteger("locks")));
            // no row: a success reset the key meanwhile, so this attempt may go on
            return pool.preparedQuery(LOCK).execute(Tuple.of(digest, lock))
                    .map(locks -> locks.iterator().hasNext() ? locks.iterator().next().getOffsetDateTime("locked_until") : null);
        });
    }

    private static String digest(String key) {
        return Hashes.sha256Hex(key);
    }
}
