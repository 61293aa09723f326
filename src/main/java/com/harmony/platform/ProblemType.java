package com.harmony.platform;

/**
 * A stable kind of error: its {@code type} URI never changes once published, so clients may
 * branch on it. Features declare their own constants next to their services.
 */
public record ProblemType(String slug, int status, String title) {

    public static final String BASE_URI = "https://harmony.example/problems/";

    public static final ProblemType MALFORMED_REQUEST = new ProblemType("malformed-request", 400, "Malformed request");
    public static final ProblemType VALIDATION_FAILED = new ProblemType("validation-failed", 400, "Validation failed");
    public static final ProblemType INVALID_CURSOR = new ProblemType("invalid-cursor", 400, "Invalid pagination cursor");
    public static final ProblemType UNAUTHORIZED = new ProblemType("unauthorized", 401, "Authentication required");
    public static final ProblemType FORBIDDEN = new ProblemType("forbidden", 403, "Forbidden");
    public static final ProblemType NOT_FOUND = new ProblemType("not-found", 404, "Not found");
    public static final ProblemType METHOD_NOT_ALLOWED = new ProblemType("method-not-allowed", 405, "Method not allowed");
    public static final ProblemType NOT_ACCEPTABLE = new ProblemType("not-acceptable", 406, "Not acceptable");
    public static final ProblemType CONFLICT = new ProblemType("conflict", 409, "Conflict");
    public static final ProblemType PRECONDITION_FAILED = new ProblemType("precondition-failed", 412, "Precondition failed");
    public static final ProblemType PAYLOAD_TOO_LARGE = new ProblemType("payload-too-large", 413, "Payload too large");
    public static final ProblemType UNSUPPORTED_MEDIA_TYPE = new ProblemType("unsupported-media-type", 415, "Unsupported media type");
    public static final ProblemType RATE_LIMITED = new ProblemType("rate-limited", 429, "Too many requests");
    public static final ProblemType INTERNAL = new ProblemType("internal-error", 500, "Internal error");
    public static final ProblemType UNAVAILABLE = new ProblemType("service-unavailable", 503, "Service unavailable");

    public String uri() {
        return BASE_URI + slug;
    }

    public ProblemException with(String detail) {
        return new ProblemException(this, detail);
    }
}
