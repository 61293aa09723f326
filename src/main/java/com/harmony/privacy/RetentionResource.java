package com.harmony.privacy;

import com.harmony.platform.ApiDocs;
import com.harmony.platform.Problem;
import com.harmony.platform.QueryParams;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Retention runs (P28): what each run removed; admins may start one at once. */
@Path("/v1/admin/retention-runs")
@Tag(name = "Privacy requests")
@RolesAllowed("admin")
@SecurityRequirement(name = ApiDocs.BEARER)
@Produces(MediaType.APPLICATION_JSON)
public class RetentionResource {

    private final RetentionRun retention;

    RetentionResource(RetentionRun retention) {
        this.retention = retention;
    }

    @Schema(name = "RetentionCount")
    public record Count(@Schema(examples = "cart") String feature, @Schema(examples = "cart") String table,
            @Schema(examples = "abandoned carts are deleted") String rule, long rows, @Schema(nullable = true) String error) {
    }

    @Schema(name = "RetentionRun")
    public record RunView(long id, String startedAt, @Schema(nullable = true) String finishedAt, List<Count> counts) {
    }

    @Schema(name = "RetentionRunList")
    public record RunList(List<RunView> data) {
    }

    @GET
    @Operation(operationId = "adminListRetentionRuns", summary = "Recent retention runs with the rows each rule removed (admin)")
    @APIResponse(responseCode = "200", description = "Newest first", content = @Content(schema = @Schema(implementation = RunList.class)))
    @APIResponse(responseCode = "400", description = "Bad limit (type `validation-failed`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> list(
            @Parameter(description = "How many, 1 to 100", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("limit") String limit) {
        return retention.recent(QueryParams.intOr("limit", limit, 20, 1, 100));
    }

    @POST
    @Operation(operationId = "adminRunRetention", summary = "Apply every retention rule now (admin)",
            description = "The same run the scheduler starts every hour on every instance; safe to run while another is running.")
    @APIResponse(responseCode = "200", description = "The run and its counts", content = @Content(schema = @Schema(implementation = RunView.class)))
    public Uni<String> run() {
        return retention.run();
    }
}
