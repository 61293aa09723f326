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
            int quantity, Money lineTotal,
            @Schema(description = "Units under a return request, returned, or refunded without a return") int returnedQuantity,
            @Schema(description = "Units that can still be asked back in a return") int returnableQuantity,
            @Schema(description = "Units replaced by approved exchanges") int exchangedQuantity,
            @Schema(description = "Money committed to refunds against this line, settled or pending") Money refunded,
            @Schema(description = "What this line can still pay back: its total, minus refunds, minus the value of replaced units") Money refundable) {
    }

    @Schema(name = "OrderPayment", description = "What is kept about the card (P8): never its number or security code")
    public record PaymentView(
            @Schema(nullable = true, description = "null when no card was charged", examples = "visa") String brand,
            @Schema(nullable = true, examples = "4242") String last4,
            @Schema(nullable = true, examples = "12") Integer expMonth,
            @Schema(nullable = true, examples = "2034") Integer expYear,
            @Schema(description = "refund_pending: a refund is recorded and waits for the provider's confirmation (it is retried)",
                    enumeration = {"none", "authorised", "captured", "released", "refund_pending", "partially_refunded", "refunded"}) String status) {
    }

    @Schema(name = "OrderRefund", description = "Money going back to the buyer; pending until the payment provider confirms it")
    public record OrderRefundView(String id, Money amount,
            @Schema(enumeration = {"pending", "succeeded"}) String status,
            @Schema(enumeration = {"cancel", "full_refund", "partial_refund", "return", "late_capture"}) String reason,
            @Schema(nullable = true) String returnId,
            @Schema(description = "Provider calls so far") int attempts,
            String createdAt,
            @Schema(nullable = true) String completedAt) {
    }

    @Schema(name = "Refund", description = "A refund (or the release of an unpaid authorisation) as support sees it")
    public record RefundView(String id, String orderId, String orderNumber,
            @Schema(enumeration = {"refund", "release"}) String kind,
            @Schema(enumeration = {"cancel", "full_refund", "partial_refund", "return", "late_capture"}) String reason,
            Money amount,
            @Schema(description = "pending until the provider confirms; superseded: a release made moot by a late capture",
                    enumeration = {"pending", "succeeded", "superseded"}) String status,
            @Schema(nullable = true) String returnId,
            @Schema(description = "Provider calls so far") int attempts,
            @Schema(nullable = true, description = "Why the last provider call failed") String lastError,
            @Schema(nullable = true, description = "When the next automatic attempt is due (pending only)") String nextAttemptAt,
            @Schema(nullable = true) String note,
            String createdAt,
            @Schema(nullable = true) String completedAt) {
    }

    @Schema(name = "RefundPage")
    public record RefundPage(List<RefundView> data, boolean hasMore, @Schema(nullable = true) String nextCursor) {
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
            @Schema(description = "Money the provider has paid back") Money refunded,
            @Schema(description = "Money recorded for refund and waiting for the provider's confirmation") Money refundPending,
            @Schema(description = "Every refund of this order, oldest first") List<OrderRefundView> refunds,
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
            @Schema(enumeration = {"requested", "rejected", "refund_pending", "refunded", "exchanged"}) String status,
            @Schema(enumeration = {"refund", "exchange"}) String resolution,
            String reason,
            List<ReturnLineView> lines,
            @Schema(nullable = true, description = "Refunded amount, once refunded") Money refund,
            @Schema(nullable = true, description = "The replacement order, once exchanged") String exchangeOrderId,
            @Schema(nullable = true) String decisionNote,
            @Schema(nullable = true, description = "When support recorded the goods as received back") String receivedAt,
            String createdAt,
            @Schema(nullable = true) String decidedAt) {
    }

    @Schema(name = "ReturnPage")
    public record ReturnPage(List<ReturnView> data, boolean hasMore, @Schema(nullable = true) String nextCursor) {
    }
}
