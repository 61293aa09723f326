package com.harmony.engagement;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.harmony.consent.ConsentService;
import com.harmony.engagement.EngagementRequests.ContestEntryRequest;
import com.harmony.engagement.EngagementViews.ContestPage;
import com.harmony.engagement.EngagementViews.ContestView;
import com.harmony.engagement.EngagementViews.EntryForm;
import com.harmony.engagement.EngagementViews.EntryReceipt;
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

/**
 * Contests for the public (P5): open ones are listed and read without identity; signed-in customers and
 * visitors enter them. Entries are never shown here.
 */
@Path("/v1/contests")
@Tag(name = "Contests and surveys")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class ContestResource {

    private final ContestService contests;
    private final ConsentService consents;
    private final ObjectMapper json;

    ContestResource(ContestService contests, ConsentService consents, ObjectMapper json) {
        this.contests = contests;
        this.consents = consents;
        this.json = json;
    }

    @GET
    @Operation(operationId = "listContests", summary = "The contests open for entries now, newest first")
    @APIResponse(responseCode = "200", description = "A page of contests", content = @Content(schema = @Schema(implementation = ContestPage.class)))
    @APIResponse(responseCode = "400", description = "Bad limit or cursor (types `validation-failed`, `invalid-cursor`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> list(
            @Parameter(description = "Page size, 1 to 100", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("limit") String limit,
            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor,
            HttpHeaders headers) {
        return contests.listOpen(QueryParams.intOr("limit", limit, 20, 1, 100), QueryParams.optionalText("cursor", cursor, 500))
                .map(page -> ETags.ok(headers, page));
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getContest", summary = "One contest with its rules", description = "Closed contests stay readable; "
            + "a contest that has not opened yet is not published.")
    @APIResponse(responseCode = "200", description = "The contest", content = @Content(schema = @Schema(implementation = ContestView.class)))
    @APIResponse(responseCode = "404", description = "No such contest, or not open yet (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> get(@Parameter(schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id,
            HttpHeaders headers) {
        return contests.get(Entrants.parseId(id, "Contest")).map(doc -> ETags.ok(headers, doc));
    }

    @GET
    @Path("/{id}/entry-form")
    @Parameter(name = VisitorToken.HEADER, in = ParameterIn.HEADER, description = "The visitor token (apps); browsers send the harmony_visitor cookie")
    @com.harmony.platform.OptionalBearer
    @Operation(operationId = "getContestEntryForm", summary = "The entry form, prefilled for a signed-in customer",
            description = "Signed in (bearer token or session cookie): name, email, phone and default shipping address from My Account. "
                    + "Otherwise the fields are empty. Also gives the marketing question and the age rule to show with the form.")
    @APIResponse(responseCode = "200", description = "The form", content = @Content(schema = @Schema(implementation = EntryForm.class)))
    @APIResponse(responseCode = "404", description = "No such contest, or not open yet (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> entryForm(@Parameter(schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id,
            @Context HttpServerRequest http, HttpHeaders headers) {
        var contest = Entrants.parseId(id, "Contest");
        return consents.requester(http).chain(who -> contests.entryForm(contest, who)).map(form -> ETags.ok(headers, json, form));
    }

    @POST
    @Path("/{id}/entries")
    @Consumes(MediaType.APPLICATION_JSON)
    @Parameter(name = VisitorToken.HEADER, in = ParameterIn.HEADER, description = "The visitor token (apps); browsers send the harmony_visitor cookie")
    @com.harmony.platform.OptionalBearer
    @Operation(operationId = "enterContest", summary = "Enter a contest (adults only)",
            description = "Open to a signed-in customer or a visitor (start one with POST /v1/visitors). Adults only (P31): give birth_date "
                    + "(checked, not stored) or adult_confirmed=true; an under-18 entry is refused with 422 under-age and nothing is "
                    + "stored. The contest's entries per person count the same account, the same visitor and the same email address "
                    + "(case-insensitive) together. The marketing answer is recorded as consents with source contest (P5, P16, P17).")
    @APIResponse(responseCode = "201", description = "Entered", headers = @Header(name = "Location", description = "The entry in My Account "
            + "(signed-in customers)"), content = @Content(schema = @Schema(implementation = EntryReceipt.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields, or neither birth_date nor adult_confirmed (type `validation-failed`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such contest, or not open yet (type `not-found`); neither signed in nor a visitor "
            + "(type `visitor-required`)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The contest closed (type `contest-closed`), or this person's entries are used up "
            + "(type `entry-limit-reached`)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Under 18 (type `under-age`); nothing was stored",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> enter(@Parameter(schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id,
            @Valid @NotNull ContestEntryRequest r, @Context HttpServerRequest http) {
        var contest = Entrants.parseId(id, "Contest");
        return contests.enter(contest, r, consents.requester(http))
                .map(receipt -> created(receipt, "account".equals(receipt.enteredAs()) ? "/v1/me/contest-entries/" + receipt.id() : null));
    }

    private RestResponse<String> created(Object body, String location) {
        try {
            RestResponse.ResponseBuilder<String> b = RestResponse.ResponseBuilder.<String>create(RestResponse.Status.CREATED)
                    .entity(json.writeValueAsString(body)).type(MediaType.APPLICATION_JSON_TYPE);
            return (location == null ? b : b.location(URI.create(location))).build();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
