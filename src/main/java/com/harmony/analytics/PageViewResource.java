package com.harmony.analytics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.harmony.analytics.AnalyticsViews.PageViewRequest;
import com.harmony.platform.Problem;
import com.harmony.platform.ProblemException;
import com.harmony.platform.VisitorToken;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameters;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The storefront's page-view beacon (P21). Public, and deliberately uninformative: whether the view was
 * recorded or quietly dropped (no consent, Global Privacy Control, a bot) the answer is the same 204.
 */
@Path("/v1/page-views")
@Tag(name = "Analytics")
@PermitAll
public class PageViewResource {

    private final PageViewService pageViews;
    private final ObjectMapper json;

    PageViewResource(PageViewService pageViews, ObjectMapper json) {
        this.pageViews = pageViews;
        this.json = json;
    }

    @POST
    // navigator.sendBeacon sends a string body as text/plain (a CORS-safe type, so no preflight); it is the same JSON
    @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    @Parameters({
            @Parameter(name = VisitorToken.HEADER, in = ParameterIn.HEADER, description = "The visitor token (apps); browsers send the harmony_visitor cookie"),
            @Parameter(name = "Sec-GPC", in = ParameterIn.HEADER, description = "Global Privacy Control: 1 means nothing is recorded (P23)"),
            @Parameter(name = "DNT", in = ParameterIn.HEADER, description = "Do Not Track: 1 means nothing is recorded, as Sec-GPC: 1, where DNT_SIGNAL=opt_out (ignored by default)"),
            @Parameter(name = "User-Agent", in = ParameterIn.HEADER, description = "Only the browser and OS families are kept; bots are not recorded")})
    @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PageViewRequest.class)),
            @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(implementation = PageViewRequest.class))})
    @com.harmony.platform.OptionalBearer
    @Operation(operationId = "recordPageView", summary = "Record a page view (the storefront's beacon)",
            description = "Recorded only when the signed-in account's (else the visitor's) cookie preferences allow analytics and the request "
                    + "carries no Global Privacy Control signal; otherwise nothing is stored and the answer is the same. The query string "
                    + "and fragment are removed, the client address is truncated (IPv4 /24, IPv6 /48 by default) and only browser and OS "
                    + "families are kept. Raw views are rolled up into anonymous daily counts after the retention period (P21). "
                    + "Send it with navigator.sendBeacon (text/plain) or fetch with keepalive; a browser holding a session or cart cookie "
                    + "must send X-CSRF-Token, which only fetch can.")
    @APIResponse(responseCode = "204", description = "Received (recorded, or not recorded because analytics is not allowed)")
    @APIResponse(responseCode = "400", description = "Not JSON, a path that does not start with / or is longer than 300 characters, "
            + "or a time on page outside 0 to 86400000 ms (types `malformed-request`, `validation-failed`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "A browser's session or cart cookie sent without its X-CSRF-Token (type `csrf-failed`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "More page views from this client than the limit per minute (type `rate-limited`)",
            headers = @Header(name = "Retry-After", description = "Seconds to wait"),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Void> record(byte[] body, @Context HttpServerRequest http) throws java.io.IOException {
        // the bytes, not a String: the mapper reads them as UTF-8 and refuses what is not (StrictUtf8), where a String
        // would have replaced each invalid byte with U+FFFD before anything could tell
        PageViewRequest request = blank(body) ? null : json.readValue(body, PageViewRequest.class);
        if (request == null) {
            throw ProblemException.invalid("body", "a page view is required");
        }
        return pageViews.record(request, http).replaceWithVoid();
    }

    private static boolean blank(byte[] body) {
        if (body != null) {
            for (byte b : body) {
                if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                    return false;
                }
            }
        }
        return true;
    }
}
