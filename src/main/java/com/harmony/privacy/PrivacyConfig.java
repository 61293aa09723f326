package com.harmony.privacy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Privacy requests (P13, P29): how long a confirmation link lives, when an answer is due, how many requests a client may file. */
@ConfigMapping(prefix = "harmony.privacy")
interface PrivacyConfig {

    /** How long a confirmation link works; unconfirmed requests expire then. */
    @WithDefault("PT24H")
    Duration confirmationTtl();

    /** The deadline for answering a confirmed request. */
    @WithDefault("P30D")
    Duration dueIn();

    /** The page a confirmation link opens (?token=… is appended); it posts the token to the API. */
    String confirmPage();

    /** Requests one client address may file per hour. */
    @WithDefault("10")
    int requestsPerClient();

    /** Requests one email address may receive confirmation links for per hour. */
    @WithDefault("3")
    int requestsPerEmail();
}
