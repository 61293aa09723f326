package com.harmony.account.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Sign-in, sessions, password hashing and the limits on guessing. */
@ConfigMapping(prefix = "harmony.auth")
public interface AuthConfig {

    /** Lifetime of an access token. */
    @WithDefault("PT15M")
    Duration accessTokenTtl();

    /** Lifetime of a session without "remember me". */
    @WithDefault("PT12H")
    Duration sessionLifetime();

    /** Lifetime of a remembered session. */
    @WithDefault("P30D")
    Duration rememberedSessionLifetime();

    /** How long a used refresh token still answers its successor (two tabs, a retried request). */
    @WithDefault("PT10S")
    Duration refreshGrace();

    /** Argon2id parameters. */
    Argon2 argon2();

    /** Threads hashing passwords (each hash holds the Argon2 memory). */
    @WithDefault("2")
    int hashThreads();

    /** Hashes waiting or running at most; more answer 503 busy. */
    @WithDefault("64")
    int hashQueue();

    /** Of those, how many only sign-in may use. */
    @WithDefault("16")
    int hashSignInReserve();

    /** Limits on guessing and on costly or mail-sending requests. */
    ThrottleConfig throttle();

    /** Frontend pages the emailed links open. */
    Links links();

    /** The first admin, created at start when absent. */
    Bootstrap bootstrap();

    interface Argon2 {

        /** Memory per hash, KiB. */
        @WithDefault("19456")
        int memoryKib();

        /** Passes over the memory. */
        @WithDefault("2")
        int iterations();

        /** Lanes per hash. */
        @WithDefault("1")
        int parallelism();
    }

    interface Links {

        /** The page a password-reset link opens (?token=… is appended). */
        @WithDefault("http://localhost:8080/reset-password")
        String passwordReset();

        /** The page an email-change confirmation link opens. */
        @WithDefault("http://localhost:8080/confirm-email")
        String emailChange();
    }

    interface Bootstrap {

        /** The first admin's email. */
        Optional<String> adminEmail();

        /** The first admin's password. */
        Optional<String> adminPassword();
    }
}
