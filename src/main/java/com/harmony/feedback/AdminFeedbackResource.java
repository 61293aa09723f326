package com.harmony.feedback;

import com.harmony.feedback.FeedbackService.Status;
import com.harmony.platform.ApiDocs;
import com.harmony.platform.Problem;
import com.harmony.platform.ProblemException;
import com.harmony.platform.QueryParams;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Everyone's comments and suggestions (P6) for staff: read them, resolve each once. */
@Path("/v1/admin/feedback")
@Tag(name = "Feedback")
@RolesAllowed("admin")
@SecurityRequirement(name = ApiDocs.BEARER)
@Produces(MediaType.APPLICATION_JSON)
public class AdminFeedbackResource {

    private final FeedbackService feedback;
    private final JsonWebToken jwt;

    AdminFeedbackResource(FeedbackService feedback, JsonWebToken jwt) {
        this.feedback = feedback;
        this.jwt = jwt;
    }

    @Schema(name = "FeedbackResolutionRequest")
    public record ResolutionRequest(
            @NotBlank @Size(max = 2000) @Schema(description = "What was done about it", examples = "Answered by email; size guide ticket WEB-231") String note) {
    }

    @Schema(name = "Feedback", description = "Feedback as staff see it")
    public record FeedbackView(String id, String topic, String message, @Schema(nullable = true) String contactEmail,
            @Schema(nullable = true, description = "The signed-in sender") String accountId,
            @Schema(nullable = true, description = "The visitor that sent it without signing in") String visitorId,
            @Schema(enumeration = {"open", "resolved"}) String status, @Schema(nullable = true) String resolutionNote,
            @Schema(nullable = true) String resolvedBy, @Schema(nullable = true) String resolvedAt, String createdAt) {
    }

    @Schema(name = "FeedbackPage")
    public record FeedbackPage(List<FeedbackView> data, boolean hasMore, @Schema(nullable = true) String nextCursor) {
    }

    @GET
    @Operation(operationId = "adminListFeedback", summary = "Everyone's feedback, newest first (admin)")
    @APIResponse(responseCode = "200", description = "A page of feedback", content = @Content(schema = @Schema(implementation = FeedbackPage.class)))
    @APIResponse(responseCode = "400", description = "Bad status, limit or cursor (types `validation-failed`, `invalid-cursor`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> list(
            @Parameter(description = "Only open or only resolved feedback", schema = @Schema(type = SchemaType.STRING, enumeration = {"open", "resolved"}))
            @QueryParam("status") String status,
            @Parameter(description = "Page size, 1 to 100", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("limit") String limit,
            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor) {
        return feedback.list(status(status), QueryParams.intOr("limit", limit, 20, 1, 100), QueryParams.optionalText("cursor", cursor, 500));
    }

    @POST
    @Path("/{id}/resolution")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "adminResolveFeedback", summary = "Resolve feedback, once (admin)")
    @APIResponse(responseCode = "200", description = "The resolved feedback", content = @Content(schema = @Schema(implementation = FeedbackView.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields (type `validation-failed`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such feedback (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Resolved before (type `feedback-already-resolved`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> resolve(@PathParam("id") UUID id, @Valid @NotNull ResolutionRequest r) {
        return feedback.resolve(id, r.note(), UUID.fromString(jwt.getSubject()));
    }

    private static Status status(String value) {
        String s = QueryParams.optionalText("status", value, 20);
        if (s == null) {
            return null;
        }
        return switch (s) {
            case "open" -> Status.OPEN;
            case "resolved" -> Status.RESOLVED;
            default -> throw ProblemException.invalid("status", "must be open or resolved");
        };
    }
}
