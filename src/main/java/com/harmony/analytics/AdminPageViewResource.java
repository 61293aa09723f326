package com.harmony.analytics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.harmony.analytics.AnalyticsViews.DailyReport;
import com.harmony.platform.ApiDocs;
import com.harmony.platform.ETags;
import com.harmony.platform.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.time.LocalDate;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** Page-view figures for the back office (role admin): counts and medians per day and path, nobody's views. */
@Path("/v1/admin/page-views")
@Tag(name = "Analytics")
@RolesAllowed("admin")
@SecurityRequirement(name = ApiDocs.BEARER)
@Produces(MediaType.APPLICATION_JSON)
public class AdminPageViewResource {

    private final PageViewService pageViews;
    private final ObjectMapper json;

    AdminPageViewResource(PageViewService pageViews, ObjectMapper json) {
        this.pageViews = pageViews;
        this.json = json;
    }

    @GET
    @Path("/daily")
    @Operation(operationId = "adminGetDailyPageViews", summary = "Page views per day and path, with the median time on page",
            description = "Days are UTC. Recent days are counted from the raw views, days past the retention from their daily roll-up.")
    @APIResponse(responseCode = "200", description = "The figures", content = @Content(schema = @Schema(implementation = DailyReport.class)))
    @APIResponse(responseCode = "400", description = "A date that is not YYYY-MM-DD, to before from, more than 366 days, or a path "
            + "that does not start with / (type `validation-failed`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> daily(
            @Parameter(description = "First day (YYYY-MM-DD); default 29 days before to", schema = @Schema(type = SchemaType.STRING, format = "date"))
            @QueryParam("from") String from,
            @Parameter(description = "Last day (YYYY-MM-DD); default today (UTC)", schema = @Schema(type = SchemaType.STRING, format = "date"))
            @QueryParam("to") String to,
            @Parameter(description = "Only this path (starting with /)") @QueryParam("path") String path,
            HttpHeaders headers) {
        LocalDate[] period = AnalyticsViews.period(from, to);
        return pageViews.daily(period[0], period[1], AnalyticsViews.pathFilter(path)).map(report -> ETags.ok(headers, json, report));
    }
}
