package com.harmony.order;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Where an order's money stands. authorised → captured | released (→ captured, when a capture lands late); captured → refund_pending while a
 * refund waits for the provider, then partially_refunded or refunded (refunded → refund_pending when a replacement's
 * cancel pays back an exchange's value, which stays captured until then). none: nothing was charged (a
 * replacement order).
 */
public enum PaymentStatus {
    none, authorised, captured, released, refund_pending, partially_refunded, refunded;

    private static final Map<PaymentStatus, Set<PaymentStatus>> ALLOWED = Map.of(
            none, EnumSet.noneOf(PaymentStatus.class),
            authorised, EnumSet.of(captured, released),
            captured, EnumSet.of(refund_pending),
            refund_pending, EnumSet.of(refund_pending, partially_refunded, refunded),
            partially_refunded, EnumSet.of(refund_pending, refunded),
            // a capture that lands after its authorisation was released (the buyer cancelled during checkout)
            released, EnumSet.of(captured),
            // an exchange's replacement cancelled after everything else was paid back: the replaced units' value goes back too
            refunded, EnumSet.of(refund_pending));

    public boolean canMoveTo(PaymentStatus next) {
        return ALLOWED.get(this).contains(next);
    }

    /**
     * The status once the provider has settled refunds: pending ones left, nothing left to refund (what
     * exchanges replaced is not money owed), or a part.
     */
    static PaymentStatus afterRefunds(boolean pendingLeft, boolean nothingLeft) {
        if (pendingLeft) {
            return refund_pending;
        }
        return nothingLeft ? refunded : partially_refunded;
    }

    /** Money was captured and not all of it has been promised back yet. */
    boolean holdsCapturedMoney() {
        return this == captured || this == refund_pending || this == partially_refunded;
    }

    /**
     * Money was captured, whatever has gone back since: refunded counts, as it says nothing is owed but what exchanges
     * replaced, and that value is still captured until a replacement's cancel pays it back (the lines' budget bounds it).
     */
    boolean holdsExchangedMoney() {
        return holdsCapturedMoney() || this == refunded;
    }
}
