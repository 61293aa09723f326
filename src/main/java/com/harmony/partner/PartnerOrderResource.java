package com.harmony.partner;

import com.harmony.order.OrderService;
import com.harmony.platform.ETags;
import com.harmony.platform.QueryParams;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
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
import org.jboss.resteasy.reactive.RestResponse;

/** Orders for partner systems (scope orders:read), minimised to what fulfilment and reconciliation need (P19). */
@Path("/v1/partner/orders")
@Tag(name = "Partner API")
@Produces(MediaType.APPLICATION_JSON)
public class PartnerOrderResource {

    private final OrderService orders;

    PartnerOrderResource(OrderService orders) {
        this.orders = orders;
    }

    @Schema(name = "PartnerMoney")
    public record Money(@Schema(examples = "4999") long amountMinor, @Schema(examples = "USD") String currency) {
    }

    @Schema(name = "PartnerOrderLine")
    public record Line(@Schema(examples = "TEE-BLK-M") String sku, @Schema(examples = "2") int quantity,
            @Schema(examples = "0", description = "Units under a return request, returned, or refunded without a return") int returnedQuantity, @Schema(examples = "1999") long unitPriceMinor) {
    }

    @Schema(name = "PartnerOrder", description = "An order without the buyer's name, email, address, phone, account or card (P19)")
    public record Order(@Schema(examples = "0f8fad5b-d9cb-469f-a165-70867728950e") String id, @Schema(examples = "H-7K3M9Q") String number,
            @Schema(enumeration = {"placed", "paid", "fulfilled", "shipped", "delivered", "cancelled", "refunding", "refunded"}) String status,
            @Schema(examples = "captured") String paymentStatus, Money total, Money refunded,
            @Schema(description = "ISO 3166-1 country the order ships to", examples = "US") String shipCountry, List<Line> lines,
            @Schema(examples = "2026-12-01T10:00:00Z") String createdAt, @Schema(examples = "2026-12-01T12:30:00Z") String updatedAt) {
    }

    @Schema(name = "PartnerOrderPage")
    public record OrderPage(List<Order> data, boolean hasMore, @Schema(nullable = true) String nextCursor) {
    }

    @GET
    @RolesAllowed(PartnerScopes.ORDERS_READ)
    @SecurityRequirement(name = OAuthTokenResource.SCHEME, scopes = PartnerScopes.ORDERS_READ)
    @Operation(operationId = "listPartnerOrders", summary = "List orders, newest first (partner, orders:read)",
            description = "Only what a partner needs: ids, statuses, amounts, SKUs and quantities and the destination country.")
    @APIResponse(responseCode = "200", description = "A page of orders", content = @Content(schema = @Schema(implementation = OrderPage.class)))
    public Uni<RestResponse<String>> list(
            @Parameter(description = "Only orders in this status") @QueryParam("status") String status,
            @Parameter(description = "Page size, 1 to 100", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20"))
            @QueryParam("limit") String limit,
            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor,
            HttpHeaders headers) {
        return orders.partnerOrders(QueryParams.optionalText("status", status, 20), QueryParams.intOr("limit", limit, 20, 1, 100),
                        QueryParams.optionalText("cursor", cursor, 500))
                .map(body -> ETags.ok(headers, body));
    }
}
