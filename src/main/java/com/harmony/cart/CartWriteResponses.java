package com.harmony.cart;

import com.harmony.cart.CartViews.CartView;
import com.harmony.platform.Problem;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** The outcomes every cart write documents. */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@APIResponse(responseCode = "200", description = "The cart as it now stands", headers = @Header(name = "ETag", description = "The cart's new ETag: its version and a digest of its prices and stock"),
        content = @Content(schema = @Schema(implementation = CartView.class)))
@APIResponse(responseCode = "404", description = "No such cart (or wrong token) or no such line (type `not-found`)",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "409", description = "The variant is priced in another currency than the cart (type `cart-currency-mismatch`)",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "412", description = "If-Match names an older version of the cart (type `precondition-failed`)",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "422", description = "Unknown or archived variant, or quantity above the limit (types `variant-unavailable`, `quantity-limit`)",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@interface CartWriteResponses {
}
