package com.harmony.account.auth;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Limits on guessing secrets and on costly or mail-sending requests, counted per client address and per subject. */
public interface ThrottleConfig {

    /** Failed sign-ins per email and client address in a window before that pair is locked. */
    @WithDefault("5")
    int accountIpFailures();

    /** Failed sign-ins (or password checks) per client address in a window, over all accounts. */
    @WithDefault("50")
    int ipFailures();

    /** The window failures are counted in, from the first one. */
    @WithDefault("PT15M")
    Duration window();

    /** The first lock past a limit; each further attempt doubles it. */
    @WithDefault("PT30S")
    Duration baseLock();

    /** The longest lock. */
    @WithDefault("PT15M")
    Duration maxLock();

    /** Wrong current passwords (password or email change) per account in a window. */
    @WithDefault("5")
    int passwordCheckFailures();

    /** Password-reset mails per email address in a request window (no mail bombing). */
    @WithDefault("3")
    int resetRequestsPerEmail();

    /** Password-reset requests per client address in a request window. */
    @WithDefault("20")
    int resetRequestsPerIp();

    /** Registrations per client address in a request window. */
    @WithDefault("10")
    int registrationsPerIp();

    /** The window reset requests and registrations are counted in. */
    @WithDefault("PT1H")
    Duration requestWindow();
}
