package com.harmony.engagement;

import com.harmony.engagement.EngagementViews.MyResponsePage;
import com.harmony.engagement.EngagementViews.MyResponseView;
import com.harmony.platform.ApiDocs;
import com.harmony.platform.ETags;
import com.harmony.platform.Problem;
import com.harmony.platform.QueryParams;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
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
import org.jboss.resteasy.reactive.RestResponse;

/** My survey responses (P5): the ones given while signed in, with the details and answers given. */
@Path("/v1/me/survey-responses")
@Tag(name = "Contests and surveys")
@Authenticated
@SecurityRequirement(name = ApiDocs.BEARER)
@Produces(MediaType.APPLICATION_JSON)
public class MySurveyResponseResource {

    private final SurveyService surveys;
    private final JsonWebToken jwt;

    MySurveyResponseResource(SurveyService surveys, JsonWebToken jwt) {
        this.surveys = surveys;
        this.jwt = jwt;
    }

    @GET
    @Operation(operationId = "listMySurveyResponses", summary = "My survey responses, newest first")
    @APIResponse(responseCode = "200", description = "A page of responses", content = @Content(schema = @Schema(implementation = MyResponsePage.class)))
    @APIResponse(responseCode = "400", description = "Bad limit or cursor (types `validation-failed`, `invalid-cursor`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> list(
            @Parameter(description = "Page size, 1 to 100", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("limit") String limit,
            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor,
            HttpHeaders headers) {
        return surveys.myResponses(UUID.fromString(jwt.getSubject()), QueryParams.intOr("limit", limit, 20, 1, 100),
                QueryParams.optionalText("cursor", cursor, 500)).map(page -> ETags.ok(headers, page));
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getMySurveyResponse", summary = "One of my survey responses")
    @APIResponse(responseCode = "200", description = "The response", content = @Content(schema = @Schema(implementation = MyResponseView.class)))
    @APIResponse(responseCode = "404", description = "No such response of mine (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> get(@Parameter(schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id,
            HttpHeaders headers) {
        return surveys.myResponse(UUID.fromString(jwt.getSubject()), Entrants.parseId(id, "Response")).map(doc -> ETags.ok(headers, doc));
    }
}
