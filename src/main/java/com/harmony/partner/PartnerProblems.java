package com.harmony.partner;

import com.harmony.platform.ProblemType;

/** The problem types of partner credentials and webhooks; clients may branch on their stable type. */
public final class PartnerProblems {

    /** A scope that is not in the fixed list, or an event type partners cannot subscribe to. */
    public static final ProblemType UNKNOWN_SCOPE = new ProblemType("partner-unknown-scope", 400, "Unknown scope");
    /** A client that is revoked already cannot be revoked or rotated again. */
    public static final ProblemType CLIENT_REVOKED = new ProblemType("partner-client-revoked", 409, "Partner client revoked");
    /** Failed client authentications past the limit: wait for Retry-After. */
    public static final ProblemType AUTH_THROTTLED = new ProblemType("partner-authentication-throttled", 429, "Too many failed client authentications");
    /** A webhook target the service refuses to call: not https, or a private, loopback or link-local address. */
    public static final ProblemType TARGET_REFUSED = new ProblemType("webhook-target-refused", 400, "Webhook target refused");
    /** An event type the client's scopes do not cover (order events need orders:read, and so on). */
    public static final ProblemType EVENT_NOT_GRANTED = new ProblemType("webhook-event-not-granted", 403, "Event type not granted");
    /** The client has as many subscriptions as it may have. */
    public static final ProblemType TOO_MANY_SUBSCRIPTIONS = new ProblemType("webhook-subscription-limit", 409, "Too many webhook subscriptions");

    private PartnerProblems() {
    }
}
