package com.harmony.cart;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What clients send to change a cart; prices are never accepted, they come from the catalog. */
public final class CartRequests {

    private CartRequests() {
    }

    @Schema(name = "AddCartItemRequest", description = "Adds units of a variant; a variant already in the cart has its quantity increased")
    public record AddCartItemRequest(
            @NotNull @Schema(description = "Id of an active catalog variant") UUID variantId,
            @NotNull @Min(1) @Max(CartService.MAX_QUANTITY) @Schema(examples = "2") Integer quantity) {
    }

    @Schema(name = "SetCartItemQuantityRequest", description = "The new quantity of a line (remove a line with DELETE)")
    public record SetQuantityRequest(
            @NotNull @Min(1) @Max(CartService.MAX_QUANTITY) @Schema(examples = "3") Integer quantity) {
    }
}
