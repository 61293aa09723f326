package com.harmony.platform;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An amount in integer minor units (cents) of an ISO 4217 currency; never a floating point number. */
@Schema(name = "Money")
public record Money(
        @Schema(description = "Amount in minor units (1999 = 19.99)", examples = "1999") long amountMinor,
        @Schema(description = "ISO 4217 currency code", examples = "USD") String currency) {
}
