package com.harmony.affiliate;

import com.harmony.affiliate.AffiliateRequests.ApplyRequest;
import com.harmony.affiliate.AffiliateRequests.CampaignRequest;
import com.harmony.affiliate.AffiliateViews.AffiliateView;
import com.harmony.affiliate.AffiliateViews.CommissionPage;
import com.harmony.affiliate.AffiliateViews.Dashboard;
import com.harmony.affiliate.AffiliateViews.Terms;
import com.harmony.platform.ApiDocs;
import com.harmony.platform.Problem;
import com.harmony.platform.QueryParams;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.time.LocalDate;
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

/** The affiliate's own surface: apply, campaigns, dashboard and commission lines. */
@Path("/v1/affiliate")
@Tag(name = "Affiliates")
@Produces(MediaType.APPLICATION_JSON)
public class AffiliateResource {

    private final AffiliateService affiliates;
    private final AffiliateReports reports;
    private final JsonWebToken jwt;

    AffiliateResource(AffiliateService affiliates, AffiliateReports reports, JsonWebToken jwt) {
        this.affiliates = affiliates;
        this.reports = reports;
        this.jwt = jwt;
    }

    @GET
    @Path("/terms")
    @PermitAll
    @Operation(operationId = "getAffiliateTerms", summary = "The affiliate terms version an application accepts")
    @APIResponse(responseCode = "200", description = "The current terms", content = @Content(schema = @Schema(implementation = Terms.class)))
    public Terms terms() {
        return new Terms(affiliates.termsVersion());
    }

    @POST
    @Path("/application")
    @Authenticated
    @SecurityRequirement(name = ApiDocs.BEARER)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "applyAsAffiliate", summary = "Apply to become an affiliate (adults only, P31)",
            description = "Staff then approve (you get role `affiliate` at your next sign-in or refresh, and a referral code), or reject.")
    @APIResponse(responseCode = "201", description = "The application, pending", content = @Content(schema = @Schema(implementation = AffiliateView.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields or old terms version (type `validation-failed`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Applied already (type `affiliate-already-applied`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Under 18 (type `under-age`); nothing was stored",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> apply(@Valid @NotNull ApplyRequest request) {
        return affiliates.apply(me(), request).map(doc -> RestResponse.ResponseBuilder.<String>created(URI.create("/v1/affiliate"))
                .entity(doc).type(MediaType.APPLICATION_JSON_TYPE).build());
    }

    @GET
    @Authenticated
    @SecurityRequirement(name = ApiDocs.BEARER)
    @Operation(operationId = "getMyAffiliate", summary = "My affiliate application or account")
    @APIResponse(responseCode = "200", description = "Status, code, rate and campaigns", content = @Content(schema = @Schema(implementation = AffiliateView.class)))
    @APIResponse(responseCode = "404", description = "No application (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> mine() {
        return affiliates.mine(me());
    }

    @POST
    @Path("/campaigns")
    @RolesAllowed("affiliate")
    @SecurityRequirement(name = ApiDocs.BEARER)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createAffiliateCampaign", summary = "Create a campaign code for my links")
    @APIResponse(responseCode = "201", description = "My affiliate account with the new campaign", content = @Content(schema = @Schema(implementation = AffiliateView.class)))
    @APIResponse(responseCode = "409", description = "The code is taken (type `campaign-code-taken`), or my affiliate account is not active "
            + "(suspended or ended; type `affiliate-inactive`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> createCampaign(@Valid @NotNull CampaignRequest request) {
        return affiliates.createCampaign(me(), request).map(doc -> RestResponse.ResponseBuilder.<String>created(URI.create("/v1/affiliate"))
                .entity(doc).type(MediaType.APPLICATION_JSON_TYPE).build());
    }

    @GET
    @Path("/dashboard")
    @RolesAllowed("affiliate")
    @SecurityRequirement(name = ApiDocs.BEARER)
    @Operation(operationId = "getAffiliateDashboard", summary = "Visits, conversions and commissions, per campaign and per day",
            description = "Counts and amounts only: no visitor's IP address or user agent, no buyer, no order contents.")
    @APIResponse(responseCode = "200", description = "The figures for the period", content = @Content(schema = @Schema(implementation = Dashboard.class)))
    @APIResponse(responseCode = "404", description = "No approved affiliate account of mine: the role was granted without an approved application (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> dashboard(@Parameter(description = "First day (YYYY-MM-DD); default 29 days before to") @QueryParam("from") String from,
            @Parameter(description = "Last day (YYYY-MM-DD); default today") @QueryParam("to") String to) {
        LocalDate[] p = AffiliateViews.period(from, to);
        return affiliates.affiliateOf(me()).chain(id -> reports.dashboard(id, p[0], p[1]));
    }

    @GET
    @Path("/commissions")
    @RolesAllowed("affiliate")
    @SecurityRequirement(name = ApiDocs.BEARER)
    @Operation(operationId = "listMyCommissions", summary = "My commission lines, newest first")
    @APIResponse(responseCode = "200", description = "A page of lines", content = @Content(schema = @Schema(implementation = CommissionPage.class)))
    @APIResponse(responseCode = "404", description = "No approved affiliate account of mine: the role was granted without an approved application (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> commissions(
            @Parameter(description = "Page size, 1 to 100", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("limit") String limit,
            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor) {
        int n = QueryParams.intOr("limit", limit, 20, 1, 100);
        String c = QueryParams.optionalText("cursor", cursor, 500);
        return affiliates.affiliateOf(me()).chain(id -> reports.commissions(id, n, c));
    }

    private UUID me() {
        return UUID.fromString(jwt.getSubject());
    }
}
