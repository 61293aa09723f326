package com.harmony.order;

import com.harmony.cart.CartService;
import com.harmony.order.OrderRequests.PlaceOrderRequest;
import com.harmony.order.OrderViews.OrderPage;
import com.harmony.order.OrderViews.OrderView;
import com.harmony.platform.ApiDocs;
import com.harmony.platform.ClientAddress;
import com.harmony.platform.Cookies;
import com.harmony.platform.ETags;
import com.harmony.platform.Idempotency;
import com.harmony.platform.Idempotency.Stored;
import com.harmony.platform.Problem;
import com.harmony.platform.QueryParams;
import com.harmony.platform.ReferralAttribution;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.json.JsonString;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** The signed-in customer's orders (P4: purchasing needs an account): checkout, history, cancel, returns. */
@Path("/v1/me/orders")
@Tag(name = "Orders")
@RolesAllowed("customer")
@SecurityRequirement(name = ApiDocs.BEARER)
@Produces(MediaType.APPLICATION_JSON)
public class OrderResource {

    private final OrderService orders;
    private final Idempotency idempotency;
    private final ReturnService returns;
    private final JsonWebToken jwt;
    private final ClientAddress clients;

    OrderResource(OrderService orders, ReturnService returns, Idempotency idempotency, JsonWebToken jwt, ClientAddress clients) {
        this.clients = clients;
        this.orders = orders;
        this.returns = returns;
        this.idempotency = idempotency;
        this.jwt = jwt;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "placeOrder", summary = "Check out a cart: pay and place the order",
            description = "Prices come from the catalog, never from the request. The payment is authorised (its intent recorded first, "
                    + "so an authorisation no order took over is voided at the provider), then stock is "
                    + "reserved and the order written in one transaction, then the payment is captured and the order is paid. "
                    + "Send a new Idempotency-Key per checkout; a retry with it replays the first answer.")
    @APIResponse(responseCode = "201", description = "The order, paid; or placed when the provider could not capture the payment: "
            + "a worker captures it again and marks the order paid, or cancels it (stock back, authorisation released) after ORDERS_CAPTURE_GIVE_UP_AFTER (7 days)",
            headers = {@Header(name = "Location", description = "The order's URL"),
                    @Header(name = Idempotency.REPLAYED, description = "true when this is the stored answer to an earlier request with the same key")},
            content = @Content(schema = @Schema(implementation = OrderView.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields, a shipping_address_id that is not mine, an unknown payment token, "
            + "a cart that is not mine, or no Idempotency-Key (types `validation-failed`, `malformed-request`, `idempotency-key-missing`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "402", description = "The card was declined (type `payment-declined`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Empty cart, unavailable items, lines in two currencies, not enough stock, cart or prices "
            + "changed meanwhile, or the first request with this key still running (types `cart-empty`, `cart-has-unavailable-items`, "
            + "`cart-currency-mismatch`, `insufficient-stock`, `cart-changed`, `price-changed`, `idempotency-key-in-progress`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was used with a different request (type `idempotency-key-reused`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "502", description = "The payment provider failed or did not answer in time; nothing was charged, and an "
            + "authorisation it may have made is voided within ORDERS_AUTHORISATION_VOID_AFTER (type `payment-provider-error`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> place(
            @Parameter(in = ParameterIn.HEADER, required = true, description = Idempotency.HEADER_DOC) @HeaderParam(Idempotency.HEADER) String key,
            @Parameter(in = ParameterIn.HEADER, description = "A guest cart's token, to check out that cart") @HeaderParam(CartService.TOKEN_HEADER) String cartToken,
            @CookieParam(Cookies.CART) String cartCookie,
            @Parameter(in = ParameterIn.HEADER, description = "Apps: the referral value from POST /v1/referrals, when the buyer came "
                    + "through an affiliate link (browsers send the harmony_affiliate cookie)") @HeaderParam(ReferralAttribution.HEADER) String referralHeader,
            @Valid @NotNull PlaceOrderRequest request, io.vertx.core.http.HttpServerRequest http) {
        UUID me = me();
        String token = cartToken != null && !cartToken.isBlank() ? cartToken : cartCookie;
        ReferralAttribution.Referral referral = ReferralAttribution.Referral.of(http, clients.of(http));
        return idempotency.runRecoverable(scope(me), key, idempotency.fingerprint("POST", "/v1/me/orders", request),
                claim -> orders.placeOrder(me, emailClaim(), token, request, referral, claim)
                        .map(p -> Stored.created("/v1/me/orders/" + p.id(), p.document())),
                // the order was committed by an attempt that failed afterwards: it is the answer
                made -> orders.ownOrder(UUID.fromString(made), me).map(doc -> Stored.created("/v1/me/orders/" + made, doc)));
    }

    @GET
    @Operation(operationId = "listMyOrders", summary = "My order history, newest first")
    @APIResponse(responseCode = "200", description = "A page of my orders", content = @Content(schema = @Schema(implementation = OrderPage.class)))
    public Uni<RestResponse<String>> list(
            @Parameter(description = "Page size, 1 to 100", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("limit") String limit,
            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor,
            HttpHeaders headers) {
        OrderListing listing = OrderListing.forAccount(me(), QueryParams.intOr("limit", limit, 20, 1, 100),
                QueryParams.optionalText("cursor", cursor, 500));
        return orders.orders(listing).map(body -> ETags.ok(headers, body));
    }

    @GET
    @Path("/{orderId}")
    @Operation(operationId = "getMyOrder", summary = "One of my orders")
    @APIResponse(responseCode = "200", description = "The order", headers = @Header(name = "ETag", description = "Tag of this representation"),
            content = @Content(schema = @Schema(implementation = OrderView.class)))
    @APIResponse(responseCode = "304", description = "Unchanged since the ETag sent in If-None-Match")
    @APIResponse(responseCode = "404", description = "No order of mine has this id (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> get(@PathParam("orderId") UUID orderId, HttpHeaders headers) {
        return orders.ownOrder(orderId, me()).map(body -> ETags.ok(headers, body));
    }

    @POST
    @Path("/{orderId}/cancel")
    @Operation(operationId = "cancelMyOrder", summary = "Cancel my order before it is fulfilled",
            description = "Stock returns to the catalog; an authorised payment is released, a captured one refunded in full; "
                    + "cancelling an exchange's replacement order refunds the replaced units on the original order instead. "
                    + "The refund is recorded before the payment provider is called: when the provider does not confirm at once, "
                    + "the order is cancelled with payment.status `refund_pending` and the refund is retried until it succeeds. "
                    + "Repeating the cancel is harmless: with the same Idempotency-Key the first answer is replayed, without "
                    + "one the order is already cancelled (409 `illegal-transition`); nothing moves twice.")
    @APIResponse(responseCode = "200", description = "The cancelled order, its refund settled or pending",
            headers = @Header(name = Idempotency.REPLAYED, description = "true when this is the stored answer to an earlier request with the same key"),
            content = @Content(schema = @Schema(implementation = OrderView.class)))
    @APIResponse(responseCode = "404", description = "No order of mine has this id (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Already fulfilled or beyond (type `illegal-transition`), a replacement order whose "
            + "original can no longer pay the exchange back (type `not-refundable`), or the first request "
            + "with this key is still running (type `idempotency-key-in-progress`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was used with a different request (type `idempotency-key-reused`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> cancel(@PathParam("orderId") UUID orderId,
            @Parameter(in = ParameterIn.HEADER, description = Idempotency.OPTIONAL_HEADER_DOC) @HeaderParam(Idempotency.HEADER) String key) {
        UUID me = me();
        return idempotency.runOptionalRecoverable(scope(me), key, idempotency.fingerprint("POST", "/v1/me/orders/" + orderId + "/cancel", ""),
                claim -> orders.cancelByCustomer(orderId, me, claim).map(Stored::ok),
                // the cancel was committed by an attempt that failed afterwards: the order as it now stands is the answer
                made -> orders.ownOrder(UUID.fromString(made), me).map(Stored::ok));
    }

    @POST
    @Path("/{orderId}/returns")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "requestMyReturn", summary = "Ask to return lines of my delivered order (P9)",
            description = "Support then approves (refund through the payment provider, or a replacement order) or rejects.")
    @APIResponse(responseCode = "201", description = "The return request",
            headers = {
                    @Header(name = Idempotency.REPLAYED, description = "true when this is the stored answer to an earlier request with the same key")},
            content = @Content(schema = @Schema(implementation = com.harmony.order.OrderViews.ReturnView.class)))
    @APIResponse(responseCode = "404", description = "No order of mine has this id (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Not delivered, more units than are left to return, or a replacement order (not returned: support "
            + "refunds it) "
            + "(type `not-returnable`), "
            + "or the first request with this key is still running (type `idempotency-key-in-progress`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was used with a different request (type `idempotency-key-reused`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> requestReturn(@PathParam("orderId") UUID orderId,
            @Parameter(in = ParameterIn.HEADER, required = true, description = Idempotency.HEADER_DOC) @HeaderParam(Idempotency.HEADER) String key,
            @Valid @NotNull com.harmony.order.OrderRequests.ReturnRequest request,
            io.vertx.core.http.HttpServerRequest http) {
        UUID me = me();
        ReturnService.Requester who = new ReturnService.Requester("owner", me, null, null,
                clients.of(http), ReturnResource.userAgent(http));
        return idempotency.runRecoverable(scope(me), key, idempotency.fingerprint("POST", "/v1/me/orders/" + orderId + "/returns", request),
                claim -> returns.request(orderId, request, who, claim).map(c -> new Stored(201, c.document(), java.util.Map.of())),
                // the return was committed by an attempt that failed afterwards: it is the answer
                made -> returns.document(UUID.fromString(made)).map(doc -> new Stored(201, doc, java.util.Map.of())));
    }

    private UUID me() {
        return UUID.fromString(jwt.getSubject());
    }

    static String scope(UUID accountId) {
        return "account:" + accountId;
    }

    private String emailClaim() {
        Object v = jwt.getClaim("email");
        if (v instanceof JsonString s) {
            return s.getString();
        }
        return v instanceof String s ? s : null;
    }
}
