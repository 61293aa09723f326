package com.harmony.cart;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.harmony.platform.Money;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The shapes the cart answers with; every amount is computed on the server from the catalog. */
public final class CartViews {

    private CartViews() {
    }

    @Schema(name = "CartLine", description = "One variant in a cart, priced from the catalog now")
    public record CartLineView(
            UUID variantId,
            @Schema(nullable = true, examples = "TEE-ORG-M-BLK") String sku,
            @Schema(nullable = true) String title,
            @Schema(nullable = true) String productTitle,
            @Schema(examples = "2") int quantity,
            @Schema(nullable = true) Money unitPrice,
            @Schema(nullable = true, description = "unit price × quantity; null when the variant can no longer be bought") Money lineTotal,
            @Schema(description = "False when the variant was archived or removed since it was added, or is now priced in another currency than the cart's first line (its prices are shown, but not in the subtotal); such lines block checkout") boolean available,
            @Schema(description = "True when the quantity exceeds the units on hand") boolean stockWarning,
            @Schema(nullable = true, description = "Units on hand, given only with a stock warning") Integer availableQuantity) {
    }

    @Schema(name = "Cart", description = "A cart. Its ETag is \"<version>-<digest>\": it changes with every write and with any change of the "
            + "prices, availability or stock the cart shows; send it as If-Match on writes (its version is compared).",
            requiredProperties = {"id", "owner", "version", "lines", "item_count", "stock_warning", "has_unavailable_items", "expires_at"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CartView(
            UUID id,
            @Schema(enumeration = {"guest", "account"}) String owner,
            @Schema(description = "Incremented on every change") int version,
            List<CartLineView> lines,
            @Schema(description = "Total units over the lines") int itemCount,
            @Schema(description = "Sum of the available lines; absent while the cart is empty") Money subtotal,
            @Schema(description = "True when any line exceeds the stock on hand") boolean stockWarning,
            boolean hasUnavailableItems,
            @Schema(description = "When the cart is purged unless changed before (RFC 3339, UTC)") String expiresAt,
            @Schema(description = "The guest cart token, only in the response that created the cart: mobile apps send it "
                    + "back in X-Cart-Token; browsers get it in the harmony_cart cookie") String token) {

        CartView withToken(String t) {
            return new CartView(id, owner, version, lines, itemCount, subtotal, stockWarning, hasUnavailableItems, expiresAt, t);
        }
    }
}
