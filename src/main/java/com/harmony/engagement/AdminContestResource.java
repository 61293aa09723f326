package com.harmony.engagement;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.harmony.engagement.EngagementRequests.ContestRequest;
import com.harmony.engagement.EngagementRequests.DisqualificationRequest;
import com.harmony.engagement.EngagementViews.AdminContestPage;
import com.harmony.engagement.EngagementViews.AdminContestView;
import com.harmony.engagement.EngagementViews.DrawView;
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
import java.net.URI;
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

/** Contests in the back office (role admin): set up, followed, drawn, winners disqualified and replaced (P5). */
@Path("/v1/admin/contests")
@Tag(name = "Contests and surveys admin")
@RolesAllowed("admin")
@SecurityRequirement(name = ApiDocs.BEARER)
@Produces(MediaType.APPLICATION_JSON)
public class AdminContestResource {

    private final ContestService contests;
    private final ContestDraws draws;
    private final JsonWebToken jwt;
    private final ObjectMapper json;

    AdminContestResource(ContestService contests, ContestDraws draws, JsonWebToken jwt, ObjectMapper json) {
        this.contests = contests;
        this.draws = draws;
        this.jwt = jwt;
        this.json = json;
    }

    private UUID admin() {
        return UUID.fromString(jwt.getSubject());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "adminCreateContest", summary = "Set up a contest or sweepstakes (admin)",
            description = "Entries are taken from opens_at (now when absent) until closes_at; winners are drawn after that.")
    @APIResponse(responseCode = "201", description = "The contest", headers = @Header(name = "Location", description = "The contest"),
            content = @Content(schema = @Schema(implementation = AdminContestView.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields, closes_at not after opens_at or not in the future (type `validation-failed`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> create(@Valid @NotNull ContestRequest r) {
        return contests.create(r, admin()).map(c -> created(c.doc(), "/v1/admin/contests/" + c.id()));
    }

    @GET
    @Operation(operationId = "adminListContests", summary = "Every contest, newest first (admin)")
    @APIResponse(responseCode = "200", description = "A page of contests", content = @Content(schema = @Schema(implementation = AdminContestPage.class)))
    @APIResponse(responseCode = "400", description = "Bad limit or cursor (types `validation-failed`, `invalid-cursor`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> list(
            @Parameter(description = "Page size, 1 to 100", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("limit") String limit,
            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor,
            HttpHeaders headers) {
        return contests.list(QueryParams.intOr("limit", limit, 20, 1, 100), QueryParams.optionalText("cursor", cursor, 500))
                .map(page -> ETags.ok(headers, page));
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "adminGetContest", summary = "One contest with its entry count and draw state (admin)")
    @APIResponse(responseCode = "200", description = "The contest", content = @Content(schema = @Schema(implementation = AdminContestView.class)))
    @APIResponse(responseCode = "404", description = "No such contest (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> get(@Parameter(schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id,
            HttpHeaders headers) {
        return contests.adminGet(Entrants.parseId(id, "Contest")).map(doc -> ETags.ok(headers, doc));
    }

    @POST
    @Path("/{id}/draws")
    @Operation(operationId = "adminDrawContestWinners", summary = "Draw the winners, once, after the contest closed (admin)",
            description = "Picks the contest's number of winners (fewer when there are fewer entries) from every entry made by closes_at, "
                    + "recording the seed, the sorted entry list and its digest so that anyone can recompute the result. " + Draw.DESCRIPTION)
    @APIResponse(responseCode = "201", description = "The draw", headers = @Header(name = "Location", description = "The draw"),
            content = @Content(schema = @Schema(implementation = DrawView.class)))
    @APIResponse(responseCode = "404", description = "No such contest (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Entries still open (type `contest-still-open`), or drawn already (type `already-drawn`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> draw(@Parameter(schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id) {
        UUID contest = Entrants.parseId(id, "Contest");
        return draws.draw(contest, admin()).map(view -> created(write(view), "/v1/admin/contests/" + contest + "/draws"));
    }

    @GET
    @Path("/{id}/draws")
    @Operation(operationId = "adminGetContestDraw", summary = "The draw: seed, sorted entry ids, digest, every pick and the winners (admin)",
            description = Draw.DESCRIPTION)
    @APIResponse(responseCode = "200", description = "The draw", content = @Content(schema = @Schema(implementation = DrawView.class)))
    @APIResponse(responseCode = "404", description = "No such contest, or not drawn yet (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> getDraw(@Parameter(schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id,
            HttpHeaders headers) {
        return draws.view(Entrants.parseId(id, "Contest")).map(view -> ETags.ok(headers, json, view));
    }

    @POST
    @Path("/{id}/winners/{entryId}/disqualification")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "adminDisqualifyContestWinner", summary = "Disqualify a winner, with the reason (admin)",
            description = "The pick stays in the draw's record with the reason; draw a replacement with the redraws operation.")
    @APIResponse(responseCode = "200", description = "The draw as it now stands", content = @Content(schema = @Schema(implementation = DrawView.class)))
    @APIResponse(responseCode = "404", description = "No such contest, or the entry is not one of its picks (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Not drawn yet (type `not-drawn`), or disqualified already (type `already-disqualified`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<DrawView> disqualify(@Parameter(schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id,
            @Parameter(schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("entryId") String entryId,
            @Valid @NotNull DisqualificationRequest r) {
        return draws.disqualify(Entrants.parseId(id, "Contest"), Entrants.parseId(entryId, "Winner"), r.reason(), admin());
    }

    @POST
    @Path("/{id}/redraws")
    @Operation(operationId = "adminRedrawContestWinners", summary = "Replace the disqualified winners (admin)",
            description = "One replacement for each disqualified winner not yet replaced, in the order they were picked, taken by the next "
                    + "indexes of the same sequence (HMAC-SHA256(seed, \"draw:\" + i) over the entries not yet picked); each records the "
                    + "entry it replaces.")
    @APIResponse(responseCode = "200", description = "The draw as it now stands", content = @Content(schema = @Schema(implementation = DrawView.class)))
    @APIResponse(responseCode = "404", description = "No such contest (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Not drawn yet (type `not-drawn`), or no disqualified winner waiting or nobody left "
            + "to draw (type `nothing-to-redraw`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<DrawView> redraw(@Parameter(schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id) {
        return draws.redraw(Entrants.parseId(id, "Contest"));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static RestResponse<String> created(String body, String location) {
        return RestResponse.ResponseBuilder.<String>created(URI.create(location)).entity(body).type(MediaType.APPLICATION_JSON_TYPE).build();
    }
}
