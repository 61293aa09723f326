package com.harmony.order;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * An order's lifecycle and the one table of allowed moves. placed → paid → fulfilled → shipped →
 * delivered; cancelled before fulfilment; refunding while a full refund waits for the provider, then
 * refunded. An order becomes refunded directly when partial refunds or returns have given back
 * everything it owes: nothing then ships or moves any more.
 */
public enum OrderStatus {
    placed, paid, fulfilled, shipped, delivered, cancelled, refunding, refunded;

    private static final Map<OrderStatus, Set<OrderStatus>> ALLOWED = Map.of(
            placed, EnumSet.of(paid, cancelled),
            paid, EnumSet.of(fulfilled, cancelled, refunding, refunded),
            fulfilled, EnumSet.of(shipped, refunded),
            shipped, EnumSet.of(delivered, refunded),
            delivered, EnumSet.of(refunding, refunded),
            refunding, EnumSet.of(refunded),
            cancelled, EnumSet.noneOf(OrderStatus.class),
            refunded, EnumSet.noneOf(OrderStatus.class));

    /** Moves only the system makes (the provider settled a refund); staff cannot ask for them. */
    private static final Set<OrderStatus> SYSTEM_TARGETS = EnumSet.of(refunded);

    public boolean canMoveTo(OrderStatus next) {
        return ALLOWED.get(this).contains(next);
    }

    /**
     * What staff may ask for next. Asking for "refunded" starts a full refund, so it is offered
     * wherever "refunding" is reachable.
     */
    public Set<OrderStatus> next() {
        Set<OrderStatus> out = EnumSet.noneOf(OrderStatus.class);
        for (OrderStatus s : ALLOWED.get(this)) {
            if (s == refunding) {
                out.add(refunded);
            } else if (!SYSTEM_TARGETS.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }

    /** A customer may cancel only before the warehouse started on the order. */
    public boolean cancellableByCustomer() {
        return this == placed || this == paid;
    }

    /**
     * Money or goods are still moving: authorised or paid and not yet delivered, cancelled or refunded
     * (a full refund still waiting for the provider counts). Erasing its buyer must wait (P28).
     */
    public boolean inProgress() {
        return this == placed || this == paid || this == fulfilled || this == shipped || this == refunding;
    }

    /** Paid for and not yet given back in full: partial refunds may draw on it. */
    public boolean refundable() {
        return this == paid || this == fulfilled || this == shipped || this == delivered;
    }
}
