package com.harmony.payment;

import com.harmony.platform.ProblemException;
import com.harmony.platform.ProblemType;
import java.util.List;
import java.util.Map;

/** Payment outcomes clients branch on. */
public final class PaymentProblems {

    private PaymentProblems() {
    }

    public static final ProblemType DECLINED = new ProblemType("payment-declined", 402, "Payment declined");
    public static final ProblemType PROVIDER_ERROR = new ProblemType("payment-provider-error", 502, "Payment provider unavailable");

    /** Seconds a client waits before trying again when the provider is down, as when the database is. */
    static final String RETRY_AFTER_SECONDS = "5";

    /**
     * The provider did not answer, so nothing moved: 502 as released in v1.0.0 (clients branch on it), with
     * Retry-After as every answer about a dependency that is down carries.
     */
    public static ProblemException providerDown(String detail) {
        return new ProblemException(PROVIDER_ERROR, detail, List.of(), Map.of("Retry-After", RETRY_AFTER_SECONDS));
    }
}
