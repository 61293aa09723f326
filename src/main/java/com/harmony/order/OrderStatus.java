package com.harmony.order;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * An order's lifecycle and the one table of allowed moves. placed → paid → fulfilled → shipped →
 * delivered; cancelled before fulfilment; refunded once everything paid was given back.
 */
public enum OrderStatus {
    placed, paid, fulfilled, shipped, delivered, cancelled, refunded;

    private static final Map<OrderStatus, Set<OrderStatus>> ALLOWED = Map.of(
            placed, EnumSet.of(paid, cancelled),
            paid, EnumSet.of(fulfilled, cancelled, refunded),
            fulfilled, EnumSet.of(shipped),
            shipped, EnumSet.of(delivered),
            delivered, EnumSet.of(refunded),
            cancelled, EnumSet.noneOf(OrderStatus.class),
            refunded, EnumSet.noneOf(OrderStatus.class));

    public boolean canMoveTo(OrderStatus next) {
        return ALLOWED.get(this).contains(next);
    }

    public Set<OrderStatus> next() {
        return ALLOWED.get(this);
    }

    /** A customer may cancel only before the warehouse started on the order. */
    public boolean cancellableByCustomer() {
        return this == placed || this == paid;
    }
}
