package com.harmony.order;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Where an order's money stands. authorised → captured | released; captured → refund_pending while a
 * refund waits for the provider, then partially_refunded or refunded. none: nothing was charged (a
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
            released, EnumSet.noneOf(PaymentStatus.class),
            refunded, EnumSet.noneOf(PaymentStatus.class));

    public boolean canMoveTo(PaymentStatus next) {
        return ALLOWED.get(this).contains(next);
    }

    /** The status once the provider has settled refunds: pending ones left, everything back, or a part. */
    static PaymentStatus afterRefunds(long settledMinor, long totalMinor, boolean pendingLeft) {
        if (pendingLeft) {
            return refund_pending;
        }
        return settledMinor >= totalMinor ? refunded : partially_refunded;
    }

    /** Money was captured and not all of it has been promised back yet. */
    boolean holdsCapturedMoney() {
        return this == captured || this == refund_pending || this == partially_refunded;
    }
}
