package com.harmony.payment;

import com.harmony.platform.ProblemType;

/** Payment outcomes clients branch on. */
public final class PaymentProblems {

    private PaymentProblems() {
    }

    public static final ProblemType DECLINED = new ProblemType("payment-declined", 402, "Payment declined");
    public static final ProblemType PROVIDER_ERROR = new ProblemType("payment-provider-error", 502, "Payment provider unavailable");
}
