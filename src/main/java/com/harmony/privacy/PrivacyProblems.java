package com.harmony.privacy;

import com.harmony.platform.ProblemType;

/** The problem types privacy requests answer. */
public final class PrivacyProblems {

    /** A confirmation token that is malformed, unknown, expired or used. */
    public static final ProblemType CONFIRMATION_INVALID = new ProblemType("confirmation-invalid", 400, "Invalid confirmation link");
    /** A request that is closed or already being processed cannot be rejected. */
    public static final ProblemType REQUEST_CLOSED = new ProblemType("privacy-request-closed", 409, "Privacy request closed");

    /** A document link that is malformed, unknown, expired or used. */
    public static final ProblemType DOWNLOAD_INVALID = new ProblemType("download-link-invalid", 400, "Invalid download link");
    /** A correction nobody can apply. */
    public static final ProblemType NOT_CORRECTABLE = new ProblemType("field-not-correctable", 400, "Field cannot be corrected");
    /** A request of another kind or state than the action needs. */
    public static final ProblemType WRONG_REQUEST = new ProblemType("privacy-request-not-applicable", 409, "Not applicable to this request");

    private PrivacyProblems() {
    }
}
