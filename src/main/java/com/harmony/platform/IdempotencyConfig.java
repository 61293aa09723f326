package com.harmony.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Idempotency-Key handling. */
@ConfigMapping(prefix = "harmony.idempotency")
interface IdempotencyConfig {

    /** How long a key and its stored answer are kept. */
    @WithDefault("PT24H")
    Duration retention();

    /** How long a running attempt's claim lasts unless renewed (a crashed instance's claim ends after it). */
    @WithDefault("PT30S")
    Duration lease();
}
