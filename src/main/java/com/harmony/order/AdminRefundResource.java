package com.harmony.order;

import com.harmony.order.OrderService.Actor;
import com.harmony.order.OrderViews.RefundPage;
import com.harmony.order.OrderViews.RefundView;
import com.harmony.platform.ApiDocs;
import com.harmony.platform.ETags;
import com.harmony.platform.Idempotency;
import com.harmony.platform.Idempotency.Stored;
import com.harmony.platform.Problem;
import com.harmony.platform.ProblemException;
import com.harmony.platform.QueryParams;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
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

/** Refunds for support and admins: see what waits for the provider, and ask for another attempt now. */
@Path("/v1/admin/refunds")
@Tag(name = "Orders admin")
@RolesAllowed({"support", "admin"})
@SecurityRequirement(name = ApiDocs.BEARER)
@Produces(MediaType.APPLICATION_JSON)
public class AdminRefundResource {

    private static final Set<String> STATUSES = Set.of("pending", "succeeded", "superseded");

    private final RefundService refunds;
    private final Idempotency idempotency;
    private final JsonWebToken jwt;

    AdminRefundResource(RefundService refunds, Idempotency idempotency, JsonWebToken jwt) {
        this.refunds = refunds;
        this.idempotency = idempotency;
        this.jwt = jwt;
    }

    @GET
    @Operation(operationId = "adminListRefunds", summary = "List refunds, newest first",
            description = "`status=pending` lists the refunds the payment provider has not confirmed yet, with their attempts, "
                    + "last error and next automatic attempt.")
    @APIResponse(responseCode = "200", description = "A page of refunds", content = @Content(schema = @Schema(implementation = RefundPage.class)))
    @APIResponse(responseCode = "400", description = "Invalid status, limit or cursor (types `validation-failed`, `invalid-cursor`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> list(
            @Parameter(description = "Only refunds in this status", schema = @Schema(type = SchemaType.STRING,
                    enumeration = {"pending", "succeeded", "superseded"})) @QueryParam("status") String status,
            @Parameter(description = "Page size, 1 to 100", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("limit") String limit,
            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor,
            HttpHeaders headers) {
        String st = QueryParams.optionalText("status", status, 16);
        if (st != null && !STATUSES.contains(st)) {
            throw ProblemException.invalid("status", "must be one of pending, succeeded, superseded");
        }
        return refunds.refunds(st, QueryParams.intOr("limit", limit, 20, 1, 100), QueryParams.optionalText("cursor", cursor, 500))
                .map(body -> ETags.ok(headers, body));
    }

    @GET
    @Path("/{refundId}")
    @Operation(operationId = "adminGetRefund", summary = "Get a refund")
    @APIResponse(responseCode = "200", description = "The refund", content = @Content(schema = @Schema(implementation = RefundView.class)))
    @APIResponse(responseCode = "404", description = "No such refund (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> get(@PathParam("refundId") UUID refundId, HttpHeaders headers) {
        return refunds.document(refundId).map(body -> ETags.ok(headers, body));
    }

    @POST
    @Path("/{refundId}/retry")
    @Operation(operationId = "adminRetryRefund", summary = "Try a pending refund again now",
            description = "One more call to the payment provider with the refund's own idempotency reference, so the money can "
                    + "never go back twice. Answers the refund as it then stands: succeeded, or still pending with the error. "
                    + "If an attempt is already waiting for the provider (the worker's, or another instance's), no second call is "
                    + "made: the answer shows the refund still pending, and that attempt settles it.")
    @APIResponse(responseCode = "200", description = "The refund after the attempt",
            headers = @Header(name = Idempotency.REPLAYED, description = "true when this is the stored answer to an earlier request with the same key"),
            content = @Content(schema = @Schema(implementation = RefundView.class)))
    @APIResponse(responseCode = "404", description = "No such refund (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The refund is not pending (type `refund-not-pending`), or the first request with "
            + "this key is still running (type `idempotency-key-in-progress`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was used with a different request (type `idempotency-key-reused`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> retry(@PathParam("refundId") UUID refundId,
            @Parameter(in = ParameterIn.HEADER, description = Idempotency.OPTIONAL_HEADER_DOC) @HeaderParam(Idempotency.HEADER) String key) {
        Actor actor = Actor.staff(jwt);
        return idempotency.runOptional(AdminOrderResource.scope(actor), key,
                idempotency.fingerprint("POST", "/v1/admin/refunds/" + refundId + "/retry", ""),
                () -> refunds.retry(refundId, actor).map(Stored::ok));
    }
}
