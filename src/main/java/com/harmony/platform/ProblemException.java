package com.harmony.platform;

import java.util.List;
import java.util.Map;

/** An expected failure that the problem mapper turns into an RFC 9457 response. */
public class ProblemException extends RuntimeException {

    private final ProblemType type;
    private final List<Problem.FieldError> errors;
    private final Map<String, String> headers;

    public ProblemException(ProblemType type, String detail) {
        this(type, detail, List.of(), Map.of());
    }

    public ProblemException(ProblemType type, String detail, List<Problem.FieldError> errors, Map<String, String> headers) {
        super(detail, null, false, false);
        this.type = type;
        this.errors = errors;
        this.headers = headers;
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(ProblemType.NOT_FOUND, what + " was not found.");
    }

    /** A signed-in caller whose account an erasure deleted while the token lived: nobody to act for (401, as a sign-out). */
    public static ProblemException accountErased() {
        return new ProblemException(ProblemType.UNAUTHORIZED, "This account has been erased.");
    }

    public static ProblemException invalid(String field, String message) {
        return new ProblemException(ProblemType.VALIDATION_FAILED, "The request has invalid fields.",
                List.of(new Problem.FieldError(field, message)), Map.of());
    }

    public ProblemType type() {
        return type;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
