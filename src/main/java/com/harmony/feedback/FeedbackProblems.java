package com.harmony.feedback;

import com.harmony.platform.ProblemType;

/** The problem types the feedback feature answers. */
public final class FeedbackProblems {

    /** The feedback was resolved before; its resolution stays as it was. */
    public static final ProblemType ALREADY_RESOLVED = new ProblemType("feedback-already-resolved", 409, "Feedback already resolved");

    private FeedbackProblems() {
    }
}
