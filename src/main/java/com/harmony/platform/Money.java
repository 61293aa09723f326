package com.harmony.platform;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An amount in integer minor units (cents) of an ISO 4217 currency; never a floating point number.
 * Arithmetic refuses what money cannot be: a negative amount, or a sum of two currencies.
 */
@Schema(name = "Money")
public record Money(
        @Schema(description = "Amount in minor units (1999 = 19.99)", examples = "1999") long amountMinor,
        @Schema(description = "ISO 4217 currency code", examples = "USD") String currency) {

    public Money {
        if (amountMinor < 0) {
            throw new IllegalArgumentException("money is never negative: " + amountMinor);
        }
    }

    public static Money zero(String currency) {
        return new Money(0, currency);
    }

    public Money plus(Money other) {
        return new Money(Math.addExact(amountMinor, same(other).amountMinor), currency);
    }

    /** This minus other; refuses to go below zero. */
    public Money minus(Money other) {
        return new Money(Math.subtractExact(amountMinor, same(other).amountMinor), currency);
    }



    private Money same(Money other) {
        if (!currency.equals(other.currency)) {
            throw new IllegalArgumentException("cannot mix " + currency + " and " + other.currency);
        }
        return other;
    }
}
