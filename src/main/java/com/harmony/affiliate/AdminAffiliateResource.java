package com.harmony.affiliate;

import com.harmony.affiliate.AffiliateRequests.DecisionRequest;
import com.harmony.affiliate.AffiliateRequests.PayoutRunRequest;
import com.harmony.affiliate.AffiliateViews.AffiliatePage;
import com.harmony.affiliate.AffiliateViews.AffiliateView;
import com.harmony.affiliate.AffiliateViews.Dashboard;
import com.harmony.affiliate.AffiliateViews.PayoutPage;
import com.harmony.affiliate.AffiliateViews.PayoutView;
import com.harmony.platform.ApiDocs;
import com.harmony.platform.Idempotency;
import com.harmony.platform.Idempotency.Stored;
import com.harmony.platform.Problem;
import com.harmony.platform.ProblemException;
import com.harmony.platform.QueryParams;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.LocalDate;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** Affiliate administration (role admin): applications, decisions, per-affiliate figures and payout runs. */
@Path("/v1/admin")
@Tag(name = "Affiliates admin")
@RolesAllowed("admin")
@SecurityRequirement(name = ApiDocs.BEARER)
@Produces(MediaType.APPLICATION_JSON)
public class AdminAffiliateResource {

    private static final Set<String> STATUSES = Set.of("pending", "approved", "rejected", "suspended");

    private final AffiliateService affiliates;
    private final AffiliateReports reports;
    private final Idempotency idempotency;
    private final JsonWebToken jwt;

    AdminAffiliateResource(AffiliateService affiliates, AffiliateReports reports, Idempotency idempotency, JsonWebToken jwt) {
        this.affiliates = affiliates;
        this.reports = reports;
        this.idempotency = idempotency;
        this.jwt = jwt;
    }

    @GET
    @Path("/affiliates")
    @Operation(operationId = "adminListAffiliates", summary = "Affiliates and applications, newest first")
    @APIResponse(responseCode = "200", description = "A page of affiliates", content = @Content(schema = @Schema(implementation = AffiliatePage.class)))
    public Uni<String> list(
            @Parameter(description = "Only this status", schema = @Schema(type = SchemaType.STRING, enumeration = {"pending", "approved", "rejected", "suspended"})) @QueryParam("status") String status,
            @Parameter(description = "Page size, 1 to 100", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("limit") String limit,
            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor) {
        String st = QueryParams.optionalText("status", status, 16);
        if (st != null && !STATUSES.contains(st)) {
            throw ProblemException.invalid("status", "must be one of pending, approved, rejected, suspended");
        }
        return affiliates.list(st, QueryParams.intOr("limit", limit, 20, 1, 100), QueryParams.optionalText("cursor", cursor, 500));
    }

    @GET
    @Path("/affiliates/{id}")
    @Operation(operationId = "adminGetAffiliate", summary = "One affiliate")
    @APIResponse(responseCode = "200", description = "The affiliate", content = @Content(schema = @Schema(implementation = AffiliateView.class)))
    @APIResponse(responseCode = "404", description = "No such affiliate (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> get(@PathParam("id") UUID id) {
        return affiliates.get(id);
    }

    @POST
    @Path("/affiliates/{id}/approve")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "adminApproveAffiliate", summary = "Approve (or reinstate) an affiliate",
            description = "Grants role `affiliate` and a referral code; rate_bp sets the commission rate.")
    @APIResponse(responseCode = "200", description = "The approved affiliate", content = @Content(schema = @Schema(implementation = AffiliateView.class)))
    @APIResponse(responseCode = "404", description = "No such affiliate (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Not pending or suspended (type `illegal-affiliate-decision`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> approve(@PathParam("id") UUID id, @Valid DecisionRequest request) {
        return affiliates.approve(id, staff(), request == null ? null : request.note(), request == null ? null : request.rateBp());
    }

    @POST
    @Path("/affiliates/{id}/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "adminRejectAffiliate", summary = "Reject a pending application")
    @APIResponse(responseCode = "200", description = "The rejected application", content = @Content(schema = @Schema(implementation = AffiliateView.class)))
    @APIResponse(responseCode = "404", description = "No such affiliate (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Not pending (type `illegal-affiliate-decision`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> reject(@PathParam("id") UUID id, @Valid DecisionRequest request) {
        return affiliates.reject(id, staff(), request == null ? null : request.note());
    }

    @POST
    @Path("/affiliates/{id}/suspend")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "adminSuspendAffiliate", summary = "Suspend an affiliate: links stop working, new orders earn nothing")
    @APIResponse(responseCode = "200", description = "The suspended affiliate", content = @Content(schema = @Schema(implementation = AffiliateView.class)))
    @APIResponse(responseCode = "404", description = "No such affiliate (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Not approved (type `illegal-affiliate-decision`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> suspend(@PathParam("id") UUID id, @Valid DecisionRequest request) {
        return affiliates.suspend(id, staff(), request == null ? null : request.note());
    }

    @GET
    @Path("/affiliates/{id}/dashboard")
    @Operation(operationId = "adminGetAffiliateDashboard", summary = "An affiliate's dashboard, as they see it")
    @APIResponse(responseCode = "200", description = "The figures", content = @Content(schema = @Schema(implementation = Dashboard.class)))
    @APIResponse(responseCode = "404", description = "No such affiliate (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> dashboard(@PathParam("id") UUID id, @QueryParam("from") String from, @QueryParam("to") String to) {
        LocalDate[] p = AffiliateViews.period(from, to);
        return affiliates.get(id).chain(x -> reports.dashboard(id, p[0], p[1]));
    }

    @POST
    @Path("/affiliate-payouts")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "adminRunAffiliatePayout", summary = "Pay approved commissions of a period",
            description = "Commissions past their return window are approved first; then every approved commission of an order "
                    + "created in the period is paid, once, in one report line per affiliate (clawbacks of paid commissions "
                    + "reduce the line). Send an Idempotency-Key: a retry replays the same run.")
    @APIResponse(responseCode = "201", description = "The payout report",
            headers = {@Header(name = "Location", description = "The payout's URL"),
                    @Header(name = Idempotency.REPLAYED, description = "true when this is the stored answer to an earlier request with the same key")},
            content = @Content(schema = @Schema(implementation = PayoutView.class)))
    @APIResponse(responseCode = "400", description = "Invalid period or no Idempotency-Key (types `validation-failed`, `idempotency-key-missing`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The first request with this key is still running (type `idempotency-key-in-progress`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was used with a different request (type `idempotency-key-reused`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> runPayout(
            @Parameter(in = ParameterIn.HEADER, required = true, description = Idempotency.HEADER_DOC) @HeaderParam(Idempotency.HEADER) String key,
            @Valid @NotNull PayoutRunRequest request) {
        UUID staff = staff();
        String currency = request.currency() == null ? "USD" : request.currency();
        return idempotency.run("account:" + staff, key, idempotency.fingerprint("POST", "/v1/admin/affiliate-payouts", request),
                () -> reports.runPayout(request.periodFrom(), request.periodTo(), currency, staff)
                        .chain(id -> reports.payout(id).map(doc -> Stored.created("/v1/admin/affiliate-payouts/" + id, doc))));
    }

    @GET
    @Path("/affiliate-payouts")
    @Operation(operationId = "adminListAffiliatePayouts", summary = "Payout runs, newest first")
    @APIResponse(responseCode = "200", description = "A page of payout runs", content = @Content(schema = @Schema(implementation = PayoutPage.class)))
    public Uni<String> payouts(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return reports.payouts(QueryParams.intOr("limit", limit, 20, 1, 100), QueryParams.optionalText("cursor", cursor, 500));
    }

    @GET
    @Path("/affiliate-payouts/{id}")
    @Operation(operationId = "adminGetAffiliatePayout", summary = "One payout run with its report lines")
    @APIResponse(responseCode = "200", description = "The payout", content = @Content(schema = @Schema(implementation = PayoutView.class)))
    @APIResponse(responseCode = "404", description = "No such payout (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> payout(@PathParam("id") UUID id) {
        return reports.payout(id);
    }

    private UUID staff() {
        return UUID.fromString(jwt.getSubject());
    }
}
