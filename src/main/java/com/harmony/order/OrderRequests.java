package com.harmony.order;

import com.harmony.platform.PostalAddress;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What clients send to the order feature. Unknown fields (a card number, say) are refused by the JSON reader. */
public final class OrderRequests {

    static final String POSTAL_CODE = com.harmony.platform.PostalAddress.POSTAL_CODE;

    private OrderRequests() {
    }

    @Schema(name = "PlaceOrderRequest", description = "Checkout. Exactly one of shipping_address_id and shipping_address. "
            + "The card itself is entered in the payment provider's form, which gives the client the payment_token.",
            examples = "{\"cart_id\": \"3f2c1b9e-8d4a-4c1e-9f0a-2b7c6d5e4f31\", \"shipping_address\": {\"name\": \"Ada Lovelace\", \"line1\": \"12 Analytical Way\", \"city\": \"Springfield\", \"region\": \"IL\", \"postal_code\": \"62701\", \"country\": \"US\", \"phone\": \"+1 217 555 0100\"}, \"billing_postal_code\": \"62701\", \"payment_token\": \"tok_visa\", \"email\": \"ada@example.com\"}")
    public record PlaceOrderRequest(
            @NotNull @Schema(description = "The account cart, or a guest cart whose token is sent in X-Cart-Token or its cookie") UUID cartId,
            @Schema(description = "An address from my address book") UUID shippingAddressId,
            @Valid @Schema(description = "A new address for this order only") PostalAddress shippingAddress,
            @NotBlank @Size(max = 20) @Pattern(regexp = POSTAL_CODE, message = "must be a postal code") @com.harmony.platform.NoCardNumber @Schema(description = "The card's billing postal code (P8)", examples = "62701") String billingPostalCode,
            @NotBlank @Size(max = 100) @Pattern(regexp = "^[A-Za-z0-9_]+$", message = "must be a provider token") @Schema(description = "Token from the payment provider", examples = "tok_visa") String paymentToken,
            @Email @Size(max = 320) @Schema(description = "Contact email for the order; required when the access token carries no email claim", examples = "ada@example.com") String email) {
    }

    @Schema(name = "OrderTransitionRequest", description = "Moves an order to another status (support, admin)",
            examples = "{\"to\": \"fulfilled\", \"note\": \"Packed at the warehouse\"}")
    public record TransitionRequest(
            @NotNull OrderStatus to,
            @Size(max = 500) String note) {
    }

    @Schema(name = "ReturnLineInput")
    public record ReturnLineInput(
            @NotNull @Min(1) @Max(1000) @Schema(description = "line_no of the order line", examples = "1") Integer lineNo,
            @NotNull @Min(1) @Max(99) @Schema(examples = "1") Integer quantity) {
    }

    @Schema(name = "ReturnRequest", description = "Asks to return lines of a delivered order, for a refund or an exchange")
    public record ReturnRequest(
            @NotNull @Size(min = 1, max = 100) List<@NotNull @Valid ReturnLineInput> lines,
            @NotNull @Schema(enumeration = {"refund", "exchange"}) Resolution resolution,
            @Size(max = 1000) String reason) {
    }

    @Schema(name = "GuestReturnRequest", description = "A return request by someone not signed in, who proves they bought the "
            + "order with its number, the email on the order and the billing postal code")
    public record GuestReturnRequest(
            @NotBlank @Size(max = 20) @Schema(examples = "HC-7Q2M9K4TXB") String orderNumber,
            @NotBlank @Email @Size(max = 320) String email,
            @NotBlank @Size(max = 20) @Pattern(regexp = POSTAL_CODE, message = "must be a postal code") @com.harmony.platform.NoCardNumber String postalCode,
            @NotNull @Size(min = 1, max = 100) List<@NotNull @Valid ReturnLineInput> lines,
            @NotNull @Schema(enumeration = {"refund", "exchange"}) Resolution resolution,
            @Size(max = 1000) String reason) {

        ReturnRequest toReturn() {
            return new ReturnRequest(lines, resolution, reason);
        }
    }

    public enum Resolution { refund, exchange }

    @Schema(name = "RefundLineInput", description = "Units and/or money to refund from one line; the amount defaults to the units' price")
    public record RefundLineInput(
            @NotNull @Min(1) @Max(1000) @Schema(description = "line_no of the order line", examples = "1") Integer lineNo,
            @NotNull @Min(0) @Max(99) @Schema(description = "Units refunded (they can no longer be returned); 0 for money only", examples = "1") Integer quantity,
            @Min(1) @Max(100_000_000_000L) @Schema(description = "Minor units to refund; at most what the line has left", examples = "500") Long amountMinor) {
    }

    @Schema(name = "PartialRefundRequest", description = "Refunds part of a paid order without a return (damaged goods, a goodwill gesture)")
    public record PartialRefundRequest(
            @NotNull @Size(min = 1, max = 100) List<@NotNull @Valid RefundLineInput> lines,
            @Size(max = 500) @Schema(examples = "arrived damaged") String note) {
    }

    @Schema(name = "ReturnDecisionRequest")
    public record ReturnDecisionRequest(@Size(max = 1000) String note) {
    }
}
