package com.harmony.account;

import com.harmony.platform.ProblemType;

/** The stable error kinds of accounts and sign-in. */
public final class AccountProblems {

    private AccountProblems() {
    }

    public static final ProblemType EMAIL_TAKEN = new ProblemType("email-taken", 409, "Email address already registered");
    public static final ProblemType UNDER_AGE = new ProblemType("under-age", 422, "Registration requires being 18 or older");
    public static final ProblemType WEAK_PASSWORD = new ProblemType("weak-password", 400, "Password not accepted");
    public static final ProblemType INVALID_CREDENTIALS = new ProblemType("invalid-credentials", 401, "Email or password is wrong");
    public static final ProblemType INVALID_TOKEN = new ProblemType("invalid-token", 400, "Token invalid, expired or already used");
    public static final ProblemType REFRESH_REJECTED = new ProblemType("refresh-rejected", 401, "Refresh token invalid, expired or reused");
    public static final ProblemType SIGN_IN_THROTTLED = new ProblemType("sign-in-throttled", 429, "Too many failed sign-ins");
    public static final ProblemType BUSY = new ProblemType("busy", 503, "Too busy, retry shortly");
    public static final ProblemType ADDRESS_BOOK_FULL = new ProblemType("address-book-full", 409, "Address book full");
}
