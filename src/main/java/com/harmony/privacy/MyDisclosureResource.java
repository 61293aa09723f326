package com.harmony.privacy;

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

/** My entries in the disclosure log (P20): who received my data, when, why and which fields. */
@Path("/v1/me/disclosures")
@Tag(name = "Disclosures")
@Authenticated
@SecurityRequirement(name = ApiDocs.BEARER)
@Produces(MediaType.APPLICATION_JSON)
public class MyDisclosureResource {

    private final DisclosureService disclosures;
    private final JsonWebToken jwt;

    MyDisclosureResource(DisclosureService disclosures, JsonWebToken jwt) {
        this.disclosures = disclosures;
        this.jwt = jwt;
    }

    @GET
    @Operation(operationId = "getMyDisclosures", summary = "Who received my data, when, why and which fields",
            description = "Every disclosure of my data outside the company (P20), including partner audience exports (P18).")
    @APIResponse(responseCode = "200", description = "A page of entries", content = @Content(schema = @Schema(implementation = DisclosureResource.DisclosurePage.class)))
    @APIResponse(responseCode = "400", description = "Bad limit or cursor (types `validation-failed`, `invalid-cursor`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> mine(
            @Parameter(description = "Page size, 1 to 100", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("limit") String limit,
            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor) {
        return disclosures.list(UUID.fromString(jwt.getSubject()), QueryParams.intOr("limit", limit, 20, 1, 100),
                QueryParams.optionalText("cursor", cursor, 500));
    }
}
