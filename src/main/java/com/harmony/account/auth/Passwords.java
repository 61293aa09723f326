package com.harmony.account.auth;

import com.harmony.account.AccountProblems;
import com.harmony.platform.Problem;
import com.harmony.platform.ProblemException;
import com.harmony.platform.VertxContexts;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Argon2id hashing (P24) on a small bounded pool of its own, never on the event loop: each hash takes
 * tens of milliseconds and 19 MiB, so the pool size bounds both CPU and memory under a sign-in storm.
 * Also the password rules (ASVS 5: 8+ characters, up to 128 accepted, never truncated, no
 * composition rules, common passwords refused).
 */
@ApplicationScoped
@io.quarkus.runtime.Startup // built at start: its dummy hash and word list must not cost the first sign-in's event loop
public class Passwords {

    public static final int MIN_LENGTH = 8;
    public static final int MAX_LENGTH = 128;

    private final int memoryKib;
    private final int iterations;
    private final int parallelism;
    private final ThreadPoolExecutor pool;
    private final AtomicInteger admitted = new AtomicInteger();
    private final AtomicLong arrivals = new AtomicLong();
    private final int capacity;
    private final int signInReserve;
    private final Set<String> common;
    /** A hash to check unknown accounts' passwords against; made off the start-up's main thread (an Argon2id hash). */
    private final java.util.concurrent.CompletableFuture<Argon2Hash> dummyHash;

    Passwords(AuthConfig config) {
        this.memoryKib = config.argon2().memoryKib();
        this.iterations = config.argon2().iterations();
        this.parallelism = config.argon2().parallelism();
        int threads = config.hashThreads();
        int capacity = config.hashQueue();
        int signInReserve = config.hashSignInReserve();
        this.capacity = capacity;
        this.signInReserve = Math.min(signInReserve, capacity - 1);
        AtomicInteger n = new AtomicInteger();
        // sign-in jobs jump the queue; admission (below) keeps it bounded
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new PriorityBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "password-hash-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.common = loadCommon();
        this.dummyHash = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> Argon2Hash.create("timing-equaliser-" + System.nanoTime(), memoryKib, iterations, parallelism));
    }

    void stop(@Observes ShutdownEvent event) {
        pool.shutdownNow();
    }

    /** The outcome of a check: whether it matched and whether the stored hash uses outdated parameters. */
    public record Verification(boolean matches, boolean needsRehash) {
    }

    public Uni<String> hash(String password) {
        return onPool(false, () -> Argon2Hash.create(password, memoryKib, iterations, parallelism).toString());
    }

    /**
     * Checks a password against a stored hash; with no hash (unknown account) it checks against a
     * dummy so both cases cost the same time.
     */
    public Uni<Verification> verify(String password, String storedHash) {
        return verify(false, password, storedHash);
    }

    /** The same check for sign-in: it goes ahead of queued registrations and has slots of its own. */
    public Uni<Verification> verifyForSignIn(String password, String storedHash) {
        return verify(true, password, storedHash);
    }

    private Uni<Verification> verify(boolean signIn, String password, String storedHash) {
        return onPool(signIn, () -> {
            Argon2Hash stored = storedHash == null ? null : Argon2Hash.parse(storedHash);
            // unknown account, or a stored value that is no Argon2 hash: the same work against the dummy, no match
            Argon2Hash checked = stored != null ? stored : dummyHash.join();
            boolean ok = checked.matches(password == null ? "" : password) && stored != null;
            boolean outdated = !checked.sameParameters(memoryKib, iterations, parallelism);
            return new Verification(ok, ok && outdated);
        });
    }

    /** Refuses passwords outside the rules, naming the field. */
    public void checkPolicy(String field, String password, String email) {
        String problem = null;
        int length = password.codePointCount(0, password.length());
        if (length < MIN_LENGTH) {
            problem = "must be at least " + MIN_LENGTH + " characters";
        } else if (length > MAX_LENGTH) {
            problem = "must be at most " + MAX_LENGTH + " characters";
        } else if (common.contains(password.toLowerCase(Locale.ROOT))) {
            problem = "is one of the most common passwords; choose another";
        } else if (email != null && password.equalsIgnoreCase(email)) {
            problem = "must not be your email address";
        }
        if (problem != null) {
            throw new ProblemException(AccountProblems.WEAK_PASSWORD, "Choose another password.",
                    List.of(new Problem.FieldError(field, problem)), Map.of());
        }
    }

    /**
     * Runs work on the hashing pool and comes back to the caller's Vert.x context (Hibernate Reactive
     * needs it). At most {@code capacity} jobs wait or run; all but the sign-in reserve may be taken by
     * other work (registrations, password changes), so a flood of those answers 503 while sign-in goes on.
     */
    private <T> Uni<T> onPool(boolean signIn, java.util.function.Supplier<T> work) {
        int limit = signIn ? capacity : capacity - signInReserve;
        Uni<T> hashed = Uni.createFrom().item(work).runSubscriptionOn(command -> {
            if (admitted.incrementAndGet() > limit) {
                admitted.decrementAndGet();
                throw new ProblemException(AccountProblems.BUSY, "Too many password checks at once; retry in a moment.",
                        List.of(), Map.of("Retry-After", "1"));
            }
            try {
                pool.execute(new Job(signIn ? 0 : 1, arrivals.incrementAndGet(), () -> {
                    try {
                        command.run();
                    } finally {
                        admitted.decrementAndGet();
                    }
                }));
            } catch (RejectedExecutionException e) {
                admitted.decrementAndGet();
                throw new ProblemException(AccountProblems.BUSY, "Too many password checks at once; retry in a moment.",
                        List.of(), Map.of("Retry-After", "1"));
            }
        });
        return VertxContexts.emitOnCurrent(hashed);
    }

    /** A hashing job: sign-in first, then first come, first served. */
    private record Job(int priority, long arrival, Runnable work) implements Runnable, Comparable<Job> {

        @Override
        public void run() {
            work.run();
        }

        @Override
        public int compareTo(Job other) {
            return priority != other.priority ? Integer.compare(priority, other.priority) : Long.compare(arrival, other.arrival);
        }
    }

    private static Set<String> loadCommon() {
        Set<String> set = new HashSet<>();
        try (var in = Passwords.class.getResourceAsStream("/common-passwords.txt");
                var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            reader.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .forEach(l -> set.add(l.toLowerCase(Locale.ROOT)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return set;
    }
}
