package com.harmony.order;

import com.harmony.order.OrderRequests.TransitionRequest;
import com.harmony.order.OrderService.Actor;
import com.harmony.order.OrderViews.OrderPage;
import com.harmony.order.OrderViews.OrderView;
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
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
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
    private final JsonWebToken jwt;

    AdminOrderResource(OrderService orders, JsonWebToken jwt) {
        this.orders = orders;
        this.jwt = jwt;
    }

    @GET
    @Operation(operationId = "adminSearchOrders", summary = "Search orders, newest first")
    @APIResponse(responseCode = "200", description = "A page of orders", content = @Content(schema = @Schema(implementation = OrderPage.class)))
    public Uni<RestResponse<String>> search(
            @Parameter(description = "Only this account's orders") @QueryParam("account_id") String accountId,
            @Parameter(description = "Only orders in this status", schema = @Schema(implementation = OrderStatus.class)) @QueryParam("status") String status,
            @Parameter(description = "Contact email, case-insensitive exact match") @QueryParam("email") String email,
            @Parameter(description = "Order number") @QueryParam("number") String number,
            @Parameter(description = "Created at or after (RFC 3339)") @QueryParam("created_from") String createdFrom,
            @Parameter(description = "Created before (RFC 3339)") @QueryParam("created_to") String createdTo,
            @Parameter(description = "Page size, 1 to 100", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("limit") String limit,
            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor,
            HttpHeaders headers) {
        OrderListing listing = OrderListing.search(uuid("account_id", accountId),
                QueryParams.optionalEnum("status", status, OrderStatus.class),
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
                    + "shipped → delivered; delivered → refunded. Cancelling returns the stock and releases or refunds the payment; "
                    + "refunded refunds what is left. Each move happens once (compare-and-set on the status), so a repeated "
                    + "request is a 409, never a second refund.")
    @APIResponse(responseCode = "200", description = "The order as it now stands", content = @Content(schema = @Schema(implementation = OrderView.class)))
    @APIResponse(responseCode = "404", description = "No such order (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Not allowed from the current status (type `illegal-transition`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "502", description = "The payment provider failed (type `payment-provider-error`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> move(@PathParam("orderId") UUID orderId, @Valid @NotNull TransitionRequest request) {
        return orders.transition(orderId, request.to(), actor(), request.note());
    }

    private Actor actor() {
        return new Actor(UUID.fromString(jwt.getSubject()), jwt.getGroups().contains("admin") ? "admin" : "support");
    }

    static UUID uuid(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(value.trim());
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(name, "must be a UUID");
        }
    }
}
