package com.harmony.consent;

import com.harmony.platform.ProblemType;

/** The problem types the consent feature answers. */
public final class ConsentProblems {

    /** A request carrying Global Privacy Control asked to opt in to what the signal opts out of (P23). */
    public static final ProblemType GPC_OPT_OUT = new ProblemType("gpc-opt-out", 409, "Global Privacy Control opts out");
    /** An unsubscribe token that is malformed or whose signature does not match (P16). */
    public static final ProblemType UNSUBSCRIBE_LINK_INVALID = new ProblemType("unsubscribe-link-invalid", 400, "Invalid unsubscribe link");
    /** Neither an account nor a visitor to keep cookie preferences for (C1). */
    public static final ProblemType NO_VISITOR = new ProblemType("visitor-required", 404, "No visitor or account");

    private ConsentProblems() {
    }
}
