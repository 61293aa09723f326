package com.harmony.platform;

import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/** Builds problem responses, for the REST mapper and for failures that happen before REST (Vert.x). */
public final class Problems {

    private Problems() {
    }

    public static Response response(RoutingContext rc, ProblemType type, String detail) {
        return response(rc, type, detail, List.of(), Map.of());
    }

    public static Response response(RoutingContext rc, ProblemType type, String detail,
            List<Problem.FieldError> errors, Map<String, String> headers) {
        Response.ResponseBuilder b = Response.status(type.status())
                .type(Problem.MEDIA_TYPE)
                .entity(body(rc, type, detail, errors));
        headers.forEach(b::header);
        return b.build();
    }

    public static Problem body(RoutingContext rc, ProblemType type, String detail, List<Problem.FieldError> errors) {
        String path = rc == null ? null : rc.request().path();
        return new Problem(type.uri(), type.title(), type.status(), detail, path, requestId(rc), errors);
    }

    /** Writes a problem straight to the Vert.x response, for routes RESTEasy never saw. */
    public static void write(RoutingContext rc, ProblemType type, String detail) {
        if (rc.response().ended()) {
            return;
        }
        rc.response().setStatusCode(type.status())
                .putHeader("Content-Type", Problem.MEDIA_TYPE)
                .end(Json.encode(body(rc, type, detail, List.of())));
    }

    public static String requestId(RoutingContext rc) {
        return rc == null ? null : rc.get(RequestIds.KEY);
    }

    static String defaultDetail(ProblemType type) {
        return switch (type.status()) {
            case 404 -> "No resource exists at this path.";
            case 405 -> "This method is not supported on this resource.";
            case 406 -> "This operation answers none of the media types the Accept header allows: application/json for most, as its responses in the spec say (the partner audience export streams application/x-ndjson).";
            case 413 -> "The body is larger than this API accepts.";
            case 415 -> "This operation does not take a body of this media type: send the Content-Type the spec gives for it "
                    + "(application/json, or a form for the token endpoint).";
            default -> "The request was rejected.";
        };
    }

    static String snake(String camel) {
        StringBuilder out = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) out.append('_');
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
