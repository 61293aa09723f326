package com.harmony.privacy;

import com.harmony.platform.ProblemType;

/** The problem types privacy requests answer. */
public final class PrivacyProblems {

    /** A confirmation token that is malformed, unknown, expired or used. */
    public static final ProblemType CONFIRMATION_INVALID = new ProblemType("confirmation-invalid", 400, "Invalid confirmation link");
    /** A request that is closed or already being processed cannot be rejected. */
    public static final ProblemType REQUEST_CLOSED = new ProblemType("privacy-request-closed", 409, "Privacy request closed");

    private PrivacyProblems() {
    }
}
