package com.harmony.engagement;

import com.harmony.engagement.EngagementViews.MyEntryPage;
import com.harmony.engagement.EngagementViews.MyEntryView;
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

/** My contest entries (P5): the ones made while signed in, with the details given and whether they won. */
@Path("/v1/me/contest-entries")
@Tag(name = "Contests and surveys")
@Authenticated
@SecurityRequirement(name = ApiDocs.BEARER)
@Produces(MediaType.APPLICATION_JSON)
public class MyContestEntryResource {

    private final ContestService contests;
    private final JsonWebToken jwt;

    MyContestEntryResource(ContestService contests, JsonWebToken jwt) {
        this.contests = contests;
        this.jwt = jwt;
    }

    @GET
    @Operation(operationId = "listMyContestEntries", summary = "My contest entries, newest first")
    @APIResponse(responseCode = "200", description = "A page of entries", content = @Content(schema = @Schema(implementation = MyEntryPage.class)))
    @APIResponse(responseCode = "400", description = "Bad limit or cursor (types `validation-failed`, `invalid-cursor`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> list(
            @Parameter(description = "Page size, 1 to 100", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("limit") String limit,
            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor,
            HttpHeaders headers) {
        return contests.myEntries(UUID.fromString(jwt.getSubject()), QueryParams.intOr("limit", limit, 20, 1, 100),
                QueryParams.optionalText("cursor", cursor, 500)).map(page -> ETags.ok(headers, page));
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getMyContestEntry", summary = "One of my contest entries")
    @APIResponse(responseCode = "200", description = "The entry", content = @Content(schema = @Schema(implementation = MyEntryView.class)))
    @APIResponse(responseCode = "404", description = "No such entry of mine (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> get(@Parameter(schema = @Schema(type = SchemaType.STRING, format = "uuid")) @PathParam("id") String id,
            HttpHeaders headers) {
        return contests.myEntry(UUID.fromString(jwt.getSubject()), Entrants.parseId(id, "Entry")).map(doc -> ETags.ok(headers, doc));
    }
}
