package com.harmony.order;

import com.harmony.platform.ProblemType;

/** The order feature's stable error kinds. */
public final class OrderProblems {

    private OrderProblems() {
    }

    public static final ProblemType ILLEGAL_TRANSITION = new ProblemType("illegal-transition", 409, "Illegal order status transition");
    public static final ProblemType INSUFFICIENT_STOCK = new ProblemType("insufficient-stock", 409, "Not enough stock");
    public static final ProblemType PRICE_CHANGED = new ProblemType("price-changed", 409, "Prices changed during checkout");
    public static final ProblemType NOT_RETURNABLE = new ProblemType("not-returnable", 409, "Order or lines cannot be returned");
    public static final ProblemType RETURN_DECIDED = new ProblemType("return-already-decided", 409, "Return already decided");
    public static final ProblemType RETURN_RECEIVED = new ProblemType("return-already-received", 409, "Return already received");
    public static final ProblemType NOT_REFUNDABLE = new ProblemType("not-refundable", 409, "Order cannot be refunded now");
    public static final ProblemType REFUND_EXCEEDS_BALANCE = new ProblemType("refund-exceeds-balance", 409,
            "More than is left to refund or exchange");
    public static final ProblemType REFUND_NOT_PENDING = new ProblemType("refund-not-pending", 409, "Refund is not pending");
}
