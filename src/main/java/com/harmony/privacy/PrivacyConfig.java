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

    /** How long an export or access document (and its single-use link) lasts before the retention run deletes it. */
    @WithDefault("P3D")
    Duration documentTtl();

    /** The page a document link opens (?token=… is appended); it posts the token to the API and saves the file. */
    String downloadPage();

    /** Closed requests are kept this long as proof of how they were answered, then deleted. */
    @WithDefault("P1095D")
    Duration keepClosedRequests();

    /** Where recipients without an erasure API (carrier, mail provider, marketing partner) are told of an erasure. */
    java.util.Map<String, String> recipientContacts();

    /** How often each instance looks for confirmed requests to carry out (the scheduler reads it; claims never overlap). */
    @WithDefault("10s")
    String pollInterval();

    /** How often each instance applies every retention rule (safe on several instances at once). */
    @WithDefault("1h")
    String retentionInterval();
}
