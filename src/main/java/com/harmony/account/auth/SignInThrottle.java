package com.harmony.account.auth;

import com.harmony.account.AccountProblems;
import com.harmony.platform.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Slows down password guessing, counted in PostgreSQL so every instance shares the count. Failures
 * are counted per (email, client IP) and per client IP; past a limit the key is locked for a while
 * that doubles with each further failure, up to a cap. There is no lock per email alone, so an
 * attacker elsewhere can never lock the owner out; every lock ends by itself.
 */
@ApplicationScoped
public class SignInThrottle {

    private final Pool pool;
    private final int accountLimit;
    private final int ipLimit;
    private final Duration window;
    private final Duration baseLock;
    private final Duration maxLock;

    SignInThrottle(Pool pool,
            @ConfigProperty(name = "harmony.auth.throttle.account-ip-failures", defaultValue = "5") int accountLimit,
            @ConfigProperty(name = "harmony.auth.throttle.ip-failures", defaultValue = "50") int ipLimit,
            @ConfigProperty(name = "harmony.auth.throttle.window", defaultValue = "PT15M") Duration window,
            @ConfigProperty(name = "harmony.auth.throttle.base-lock", defaultValue = "PT30S") Duration baseLock,
            @ConfigProperty(name = "harmony.auth.throttle.max-lock", defaultValue = "PT15M") Duration maxLock) {
        this.pool = pool;
        this.accountLimit = accountLimit;
        this.ipLimit = ipLimit;
        this.window = window;
        this.baseLock = baseLock;
        this.maxLock = maxLock;
    }

    /** Fails with 429 and Retry-After while either key is locked. */
    public Uni<Void> check(String email, String ip) {
        return pool.preparedQuery("select max(locked_until) as until from auth_throttle where key = any($1) and locked_until > now()")
                .execute(Tuple.of(new String[] {accountKey(email, ip), ipKey(ip)}))
                .invoke(rows -> {
                    OffsetDateTime until = rows.iterator().next().getOffsetDateTime("until");
                    if (until != null) {
                        long seconds = Math.max(1, Duration.between(OffsetDateTime.now(), until).toSeconds() + 1);
                        throw new ProblemException(AccountProblems.SIGN_IN_THROTTLED,
                                "Too many failed sign-ins; try again in " + seconds + " seconds.", List.of(),
                                Map.of("Retry-After", String.valueOf(seconds)));
                    }
                }).replaceWithVoid();
    }

    public Uni<Void> failed(String email, String ip) {
        return count(accountKey(email, ip), accountLimit).chain(() -> count(ipKey(ip), ipLimit));
    }

    public Uni<Void> succeeded(String email, String ip) {
        return pool.preparedQuery("delete from auth_throttle where key = $1").execute(Tuple.of(accountKey(email, ip))).replaceWithVoid();
    }

    private Uni<Void> count(String key, int limit) {
        return pool.preparedQuery("""
                        insert into auth_throttle (key, failures, window_start) values ($1, 1, now())
                        on conflict (key) do update set
                            failures = case when auth_throttle.window_start < now() - make_interval(secs => $2)
                                            then 1 else auth_throttle.failures + 1 end,
                            window_start = case when auth_throttle.window_start < now() - make_interval(secs => $2)
                                                then now() else auth_throttle.window_start end
                        returning failures""")
                .execute(Tuple.of(key, (double) window.toSeconds()))
                .chain(rows -> {
                    int failures = rows.iterator().next().getInteger("failures");
                    if (failures < limit) {
                        return Uni.createFrom().voidItem();
                    }
                    long lock = Math.min(maxLock.toSeconds(), baseLock.toSeconds() << Math.min(20, failures - limit));
                    return pool.preparedQuery("update auth_throttle set locked_until = now() + make_interval(secs => $2) where key = $1")
                            .execute(Tuple.of(key, (double) lock)).replaceWithVoid();
                });
    }

    /** Expired counters go; run by the scheduled purge. */
    public Uni<Integer> purge() {
        return pool.preparedQuery("""
                        delete from auth_throttle where window_start < now() - make_interval(secs => $1)
                          and (locked_until is null or locked_until < now())""")
                .execute(Tuple.of((double) window.toSeconds())).map(rows -> rows.rowCount());
    }

    private static String accountKey(String email, String ip) {
        return Sessions.sha256("account-ip:" + email.strip().toLowerCase(Locale.ROOT) + "|" + ip);
    }

    private static String ipKey(String ip) {
        return Sessions.sha256("ip:" + ip);
    }
}
