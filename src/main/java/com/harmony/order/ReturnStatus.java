package com.harmony.order;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A return's lifecycle: requested → rejected | exchanged | refund_pending → refunded. Rejections also
 * come from a full refund or cancel of the order, which closes its open requests; an exchange whose
 * replacement order is cancelled becomes a refund (exchanged → refund_pending).
 */
public enum ReturnStatus {
    requested, rejected, refund_pending, refunded, exchanged;

    private static final Map<ReturnStatus, Set<ReturnStatus>> ALLOWED = Map.of(
            requested, EnumSet.of(rejected, refund_pending, exchanged),
            refund_pending, EnumSet.of(refunded),
            rejected, EnumSet.noneOf(ReturnStatus.class),
            refunded, EnumSet.noneOf(ReturnStatus.class),
            exchanged, EnumSet.of(refund_pending));

    /** Not decided yet, or its refund not settled: erasing the buyer must wait (P28). */
    public boolean open() {
        return this == requested || this == refund_pending;
    }

    public boolean canMoveTo(ReturnStatus next) {
        return ALLOWED.get(this).contains(next);
    }
}
