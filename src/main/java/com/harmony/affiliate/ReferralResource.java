package com.harmony.affiliate;

import com.harmony.affiliate.AffiliateRequests.ReferralRequest;
import com.harmony.affiliate.ReferralService.Arrival;
import com.harmony.affiliate.ReferralService.Visit;
import com.harmony.platform.ClientAddress;
import com.harmony.platform.Cookies;
import com.harmony.platform.Problem;
import com.harmony.platform.ReferralAttribution;
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
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Arrivals through affiliate links (P11, P12): a frontend reports one, or a plain link goes through
 * /r/{code}. Either records the visit and sets the first-party harmony_affiliate cookie; apps get the
 * same value in the body and send it back in X-Affiliate-Referral at checkout.
 */
@Path("/")
@Tag(name = "Affiliates")
@PermitAll
public class ReferralResource {

    private final ReferralService referrals;
    private final ClientAddress clients;
    private final Cookies cookies;
    private final AffiliateConfig config;

    ReferralResource(ReferralService referrals, ClientAddress clients, Cookies cookies, AffiliateConfig config) {
        this.referrals = referrals;
        this.clients = clients;
        this.cookies = cookies;
        this.config = config;
    }

    @Schema(name = "ReferralVisit", description = "A recorded visit; referral is the affiliate cookie's value (apps send it in X-Affiliate-Referral)")
    public record VisitView(String visitId, String affiliateId, String referral,
            @Schema(description = "Until when it can attribute an order") String attributableUntil) {
    }

    @POST
    @Path("v1/referrals")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "recordReferral", summary = "Report an arrival through an affiliate link",
            description = "Records the visit with the client's address, user agent, landing page and referrer (P12) and sets "
                    + "harmony_affiliate for the attribution window (default 30 days). Unknown, inactive or malformed codes set no "
                    + "cookie and store nothing. Throttled per client address and code.")
    @APIResponse(responseCode = "204", description = "Not tracked: the affiliate cookie is configured optional and this visitor did not allow it (C1)")
    @APIResponse(responseCode = "201", description = "The visit", headers = @Header(name = "Set-Cookie", description = "harmony_affiliate"),
            content = @Content(schema = @Schema(implementation = VisitView.class)))
    @APIResponse(responseCode = "400", description = "Malformed code or fields (type `validation-failed`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No affiliate or campaign has this code (type `unknown-referral-code`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The affiliate is not active, e.g. suspended (type `affiliate-inactive`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Too many visits from this client with this code (type `rate-limited`)",
            headers = @Header(name = "Retry-After", description = "Seconds to wait"),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<VisitView>> record(@Valid @NotNull ReferralRequest request, @Context HttpServerRequest http) {
        return referrals.recordVisit(arrival(request.code(), request.landingPage(), request.referrer(), http))
                .map(visit -> visit == null ? RestResponse.<VisitView>noContent()
                        : RestResponse.ResponseBuilder.<VisitView>create(RestResponse.Status.CREATED).entity(view(visit))
                        .type(MediaType.APPLICATION_JSON_TYPE).header("Set-Cookie", cookie(visit)).build());
    }

    @GET
    @Path("r/{code}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "followReferralLink", summary = "A plain affiliate link: record the visit and go to the storefront",
            description = "Redirects only to a path on the storefront or a URL on a configured storefront origin, never elsewhere "
                    + "(no open redirect); a refused target records nothing.")
    @APIResponse(responseCode = "302", description = "To the storefront", headers = {@Header(name = "Location", description = "The storefront page"),
            @Header(name = "Set-Cookie", description = "harmony_affiliate")})
    @APIResponse(responseCode = "400", description = "A target outside the storefront, or a malformed code (types `redirect-not-allowed`, `validation-failed`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "Unknown code (type `unknown-referral-code`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The affiliate is not active (type `affiliate-inactive`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Too many visits (type `rate-limited`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<Void>> follow(@PathParam("code") String code,
            @Parameter(description = "A storefront path such as /products/canvas-apron (default /)") @QueryParam("to") String to,
            @Context HttpServerRequest http) {
        // non-ASCII characters percent-encoded: a header is written as ISO-8859-1, so "été" or an emoji would arrive garbled
        URI target = URI.create(referrals.redirectTarget(to).toASCIIString());
        return referrals.recordVisit(arrival(code, target.getRawPath(), http.getHeader("Referer"), http))
                .map(visit -> visit == null ? RestResponse.ResponseBuilder.<Void>create(RestResponse.Status.FOUND).location(target).build()
                        : RestResponse.ResponseBuilder.<Void>create(RestResponse.Status.FOUND).location(target)
                                .header("Set-Cookie", cookie(visit)).build());
    }

    private Arrival arrival(String code, String landing, String referrer, HttpServerRequest http) {
        String presented = ReferralAttribution.Referral.of(http, null).referral();
        return new Arrival(code, landing, referrer, VisitorToken.of(http), clients.of(http), http.getHeader("User-Agent"), presented);
    }

    /** Lives exactly as long as the visit can attribute an order (a kept earlier visit has less time left). */
    private String cookie(Visit visit) {
        java.time.Duration left = java.time.Duration.between(java.time.OffsetDateTime.now(), java.time.OffsetDateTime.parse(visit.attributableUntil()));
        java.time.Duration life = left.isNegative() ? java.time.Duration.ZERO : left.compareTo(config.window()) > 0 ? config.window() : left;
        return cookies.header(cookies.httpOnly(ReferralAttribution.COOKIE, visit.referral(), life));
    }

    private static VisitView view(Visit v) {
        return new VisitView(v.visitId().toString(), v.affiliateId().toString(), v.referral(), v.attributableUntil());
    }
}
