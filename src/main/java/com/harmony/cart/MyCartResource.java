package com.harmony.cart;

import com.harmony.cart.CartRequests.AddCartItemRequest;
import com.harmony.cart.CartRequests.SetQuantityRequest;
import com.harmony.cart.CartService.Account;
import com.harmony.cart.CartViews.CartView;
import com.harmony.platform.ApiDocs;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The signed-in customer's own cart: one per account, created on first use, reached through the
 * access token alone. At sign-in a guest cart merges into it (same variant: quantities add up, capped at 99).
 */
@Path("/v1/me/cart")
@Tag(name = "Carts")
@RolesAllowed("customer")
@SecurityRequirement(name = ApiDocs.BEARER)
@Produces(MediaType.APPLICATION_JSON)
public class MyCartResource {

    private final CartService carts;
    private final JsonWebToken jwt;

    MyCartResource(CartService carts, JsonWebToken jwt) {
        this.carts = carts;
        this.jwt = jwt;
    }

    @GET
    @Operation(operationId = "getMyCart", summary = "Get my account cart (created empty on first use)",
            description = "At sign-in the guest cart the client held is merged into this cart: a variant present in both "
                    + "gets the sum of the quantities (capped at 99), other lines are moved, oldest first, while the cart has room (100 lines: the rest are not kept), and the guest cart is deleted.")
    @APIResponse(responseCode = "200", description = "The cart", headers = @Header(name = "ETag", description = "The cart's version and a digest of its prices and stock now"),
            content = @Content(schema = @Schema(implementation = CartView.class)))
    @APIResponse(responseCode = "304", description = "Unchanged since the ETag sent in If-None-Match")
    public Uni<RestResponse<CartView>> get(
            @Parameter(in = ParameterIn.HEADER, description = "An ETag you hold") @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return carts.cart(me()).map(c -> CartHttp.read(c, ifNoneMatch));
    }

    @POST
    @Path("/items")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "addMyCartItem", summary = "Add units of a variant to my cart")
    @CartWriteResponses
    public Uni<RestResponse<CartView>> add(
            @Parameter(in = ParameterIn.HEADER, description = CartResource.IF_MATCH_DOC) @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @Valid @NotNull AddCartItemRequest request) {
        return carts.addItem(me(), CartHttp.ifMatch(ifMatch), request.variantId(), request.quantity()).map(CartHttp::ok);
    }

    @PATCH
    @Path("/items/{variantId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "setMyCartItemQuantity", summary = "Change the quantity of a line in my cart")
    @CartWriteResponses
    public Uni<RestResponse<CartView>> setQuantity(@PathParam("variantId") UUID variantId,
            @Parameter(in = ParameterIn.HEADER, description = CartResource.IF_MATCH_DOC) @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @Valid @NotNull SetQuantityRequest request) {
        return carts.setQuantity(me(), CartHttp.ifMatch(ifMatch), variantId, request.quantity()).map(CartHttp::ok);
    }

    @DELETE
    @Path("/items/{variantId}")
    @Operation(operationId = "removeMyCartItem", summary = "Remove a line from my cart")
    @CartWriteResponses
    public Uni<RestResponse<CartView>> remove(@PathParam("variantId") UUID variantId,
            @Parameter(in = ParameterIn.HEADER, description = CartResource.IF_MATCH_DOC) @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        return carts.removeItem(me(), CartHttp.ifMatch(ifMatch), variantId).map(CartHttp::ok);
    }

    @DELETE
    @Path("/items")
    @Operation(operationId = "clearMyCart", summary = "Remove every line from my cart")
    @CartWriteResponses
    public Uni<RestResponse<CartView>> clear(
            @Parameter(in = ParameterIn.HEADER, description = CartResource.IF_MATCH_DOC) @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        return carts.clear(me(), CartHttp.ifMatch(ifMatch)).map(CartHttp::ok);
    }

    private Account me() {
        return new Account(UUID.fromString(jwt.getSubject()));
    }
}
