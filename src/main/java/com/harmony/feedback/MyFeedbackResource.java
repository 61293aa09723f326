package com.harmony.feedback;

import com.harmony.platform.ApiDocs;
import com.harmony.platform.Problem;
import com.harmony.platform.QueryParams;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
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

/** The feedback I sent while signed in (P6), and whether it was resolved. */
@Path("/v1/me/feedback")
@Tag(name = "Feedback")
@Authenticated
@SecurityRequirement(name = ApiDocs.BEARER)
@Produces(MediaType.APPLICATION_JSON)
public class MyFeedbackResource {

    private final FeedbackService feedback;
    private final JsonWebToken jwt;

    MyFeedbackResource(FeedbackService feedback, JsonWebToken jwt) {
        this.feedback = feedback;
        this.jwt = jwt;
    }

    @Schema(name = "MyFeedbackPage")
    public record MyFeedbackPage(List<FeedbackResource.MyFeedbackView> data, boolean hasMore, @Schema(nullable = true) String nextCursor) {
    }

    @GET
    @Operation(operationId = "getMyFeedback", summary = "The feedback I sent, newest first")
    @APIResponse(responseCode = "200", description = "A page of my feedback", content = @Content(schema = @Schema(implementation = MyFeedbackPage.class)))
    @APIResponse(responseCode = "400", description = "Bad limit or cursor (types `validation-failed`, `invalid-cursor`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> mine(
            @Parameter(description = "Page size, 1 to 100", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("limit") String limit,
            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor) {
        return feedback.mine(UUID.fromString(jwt.getSubject()), QueryParams.intOr("limit", limit, 20, 1, 100),
                QueryParams.optionalText("cursor", cursor, 500));
    }
}
