package com.harmony.affiliate;

import com.harmony.platform.ProblemType;

/** The affiliate feature's stable error kinds. */
public final class AffiliateProblems {

    private AffiliateProblems() {
    }

    public static final ProblemType UNKNOWN_CODE = new ProblemType("unknown-referral-code", 404, "Unknown referral code");
    public static final ProblemType AFFILIATE_INACTIVE = new ProblemType("affiliate-inactive", 409, "Affiliate not active");
    public static final ProblemType ALREADY_APPLIED = new ProblemType("affiliate-already-applied", 409, "Already applied");
    public static final ProblemType ILLEGAL_DECISION = new ProblemType("illegal-affiliate-decision", 409, "Not allowed in the current status");
    public static final ProblemType REDIRECT_REFUSED = new ProblemType("redirect-not-allowed", 400, "Redirect target not allowed");
    public static final ProblemType UNDER_AGE = new ProblemType("under-age", 422, "Affiliates must be 18 or older");
    public static final ProblemType CODE_TAKEN = new ProblemType("campaign-code-taken", 409, "Campaign code taken");
}
