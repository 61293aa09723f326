package com.harmony.legal;

import com.harmony.platform.ProblemType;

/** The problem types the legal feature answers. */
public final class LegalProblems {

    /** The copyright notice was handled before; its outcome stays as it was. */
    public static final ProblemType NOTICE_ALREADY_HANDLED = new ProblemType("notice-already-handled", 409, "Notice already handled");

    private LegalProblems() {
    }
}
