package com.harmony.order;

import com.harmony.order.OrderRequests.ReturnDecisionRequest;
import com.harmony.order.OrderService.Actor;
import com.harmony.order.OrderViews.ReturnPage;
import com.harmony.order.OrderViews.ReturnView;
import com.harmony.platform.ApiDocs;
import com.harmony.platform.Idempotency;
import com.harmony.platform.Idempotency.Stored;
import com.harmony.platform.Problem;
import com.harmony.platform.QueryParams;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
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

/** Return handling for support agents and admins (P9): review, approve (refund or exchange), reject. */
@Path("/v1/admin/returns")
@Tag(name = "Orders admin")
@RolesAllowed({"support", "admin"})
@SecurityRequirement(name = ApiDocs.BEARER)
@Produces(MediaType.APPLICATION_JSON)
public class AdminReturnResource {

    private final ReturnService returns;
    private final Idempotency idempotency;
    private final JsonWebToken jwt;

    AdminReturnResource(ReturnService returns, Idempotency idempotency, JsonWebToken jwt) {
        this.returns = returns;
        this.idempotency = idempotency;
        this.jwt = jwt;
    }

    @GET
    @Operation(operationId = "adminListReturns", summary = "List returns, newest first")
    @APIResponse(responseCode = "200", description = "A page of returns", content = @Content(schema = @Schema(implementation = ReturnPage.class)))
    public Uni<RestResponse<String>> list(
            @Parameter(description = "Only returns in this status", schema = @Schema(implementation = ReturnStatus.class)) @QueryParam("status") String status,
            @Parameter(description = "Page size, 1 to 100", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("limit") String limit,
            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor,
            jakarta.ws.rs.core.HttpHeaders headers) {
        ReturnStatus st = QueryParams.optionalEnum("status", status, ReturnStatus.class);
        return returns.returns(st == null ? null : st.name(), QueryParams.intOr("limit", limit, 20, 1, 100), QueryParams.optionalText("cursor", cursor, 500))
                .map(body -> com.harmony.platform.ETags.ok(headers, body));
    }

    @GET
    @Path("/{returnId}")
    @Operation(operationId = "adminGetReturn", summary = "Get a return")
    @APIResponse(responseCode = "200", description = "The return", content = @Content(schema = @Schema(implementation = ReturnView.class)))
    @APIResponse(responseCode = "404", description = "No such return (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> get(@PathParam("returnId") UUID returnId, jakarta.ws.rs.core.HttpHeaders headers) {
        return returns.document(returnId).map(body -> com.harmony.platform.ETags.ok(headers, body));
    }

    @POST
    @Path("/{returnId}/approve")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "adminApproveReturn", summary = "Approve a return: refund it or send the replacement",
            description = "A refund of the returned lines' value is reserved from the lines' budget and recorded, then the "
                    + "payment provider is called: the return answers `refunded` when the provider confirmed at once, else "
                    + "`refund_pending` (retried until it succeeds). Once everything paid was refunded the order becomes refunded. "
                    + "An exchange takes the units' value from the same budget and creates a replacement order (same items, no "
                    + "charge, paid) whose fulfilment event is written at once. Only returns of delivered orders can be approved: "
                    + "a full refund or cancel rejects the order's open returns.")
    @APIResponse(responseCode = "200", description = "The decided return",
            headers = @Header(name = Idempotency.REPLAYED, description = "true when this is the stored answer to an earlier request with the same key"),
            content = @Content(schema = @Schema(implementation = ReturnView.class)))
    @APIResponse(responseCode = "404", description = "No such return (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Already decided (type `return-already-decided`), the order is no longer "
            + "delivered or an exchange of a replacement order (type `not-returnable`), the units were already refunded or replaced (type `refund-exceeds-balance`), no "
            + "stock for the replacement (type `insufficient-stock`), nothing was paid that could go back (type `not-refundable`), "
            + "or the first request with this key still running (type `idempotency-key-in-progress`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was used with a different request (type `idempotency-key-reused`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> approve(@PathParam("returnId") UUID returnId,
            @Parameter(in = ParameterIn.HEADER, required = true, description = Idempotency.HEADER_DOC) @HeaderParam(Idempotency.HEADER) String key,
            @Valid ReturnDecisionRequest request) {
        String note = request == null ? null : request.note();
        Actor actor = actor();
        return idempotency.run("account:" + actor.id(), key,
                idempotency.fingerprint("POST", "/v1/admin/returns/" + returnId + "/approve", request == null ? "" : request),
                () -> returns.approve(returnId, actor, note).map(Stored::ok));
    }

    @POST
    @Path("/{returnId}/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "adminRejectReturn", summary = "Reject a return; its units can be requested again",
            description = "A return whose goods were received already is rejected only when it can no longer be approved (partial "
                    + "refunds or exchanges since used its lines' budget, or the order is no longer delivered); its units stay returned.")
    @APIResponse(responseCode = "200", description = "The rejected return", content = @Content(schema = @Schema(implementation = ReturnView.class)))
    @APIResponse(responseCode = "404", description = "No such return (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Already decided (type `return-already-decided`), or its goods were received "
            + "back already and it can still be approved (type `return-already-received`: approve it instead)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> reject(@PathParam("returnId") UUID returnId, @Valid ReturnDecisionRequest request) {
        return returns.reject(returnId, actor(), request == null ? null : request.note());
    }

    @POST
    @Path("/{returnId}/receive")
    @Operation(operationId = "adminReceiveReturn", summary = "Record that a return's goods came back",
            description = "Once per return (not for rejected ones). When harmony.returns.restock-on-receive is true (the default) "
                    + "the units go back on hand, each with a stock movement.")
    @APIResponse(responseCode = "200", description = "The return, with received_at", content = @Content(schema = @Schema(implementation = ReturnView.class)))
    @APIResponse(responseCode = "404", description = "No such return (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Already received (type `return-already-received`) or rejected (type `return-already-decided`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> receive(@PathParam("returnId") UUID returnId) {
        return returns.receive(returnId, actor());
    }

    private Actor actor() {
        return Actor.staff(jwt);
    }
}
