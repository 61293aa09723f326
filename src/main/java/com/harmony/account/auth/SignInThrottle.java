package com.harmony.account.auth;

import com.harmony.account.AccountProblems;
import com.harmony.platform.ClientAddress;
import com.harmony.platform.Throttle;
import com.harmony.platform.Throttle.Limit;
import com.harmony.platform.Throttle.Permit;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.UUID;

/**
 * The account feature's limits over the platform {@link Throttle}: sign-in failures per (email, client
 * address) and per client address, current-password checks per account, reset mails per email and
 * registrations per client address. There is no lock per email alone, so nobody elsewhere can lock an
 * owner out of signing in; every lock ends by itself.
 */
@ApplicationScoped
public class SignInThrottle {

    private final Throttle throttle;
    private final ThrottleConfig config;

    SignInThrottle(Throttle throttle, AuthConfig config) {
        this.throttle = throttle;
        this.config = config.throttle();
    }

    /** Reserves a sign-in attempt before the password is checked; a success releases it and clears the pair's failures, a wrong password counts. */
    public Uni<Permit> signIn(String email, String ip) {
        return throttle.guard(AccountProblems.SIGN_IN_THROTTLED, "Too many failed sign-ins.", accountIp(email, ip), perIp(ip));
    }

    public Uni<Void> signedIn(Permit permit, String email, String ip) {
        return permit.release().chain(() -> permit.reset(accountIp(email, ip)));
    }

    /** Reserves a current-password check (password or email change); released when the password was right. */
    public Uni<Permit> passwordCheck(UUID accountId, String ip) {
        return throttle.guard(AccountProblems.SIGN_IN_THROTTLED, "Too many wrong passwords.",
                lock(Throttle.PASSWORD_CHECK_ACCOUNT + accountId, config.passwordCheckFailures()), perIp(ip));
    }

    /** Counts a password-reset request per email and client address; past either limit no mail goes out. */
    public Uni<Void> resetRequest(String email, String ip) {
        return throttle.acquire(
                Limit.of(Throttle.RESET_MAIL_EMAIL + normal(email), config.resetRequestsPerEmail(), config.requestWindow()),
                Limit.of("reset-mail:ip:" + ClientAddress.bucket(ip), config.resetRequestsPerIp(), config.requestWindow())).replaceWithVoid();
    }

    /** Counts a registration per client address; a registration that stored nothing gives its place back with the permit. */
    public Uni<Permit> registration(String ip) {
        return throttle.acquire(Limit.of("register:ip:" + ClientAddress.bucket(ip), config.registrationsPerIp(), config.requestWindow()));
    }

    private Limit accountIp(String email, String ip) {
        return lock("sign-in:account-ip:" + normal(email) + "|" + ClientAddress.bucket(ip), config.accountIpFailures());
    }

    private Limit perIp(String ip) {
        return lock("secret-check:ip:" + ClientAddress.bucket(ip), config.ipFailures());
    }

    private Limit lock(String key, int max) {
        return new Limit(key, max, config.window(), config.baseLock(), config.maxLock());
    }

    private static String normal(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }
}
