package com.harmony.order;

import com.harmony.platform.Money;
import com.harmony.platform.PostalAddress;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The shapes orders and returns answer with. The JSON is built by PostgreSQL (OrderSql); these records
 * are its contract in the OpenAPI document.
 */
public final class OrderViews {

    private OrderViews() {
    }

    @Schema(name = "OrderLine", description = "A line as sold: the catalog data is a snapshot taken at checkout")
    public record OrderLineView(int lineNo, String variantId, String sku, String title, String productTitle, Money unitPrice,
            int quantity, Money lineTotal, @Schema(description = "Units under return or returned") int returnedQuantity) {
    }

    @Schema(name = "OrderPayment", description = "What is kept about the card (P8): never its number or security code")
    public record PaymentView(
            @Schema(examples = "visa") String brand,
            @Schema(examples = "4242") String last4,
            @Schema(examples = "12") Integer expMonth,
            @Schema(examples = "2034") Integer expYear,
            @Schema(enumeration = {"none", "authorised", "captured", "released", "refunded", "partially_refunded"}) String status) {
    }

    @Schema(name = "Order")
    public record OrderView(
            String id,
            @Schema(description = "The number the buyer quotes", examples = "HC-7Q2M9K4TXB") String number,
            OrderStatus status,
            @Schema(description = "Contact email given at checkout") String email,
            List<OrderLineView> lines,
            Money subtotal,
            Money total,
            Money refunded,
            PostalAddress shippingAddress,
            @Schema(description = "Billing postal code (P8)") String billingPostalCode,
            PaymentView payment,
            @Schema(nullable = true, description = "For a replacement order: the order it replaces") String exchangeOf,
            @Schema(description = "Statuses this order may move to next") List<OrderStatus> allowedTransitions,
            int version,
            String createdAt,
            String updatedAt) {
    }

    @Schema(name = "OrderSummary", description = "An order in a listing")
    public record OrderSummary(String id, String number, OrderStatus status, Money total, int itemCount, String createdAt) {
    }

    @Schema(name = "OrderPage", description = "One page of orders, newest first; pass next_cursor as cursor for the next")
    public record OrderPage(List<OrderSummary> data, boolean hasMore, @Schema(nullable = true) String nextCursor) {
    }

    @Schema(name = "ReturnLine")
    public record ReturnLineView(int lineNo, String sku, int quantity, Money amount) {
    }

    @Schema(name = "Return", description = "A return request and how it was resolved")
    public record ReturnView(
            String id,
            String orderId,
            String orderNumber,
            @Schema(enumeration = {"requested", "processing", "rejected", "refunded", "exchanged"}) String status,
            @Schema(enumeration = {"refund", "exchange"}) String resolution,
            String reason,
            List<ReturnLineView> lines,
            @Schema(nullable = true, description = "Refunded amount, once refunded") Money refund,
            @Schema(nullable = true, description = "The replacement order, once exchanged") String exchangeOrderId,
            @Schema(nullable = true) String decisionNote,
            String createdAt,
            @Schema(nullable = true) String decidedAt) {
    }

    @Schema(name = "ReturnPage")
    public record ReturnPage(List<ReturnView> data, boolean hasMore, @Schema(nullable = true) String nextCursor) {
    }
}
