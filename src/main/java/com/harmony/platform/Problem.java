package com.harmony.platform;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** RFC 9457 problem details, the body of every error this API returns. */
@Schema(name = "Problem", requiredProperties = {"type", "title", "status"}, description = "RFC 9457 problem details. Branch on `type`, which is stable.")
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(
        @Schema(description = "Stable URI naming the kind of error", examples = "https://harmony.example/problems/validation-failed") String type,
        @Schema(description = "Short summary of the kind of error", examples = "Validation failed") String title,
        @Schema(description = "HTTP status code", examples = "400") int status,
        @Schema(description = "What went wrong in this occurrence") String detail,
        @Schema(description = "The request path") String instance,
        @Schema(description = "The request id, also in the X-Request-Id header") String requestId,
        @Schema(description = "Offending fields, for validation errors") List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One offending field: a JSON path into the request (or a parameter name) and what is wrong with it. */
    @Schema(name = "FieldError")
    public record FieldError(
            @Schema(examples = "variants[0].price_minor") String field,
            @Schema(examples = "must be greater than or equal to 0") String message) {
    }
}
