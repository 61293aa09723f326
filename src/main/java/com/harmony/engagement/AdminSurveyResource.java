package com.harmony.engagement;

import com.harmony.engagement.EngagementRequests.SurveyRequest;
import com.harmony.engagement.EngagementViews.AdminSurveyPage;
import com.harmony.engagement.EngagementViews.AdminSurveyView;
import com.harmony.platform.ApiDocs;
import com.harmony.platform.ETags;
import com.harmony.platform.Problem;
import com.harmony.platform.QueryParams;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** Surveys in the back office (role admin): set up with their questions, and followed (P5). */
@Path("/v1/admin/surveys")
@Tag(name = "Contests and surveys admin")
@RolesAllowed("admin")
@SecurityRequirement(name = ApiDocs.BEARER)
@Produces(MediaType.APPLICATION_JSON)
public class AdminSurveyResource {

    private final SurveyService surveys;
    private final JsonWebToken jwt;

    AdminSurveyResource(SurveyService surveys, JsonWebToken jwt) {
        this.surveys = surveys;
        this.jwt = jwt;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "adminCreateSurvey", summary = "Set up a survey with its questions (admin)",
            description = "Question kinds: single_choice and multiple_choice (two or more distinct options), free_text, rating (1 to 5). "
                    + "Keys are unique in the survey and name the answers. The questions cannot change afterwards.")
    @APIResponse(responseCode = "201", description = "The survey", headers = @Header(name = "Location", description = "The survey"),
            content = @Content(schema = @Schema(implementation = AdminSurveyView.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields: a repeated key, options missing or where they do not belong, "
            + "closes_at not after opens_at or not in the future (type `validation-failed`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> create(@Valid @NotNull SurveyRequest r) {
        return surveys.create(r, UUID.fromString(jwt.getSubject()))
                .map(c -> AdminContestResource.created(c.doc(), "/v1/admin/surveys/" + c.id()));
    }

    @GET
    @Operation(operationId = "adminListSurveys", summary = "Every survey, newest first (admin)")
    @APIResponse(responseCode = "200", description = "A page of surveys", content = @Content(schema = @Schema(implementation = AdminSurveyPage.class)))
    @APIResponse(responseCode = "400", description = "Bad limit or cursor (types `validation-failed`, `invalid-cursor`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> list(
            @Parameter(description = "Page size, 1 to 100", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("limit") String limit,
            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor,
            HttpHeaders headers) {
        return surveys.list(QueryParams.intOr("limit", limit, 20, 1, 100), QueryParams.optionalText("cursor", cursor, 500))
                .map(page -> ETags.ok(headers, page));
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "adminGetSurvey", summary = "One survey with its response count (admin)")
    @APIResponse(responseCode = "200", description = "The survey", content = @Content(schema = @Schema(implementation = AdminSurveyView.class)))
    @APIResponse(responseCode = "404", description = "No such survey (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> get(@Parameter(schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id,
            HttpHeaders headers) {
        return surveys.adminGet(Entrants.parseId(id, "Survey")).map(doc -> ETags.ok(headers, doc));
    }
}
