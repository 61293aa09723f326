package com.harmony.cart;

import com.harmony.cart.CartRequests.AddCartItemRequest;
import com.harmony.cart.CartRequests.SetQuantityRequest;
import com.harmony.cart.CartService.Guest;
import com.harmony.cart.CartViews.CartView;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.harmony.platform.Cookies;
import com.harmony.platform.CsrfFilter;
import com.harmony.platform.Idempotency;
import com.harmony.platform.Idempotency.Stored;
import com.harmony.platform.Problem;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Guest carts (P4, P22): anyone may create one. Its id is not a secret; the token is: browsers hold it
 * in the harmony_cart session cookie, apps send it in X-Cart-Token. A wrong or missing token is a 404.
 */
@Path("/v1/carts")
@Tag(name = "Carts")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
public class CartResource {

    static final String TOKEN_DOC = "The guest cart token (apps); browsers send the harmony_cart cookie instead";
    static final String IF_MATCH_DOC = "The cart's ETag as received (\"<version>-<digest>\"); its version is compared: a write over a cart "
            + "changed since is refused with 412 instead of overwriting, as is a weak (W/) tag. A price or stock change alone is no conflict";

    private final CartService carts;
    private final Cookies cookies;
    private final CsrfFilter csrf;
    private final Idempotency idempotency;
    private final ObjectMapper json;

    CartResource(CartService carts, Cookies cookies, CsrfFilter csrf, Idempotency idempotency, ObjectMapper json) {
        this.carts = carts;
        this.cookies = cookies;
        this.csrf = csrf;
        this.idempotency = idempotency;
        this.json = json;
    }

    @POST
    @Operation(operationId = "createCart", summary = "Create a guest cart",
            description = "Answers the cart with its token (only this once) and sets the harmony_cart session cookie "
                    + "(HttpOnly) and, unless the browser is signed in, the harmony_csrf cookie bound to this cart, which "
                    + "cookie-carrying writes must echo in X-CSRF-Token; the same token is in the X-CSRF-Token response header "
                    + "for pages on another site, which cannot read the API's cookies.")
    @APIResponse(responseCode = "201", description = "The new, empty cart",
            headers = {@Header(name = "Location", description = "The cart's URL"),
                    @Header(name = "ETag", description = "The cart's version and a digest of its prices and stock now"),
                    @Header(name = "Set-Cookie", description = "harmony_cart (and harmony_csrf unless signed in)"),
                    @Header(name = Cookies.CSRF_HEADER, description = "Unless signed in: the CSRF token of this cart (the harmony_csrf cookie's value)"),
                    @Header(name = Idempotency.REPLAYED, description = "true when this is the stored answer to an earlier request with the same key")},
            content = @Content(schema = @Schema(implementation = CartView.class)))
    @APIResponse(responseCode = "409", description = "The first request with this key is still running (type `idempotency-key-in-progress`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was used with a different request (type `idempotency-key-reused`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> create(@Context HttpServerRequest request,
            @Parameter(in = ParameterIn.HEADER, description = Idempotency.OPTIONAL_HEADER_DOC + " A retry with the key answers "
                    + "the same cart (and sets its cookie again) instead of making a second one.") @HeaderParam(Idempotency.HEADER) String key) {
        boolean signedIn = CsrfFilter.signedIn(request);
        return idempotency.runOptional("guest-cart", key, idempotency.fingerprint("POST", "/v1/carts", ""), this::newCart)
                .map(stored -> signedIn ? stored : withCartCsrfCookie(stored));
    }

    /** A browser without a session gets the CSRF token of this cart (a signed-in one keeps its session's). */
    private RestResponse<String> withCartCsrfCookie(RestResponse<String> stored) {
        try {
            String cartToken = json.readTree(stored.getEntity()).path("token").asText();
            String csrfToken = csrf.cartToken(cartToken);
            // the header tells a page on another site, which cannot read this API's cookies, the same token
            return RestResponse.ResponseBuilder.fromResponse(stored)
                    .header("Set-Cookie", cookies.header(cookies.csrf(csrfToken, null))).header(Cookies.CSRF_HEADER, csrfToken).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The response to store for replay: it holds the cart's token, as the first answer did. */
    private Uni<Stored> newCart() {
        return carts.createGuestCart().map(cart -> {
            try {
                return new Stored(201, json.writeValueAsString(cart), Map.of("Location", "/v1/carts/" + cart.id(),
                        HttpHeaders.ETAG, CartHttp.etag(cart), "Set-Cookie", cookies.header(cookies.httpOnly(Cookies.CART, cart.token(), null))));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @GET
    @Path("/{cartId}")
    @Operation(operationId = "getCart", summary = "Get a guest cart, priced from the catalog now")
    @APIResponse(responseCode = "200", description = "The cart", headers = @Header(name = "ETag", description = "The cart's version and a digest of its prices and stock now"),
            content = @Content(schema = @Schema(implementation = CartView.class)))
    @APIResponse(responseCode = "304", description = "Unchanged since the ETag sent in If-None-Match")
    @APIResponse(responseCode = "404", description = "No such cart, expired, or wrong token (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<CartView>> get(@PathParam("cartId") UUID cartId,
            @Parameter(in = ParameterIn.HEADER, description = TOKEN_DOC) @HeaderParam(CartService.TOKEN_HEADER) String header,
            @CookieParam(Cookies.CART) String cookie,
            @Parameter(in = ParameterIn.HEADER, description = "An ETag you hold") @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return carts.cart(guest(cartId, header, cookie)).map(c -> CartHttp.read(c, ifNoneMatch));
    }

    @POST
    @Path("/{cartId}/items")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "addCartItem", summary = "Add units of a variant to a guest cart")
    @CartWriteResponses
    public Uni<RestResponse<CartView>> add(@PathParam("cartId") UUID cartId,
            @Parameter(in = ParameterIn.HEADER, description = TOKEN_DOC) @HeaderParam(CartService.TOKEN_HEADER) String header,
            @CookieParam(Cookies.CART) String cookie,
            @Parameter(in = ParameterIn.HEADER, description = IF_MATCH_DOC) @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @Valid @NotNull AddCartItemRequest request) {
        return carts.addItem(guest(cartId, header, cookie), CartHttp.ifMatch(ifMatch), request.variantId(), request.quantity())
                .map(CartHttp::ok);
    }

    @PATCH
    @Path("/{cartId}/items/{variantId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "setCartItemQuantity", summary = "Change the quantity of a line in a guest cart")
    @CartWriteResponses
    public Uni<RestResponse<CartView>> setQuantity(@PathParam("cartId") UUID cartId, @PathParam("variantId") UUID variantId,
            @Parameter(in = ParameterIn.HEADER, description = TOKEN_DOC) @HeaderParam(CartService.TOKEN_HEADER) String header,
            @CookieParam(Cookies.CART) String cookie,
            @Parameter(in = ParameterIn.HEADER, description = IF_MATCH_DOC) @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @Valid @NotNull SetQuantityRequest request) {
        return carts.setQuantity(guest(cartId, header, cookie), CartHttp.ifMatch(ifMatch), variantId, request.quantity())
                .map(CartHttp::ok);
    }

    @DELETE
    @Path("/{cartId}/items/{variantId}")
    @Operation(operationId = "removeCartItem", summary = "Remove a line from a guest cart")
    @CartWriteResponses
    public Uni<RestResponse<CartView>> remove(@PathParam("cartId") UUID cartId, @PathParam("variantId") UUID variantId,
            @Parameter(in = ParameterIn.HEADER, description = TOKEN_DOC) @HeaderParam(CartService.TOKEN_HEADER) String header,
            @CookieParam(Cookies.CART) String cookie,
            @Parameter(in = ParameterIn.HEADER, description = IF_MATCH_DOC) @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        return carts.removeItem(guest(cartId, header, cookie), CartHttp.ifMatch(ifMatch), variantId).map(CartHttp::ok);
    }

    @DELETE
    @Path("/{cartId}/items")
    @Operation(operationId = "clearCart", summary = "Remove every line from a guest cart")
    @CartWriteResponses
    public Uni<RestResponse<CartView>> clear(@PathParam("cartId") UUID cartId,
            @Parameter(in = ParameterIn.HEADER, description = TOKEN_DOC) @HeaderParam(CartService.TOKEN_HEADER) String header,
            @CookieParam(Cookies.CART) String cookie,
            @Parameter(in = ParameterIn.HEADER, description = IF_MATCH_DOC) @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        return carts.clear(guest(cartId, header, cookie), CartHttp.ifMatch(ifMatch)).map(CartHttp::ok);
    }

    /** The header wins over the cookie: an app that also runs in a web view means the token it sent. */
    static Guest guest(UUID cartId, String header, String cookie) {
        return new Guest(cartId, header != null && !header.isBlank() ? header : cookie);
    }
}
