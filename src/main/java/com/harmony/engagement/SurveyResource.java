package com.harmony.engagement;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.harmony.consent.ConsentService;
import com.harmony.engagement.EngagementRequests.SurveyResponseRequest;
import com.harmony.engagement.EngagementViews.ResponseReceipt;
import com.harmony.engagement.EngagementViews.SurveyPage;
import com.harmony.engagement.EngagementViews.SurveyView;
import com.harmony.platform.ETags;
import com.harmony.platform.Problem;
import com.harmony.platform.QueryParams;
import com.harmony.platform.VisitorToken;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** Surveys for the public (P5, P16): open ones are read without identity; signed-in customers and visitors respond. */
@Path("/v1/surveys")
@Tag(name = "Contests and surveys")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class SurveyResource {

    private final SurveyService surveys;
    private final ConsentService consents;
    private final ObjectMapper json;

    SurveyResource(SurveyService surveys, ConsentService consents, ObjectMapper json) {
        this.surveys = surveys;
        this.consents = consents;
        this.json = json;
    }

    @GET
    @Operation(operationId = "listSurveys", summary = "The surveys open for responses now, newest first")
    @APIResponse(responseCode = "200", description = "A page of surveys", content = @Content(schema = @Schema(implementation = SurveyPage.class)))
    @APIResponse(responseCode = "400", description = "Bad limit or cursor (types `validation-failed`, `invalid-cursor`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> list(
            @Parameter(description = "Page size, 1 to 100", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("limit") String limit,
            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor,
            HttpHeaders headers) {
        return surveys.listOpen(QueryParams.intOr("limit", limit, 20, 1, 100), QueryParams.optionalText("cursor", cursor, 500))
                .map(page -> ETags.ok(headers, page));
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getSurvey", summary = "One survey with its questions",
            description = "Closed surveys stay readable; a survey that has not opened yet is not published.")
    @APIResponse(responseCode = "200", description = "The survey", content = @Content(schema = @Schema(implementation = SurveyView.class)))
    @APIResponse(responseCode = "404", description = "No such survey, or not open yet (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> get(@Parameter(schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id,
            HttpHeaders headers) {
        return surveys.get(Entrants.parseId(id, "Survey")).map(doc -> ETags.ok(headers, doc));
    }

    @POST
    @Path("/{id}/responses")
    @Consumes(MediaType.APPLICATION_JSON)
    @Parameter(name = VisitorToken.HEADER, in = ParameterIn.HEADER, description = "The visitor token (apps); browsers send the harmony_visitor cookie")
    @com.harmony.platform.OptionalBearer
    @Operation(operationId = "respondToSurvey", summary = "Respond to a survey (adults only)",
            description = "Open to a signed-in customer or a visitor (start one with POST /v1/visitors); one response per person (same "
                    + "account, visitor or email address). Adults only (P31): give birth_date (checked, not stored) or adult_confirmed=true; "
                    + "an under-18 response is refused with 422 under-age and nothing is stored. Answers go by question key, each in the "
                    + "field of its kind; every misfit is reported as a field error answers[key] (an unknown question, the wrong kind of "
                    + "answer, an option not offered, a rating outside 1 to 5, a required question left out). The marketing answer is "
                    + "recorded as consents with source survey (P16, P17).")
    @APIResponse(responseCode = "201", description = "Recorded", headers = @Header(name = "Location", description = "The response in My Account "
            + "(signed-in customers)"), content = @Content(schema = @Schema(implementation = ResponseReceipt.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields or answers, or neither birth_date nor adult_confirmed (type `validation-failed`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such survey, or not open yet (type `not-found`); neither signed in nor a visitor "
            + "(type `visitor-required`)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The survey closed (type `survey-closed`), or this person responded already "
            + "(type `already-responded`)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Under 18 (type `under-age`); nothing was stored",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> respond(@Parameter(schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id,
            @Valid @NotNull SurveyResponseRequest r, @Context HttpServerRequest http) {
        var survey = Entrants.parseId(id, "Survey");
        return surveys.respond(survey, r, consents.requester(http)).map(receipt -> {
            try {
                RestResponse.ResponseBuilder<String> b = RestResponse.ResponseBuilder.<String>create(RestResponse.Status.CREATED)
                        .entity(json.writeValueAsString(receipt)).type(MediaType.APPLICATION_JSON_TYPE);
                return ("account".equals(receipt.respondedAs()) ? b.location(URI.create("/v1/me/survey-responses/" + receipt.id())) : b).build();
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
