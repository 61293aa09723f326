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
 * BEFORE it is evaluated, by one atomic upsert per key: a burst of parallel guesses is counted as it
 * arrives, so no more than the limit are ever evaluated. Attempts count in a window that starts at the
 * first one; past the limit the key is locked for a while that doubles with each further attempt (up to
 * a cap), so a boundary between windows never lets twice the limit through.
 * <p>
 * Two kinds of limit. {@link #acquire} counts every attempt (reset mails, registrations, feedback).
 * {@link #guard} counts failures (sign-in, password checks, guest verifications, partner
 * authentication): an attempt in flight is held apart as pending, counted against the limit while it
 * runs, and then either given back ({@link Permit#release}, a success) or counted as a failure
 * ({@link Permit#failed}). Only failures lock a key: a burst of correct attempts beyond the limit gets a
 * brief 429 for the excess, never a lock. A refused attempt gives back what it reserved on the limits
 * before the one that refused it. Keys are stored as HMACs with the server key (SECRET_KEY): a plain digest of an
 * email or an IPv4 address is reversed by guessing, a keyed one is not. Old counters go with
 * {@link PlatformPersonalData#purge}.
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
     * Counts the attempt atomically ($4: counted as an attempt, else held as pending). While a lock runs,
     * attempts are refused without extending it; a lock that has run out lets exactly one attempt through
     * (the count goes back to the limit); a window that is over, with no lock running, starts the count again.
     */
    private static final String RESERVE = """
            insert into rate_limit as t (key, attempts, pending, pending_since, window_start, locks)
            values ($1, case when $4 then 1 else 0 end, case when $4 then 0 else 1 end, case when $4 then null else now() end, now(), 0)
            on conflict (key) do update set
                attempts = case when t.locked_until > now() then t.attempts
                                when t.window_start <= now() - $2 * interval '1 millisecond' then case when $4 then 1 else 0 end
                                when t.locked_until is not null then case when $4 then $3 else $3 - 1 end
                                else t.attempts + case when $4 then 1 else 0 end end,
                pending = case when t.locked_until > now() then t.pending
                               when coalesce(t.locked_until, now()) <= now() and t.window_start <= now() - $2 * interval '1 millisecond'
                               then case when $4 then 0 else 1 end
                               -- places in flight past their lease were never settled: forgotten
                               when t.pending > 0 and t.pending_since < now() - $5 * interval '1 millisecond' then case when $4 then 0 else 1 end
                               else t.pending + case when $4 then 0 else 1 end end,
                pending_since = case when t.locked_until > now() or $4 then t.pending_since
                                     when t.pending = 0 or t.pending_since is null or t.pending_since < now() - $5 * interval '1 millisecond'
                                          or t.window_start <= now() - $2 * interval '1 millisecond' then now()
                                     else t.pending_since end,
                locks = case when coalesce(t.locked_until, now()) <= now() and t.window_start <= now() - $2 * interval '1 millisecond'
                             then 0 else t.locks end,
                window_start = case when coalesce(t.locked_until, now()) <= now() and t.window_start <= now() - $2 * interval '1 millisecond'
                                    then now() else t.window_start end,
                locked_until = case when t.locked_until <= now() then null else t.locked_until end
            returning attempts, pending, locked_until, locks""";
    private static final String LOCK = """
            update rate_limit set locks = locks + case when locked_until > now() then 0 else 1 end,
                locked_until = greatest(coalesce(locked_until, now()), now() + $2 * interval '1 millisecond')
            where key = $1 returning locked_until""";
    /**
     * The keys of $1 locked in key order: two statements settling the same keys in parallel take their rows in one
     * order, where a scan of the small, busy table could meet them in another and deadlock.
     */
    private static final String KEYS = "key in (select key from rate_limit where key = any($1) order by key for no key update)";
    /** Gives a reservation back on every key at once ($1): $2 counted (an attempt), else pending. */
    private static final String RELEASE = """
            update rate_limit set attempts = case when $2 then greatest(attempts - 1, 0) else attempts end,
                pending = case when $2 then pending else greatest(pending - 1, 0) end
            where %s""".formatted(KEYS);
    /** One statement for every key, so a failure is counted on all of them or on none. */
    private static final String FAILED = "update rate_limit set pending = greatest(pending - 1, 0), attempts = attempts + 1 where " + KEYS;
    private static final String RESET = "delete from rate_limit where key = $1";

    /** How long the excess of a burst in flight waits: the attempts ahead of it take about that long. */
    private static final Duration BUSY = Duration.ofSeconds(1);
    /** How long places in flight are held at most: an attempt takes well under a second, a queued hash a few. */
    static final Duration PENDING_LEASE = Duration.ofSeconds(30);

    private final Pool pool;

    Throttle(Pool pool) {
        this.pool = pool;
    }

    /** What an attempt reserved: given back on success, counted as a failure on a guarded limit. */
    public final class Permit {

        private final List<String> digests;
        private final boolean counted;
        /** A permit settles once: a release after a failure (or a cancellation after either) changes nothing. */
        private final java.util.concurrent.atomic.AtomicBoolean settled = new java.util.concurrent.atomic.AtomicBoolean();

        private Permit(List<String> digests, boolean counted) {
            this.digests = digests;
            this.counted = counted;
        }

        /**
         * The attempt succeeded, or was never evaluated (a busy pool, a database error, a client that went away:
         * callers release on cancellation too, or a pending place would be held until the window ends).
         */
        public Uni<Void> release() {
            return settled.compareAndSet(false, true) && !digests.isEmpty()
                    ? pool.preparedQuery(RELEASE).execute(Tuple.of(digests.toArray(String[]::new), counted)).replaceWithVoid()
                    : Uni.createFrom().voidItem();
        }

        /** The attempt failed: on a guarded limit it now counts, and enough of them lock the key. */
        public Uni<Void> failed() {
            return !counted && settled.compareAndSet(false, true) && !digests.isEmpty()
                    ? pool.preparedQuery(FAILED).execute(Tuple.of((Object) digests.toArray(String[]::new))).replaceWithVoid()
                    : Uni.createFrom().voidItem();
        }

        /** Forgets the key's history altogether (a successful sign-in clears that email and address's failures). */
        public Uni<Void> reset(Limit limit) {
            return pool.preparedQuery(RESET).execute(Tuple.of(digest(limit.key()))).replaceWithVoid();
        }
    }

    /** A refusal: until when, and whether it is a lock or only the excess of a burst in flight. */
    private record Refusal(OffsetDateTime until, boolean busy) {
    }

    /**
     * Counts one attempt on each limit in order, or fails with a 429 of the given type and Retry-After at
     * the first one past its limit or locked; the limits after it are not counted and those before it are
     * given back, so whoever is refused by one limit cannot wear down another.
     */
    public Uni<Permit> acquire(ProblemType refusal, String detail, Limit... limits) {
        return reserveAll(true, refusal, detail, limits);
    }

    public Uni<Permit> acquire(Limit... limits) {
        return acquire(ProblemType.RATE_LIMITED, "Too many attempts.", limits);
    }

    /** The same for limits on failures: the attempt is pending until its permit is released or {@link Permit#failed failed}. */
    public Uni<Permit> guard(ProblemType refusal, String detail, Limit... limits) {
        return reserveAll(false, refusal, detail, limits);
    }

    private Uni<Permit> reserveAll(boolean counted, ProblemType refusal, String detail, Limit... limits) {
        List<String> digests = new ArrayList<>();
        Uni<Refusal> refused = Uni.createFrom().nullItem();
        for (Limit limit : limits) {
            String d = digest(limit.key());
            refused = refused.chain(r -> {
                if (r != null) {
                    return Uni.createFrom().item(r);
                }
                return reserve(d, limit, counted).invoke(mine -> {
                    if (mine == null) {
                        digests.add(d);
                    }
                });
            });
        }
        return refused.chain(r -> {
            Permit permit = new Permit(digests, counted);
            if (r == null) {
                return Uni.createFrom().item(permit);
            }
            long seconds = Math.max(1, Duration.between(OffsetDateTime.now(), r.until()).toSeconds() + 1);
            String why = r.busy() ? "Too many attempts at once." : detail;
            return permit.release().chain(() -> Uni.createFrom().failure(new ProblemException(refusal, why + " Try again in " + seconds + " seconds.",
                    List.of(), Map.of("Retry-After", String.valueOf(seconds)))));
        });
    }

    /** Counts the attempt; answers the refusal, or null when this attempt may go on. */
    private Uni<Refusal> reserve(String digest, Limit limit, boolean counted) {
        Tuple args = Tuple.of(digest, limit.window().toMillis(), limit.max(), counted, PENDING_LEASE.toMillis());
        return pool.preparedQuery(RESERVE).execute(args).chain(rows -> {
            Row r = rows.iterator().next();
            OffsetDateTime locked = r.getOffsetDateTime("locked_until");
            if (locked != null && locked.isAfter(OffsetDateTime.now())) {
                return Uni.createFrom().item(new Refusal(locked, false));
            }
            int attempts = r.getInteger("attempts");
            if (attempts + r.getInteger("pending") <= limit.max()) {
                return Uni.createFrom().nullItem();
            }
            if (counted) {
                return lock(digest, limit, r.getInteger("locks"));
            }
            // not evaluated, so no failure of its own: its place goes back. Over the limit only with attempts still
            // running, which may all succeed, it waits and nothing locks; past the failures allowed, the key locks
            Uni<?> back = pool.preparedQuery(RELEASE).execute(Tuple.of(new String[] {digest}, false));
            return attempts < limit.max() ? back.replaceWith(new Refusal(OffsetDateTime.now().plus(BUSY), true))
                    : back.chain(() -> lock(digest, limit, r.getInteger("locks")));
        });
    }

    private Uni<Refusal> lock(String digest, Limit limit, int locks) {
        long lock = Math.min(limit.maxLock().toMillis(), limit.baseLock().toMillis() << Math.min(20, locks));
        // no row: a success reset the key meanwhile, so this attempt may go on
        return pool.preparedQuery(LOCK).execute(Tuple.of(digest, lock))
                .map(rows -> rows.iterator().hasNext() ? new Refusal(rows.iterator().next().getOffsetDateTime("locked_until"), false) : null);
    }

    private static volatile ServerKey keyedBy;

    static void keyWith(ServerKey key) {
        keyedBy = key;
    }

    /** How a key is stored: its HMAC with the server key, the same on every instance, so the table holds no address or email. */
    public static String digest(String key) {
        ServerKey serverKey = keyedBy;
        if (serverKey == null) {
            throw new IllegalStateException("the server key is made at start-up, before any request");
        }
        return serverKey.signHex("throttle", key);
    }

    /** Prefixes of keys that name a person by email or account (a normalised email or an account id follows): erasure deletes them. */
    public static final String RESET_MAIL_EMAIL = "reset-mail:email:";
    public static final String PRIVACY_REQUEST_EMAIL = "privacy-request-email:";
    public static final String PRIVACY_REQUEST_ACCOUNT = "privacy-request-account:";
    public static final String PASSWORD_CHECK_ACCOUNT = "password-check:account:";
}
