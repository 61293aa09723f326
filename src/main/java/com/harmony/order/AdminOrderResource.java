package com.harmony.order;

import com.harmony.order.OrderRequests.PartialRefundRequest;
import com.harmony.order.OrderRequests.TransitionRequest;
import com.harmony.order.OrderService.Actor;
import com.harmony.order.OrderViews.OrderPage;
import com.harmony.order.OrderViews.OrderView;
import com.harmony.order.OrderViews.RefundView;
import com.harmony.platform.Idempotency;
import com.harmony.platform.Idempotency.Stored;
import com.harmony.platform.ApiDocs;
import com.harmony.platform.ETags;
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
import jakarta.ws.rs.core.HttpHeaders;
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

/** Order handling for support agents and admins: search, read, move through the lifecycle. */
@Path("/v1/admin/orders")
@Tag(name = "Orders admin")
@RolesAllowed({"support", "admin"})
@SecurityRequirement(name = ApiDocs.BEARER)
@Produces(MediaType.APPLICATION_JSON)
public class AdminOrderResource {

    private final OrderService orders;
    private final RefundService refunds;
    private final Idempotency idempotency;
    private final JsonWebToken jwt;

    AdminOrderResource(OrderService orders, RefundService refunds, Idempotency idempotency, JsonWebToken jwt) {
        this.orders = orders;
        this.refunds = refunds;
        this.idempotency = idempotency;
        this.jwt = jwt;
    }

    @GET
    @Operation(operationId = "adminSearchOrders", summary = "Search orders, newest first")
    @APIResponse(responseCode = "200", description = "A page of orders", content = @Content(schema = @Schema(implementation = OrderPage.class)))
    public Uni<RestResponse<String>> search(
            @Parameter(description = "Only this account's orders") @QueryParam("account_id") String accountId,
            @Parameter(description = "Only orders in this status", schema = @Schema(implementation = OrderStatus.class)) @QueryParam("status") String status,
            @Parameter(description = "Only orders whose payment is in this status (refund_pending: refunds waiting for the provider)",
                    schema = @Schema(implementation = PaymentStatus.class)) @QueryParam("payment_status") String paymentStatus,
            @Parameter(description = "Contact email, case-insensitive exact match") @QueryParam("email") String email,
            @Parameter(description = "Order number") @QueryParam("number") String number,
            @Parameter(description = "Created at or after (RFC 3339)") @QueryParam("created_from") String createdFrom,
            @Parameter(description = "Created before (RFC 3339)") @QueryParam("created_to") String createdTo,
            @Parameter(description = "Page size, 1 to 100", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("limit") String limit,
            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor,
            HttpHeaders headers) {
        OrderListing listing = OrderListing.search(QueryParams.optionalUuid("account_id", accountId),
                QueryParams.optionalEnum("status", status, OrderStatus.class),
                QueryParams.optionalEnum("payment_status", paymentStatus, PaymentStatus.class),
                QueryParams.optionalText("email", email, 320), QueryParams.optionalText("number", number, 20),
                QueryParams.optionalText("created_from", createdFrom, 40), QueryParams.optionalText("created_to", createdTo, 40),
                QueryParams.intOr("limit", limit, 20, 1, 100), QueryParams.optionalText("cursor", cursor, 500));
        return orders.orders(listing).map(body -> ETags.ok(headers, body));
    }

    @GET
    @Path("/{orderId}")
    @Operation(operationId = "adminGetOrder", summary = "Get any order")
    @APIResponse(responseCode = "200", description = "The order", content = @Content(schema = @Schema(implementation = OrderView.class)))
    @APIResponse(responseCode = "404", description = "No such order (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> get(@PathParam("orderId") UUID orderId, HttpHeaders headers) {
        return orders.document(orderId).map(body -> ETags.ok(headers, body));
    }

    @POST
    @Path("/{orderId}/transitions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "adminMoveOrder", summary = "Move an order to another status",
            description = "Allowed: placed → paid (captures) | cancelled; paid → fulfilled | cancelled | refunded; fulfilled → shipped; "
                    + "shipped → delivered; delivered → refunded. Cancelling returns the stock and releases or refunds the payment "
                    + "(a replacement order's exchange becomes a refund of the replaced units on the original order). "
                    + "Asking for refunded refunds everything not yet refunded (minus units already replaced by exchanges) and "
                    + "closes the order's open returns: the refund is recorded first, then the provider is called. The order "
                    + "answers `refunded` when the provider confirmed at once, else `refunding` with payment.status "
                    + "`refund_pending`; it becomes refunded by itself once the retried refund succeeds. Each move happens once "
                    + "(compare-and-set on the status), so a repeated request is a 409, or with the same Idempotency-Key the "
                    + "first answer replayed; money never moves twice.")
    @APIResponse(responseCode = "200", description = "The order as it now stands",
            headers = @Header(name = Idempotency.REPLAYED, description = "true when this is the stored answer to an earlier request with the same key"),
            content = @Content(schema = @Schema(implementation = OrderView.class)))
    @APIResponse(responseCode = "404", description = "No such order (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Not allowed from the current status, or another move got there first (type "
            + "`illegal-transition`), cancelling a replacement order whose original can no longer pay the exchange back (type "
            + "`not-refundable`), or the first request with this key is still running (type `idempotency-key-in-progress`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was used with a different request (type `idempotency-key-reused`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "502", description = "Moving placed → paid: the capture failed and the order stays placed (type `payment-provider-error`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> move(@PathParam("orderId") UUID orderId,
            @Parameter(in = ParameterIn.HEADER, description = Idempotency.OPTIONAL_HEADER_DOC) @HeaderParam(Idempotency.HEADER) String key,
            @Valid @NotNull TransitionRequest request) {
        Actor actor = actor();
        return idempotency.runOptional(scope(actor), key, idempotency.fingerprint("POST", "/v1/admin/orders/" + orderId + "/transitions", request),
                () -> orders.transition(orderId, request.to(), actor, request.note()).map(Stored::ok));
    }

    @POST
    @Path("/{orderId}/refunds")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "adminRefundPartOfOrder", summary = "Refund part of a paid order",
            description = "Refunds units and/or money from order lines without a return (damaged goods, a goodwill gesture). Each "
                    + "line's budget (what it cost, minus refunds, minus units replaced by exchanges) is shared with returns, "
                    + "exchanges and full refunds, so together they never pay out more than was paid. The refund is recorded as "
                    + "pending, then the provider is called; a refund the provider does not confirm stays `pending` and is retried.")
    @APIResponse(responseCode = "201", description = "The refund, succeeded or pending",
            headers = {@Header(name = "Location", description = "The refund's URL"),
                    @Header(name = Idempotency.REPLAYED, description = "true when this is the stored answer to an earlier request with the same key")},
            content = @Content(schema = @Schema(implementation = RefundView.class)))
    @APIResponse(responseCode = "400", description = "Invalid lines, or no Idempotency-Key (types `validation-failed`, `idempotency-key-missing`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such order (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "More units or money than a line has left (type `refund-exceeds-balance`), an order "
            + "that is not paid or has nothing captured (type `not-refundable`), or the first request with this key still running "
            + "(type `idempotency-key-in-progress`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was used with a different request (type `idempotency-key-reused`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> refundPart(@PathParam("orderId") UUID orderId,
            @Parameter(in = ParameterIn.HEADER, required = true, description = Idempotency.HEADER_DOC) @HeaderParam(Idempotency.HEADER) String key,
            @Valid @NotNull PartialRefundRequest request) {
        Actor actor = actor();
        return idempotency.runRecoverable(scope(actor), key, idempotency.fingerprint("POST", "/v1/admin/orders/" + orderId + "/refunds", request),
                claim -> orders.refundPart(orderId, request, actor, claim).map(p -> Stored.created("/v1/admin/refunds/" + p.id(), p.document())),
                // the refund was committed by an attempt that failed afterwards: it is the answer
                made -> refunds.attempt(UUID.fromString(made)).chain(() -> refunds.document(UUID.fromString(made)))
                        .map(doc -> Stored.created("/v1/admin/refunds/" + made, doc)));
    }

    static String scope(Actor actor) {
        return "account:" + actor.id();
    }

    Actor actor() {
        return Actor.staff(jwt);
    }

}
