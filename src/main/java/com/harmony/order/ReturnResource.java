package com.harmony.order;

import com.harmony.order.OrderRequests.GuestReturnRequest;
import com.harmony.order.OrderViews.ReturnView;
import com.harmony.platform.ClientAddress;
import com.harmony.platform.Idempotency;
import com.harmony.platform.Idempotency.Stored;
import com.harmony.platform.Problem;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Locale;
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
 * Return requests from buyers who are not signed in (P9): they prove the purchase with the order
 * number, the email on the order and the billing postal code. Failed attempts are throttled per order.
 */
@Path("/v1/returns")
@Tag(name = "Orders")
@Produces(MediaType.APPLICATION_JSON)
public class ReturnResource {

    private final ReturnService returns;
    private final Idempotency idempotency;
    private final ClientAddress clients;

    ReturnResource(ReturnService returns, Idempotency idempotency, ClientAddress clients) {
        this.clients = clients;
        this.returns = returns;
        this.idempotency = idempotency;
    }

    @POST
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "requestGuestReturn", summary = "Ask to return lines of a delivered order, without signing in",
            description = "The email and postal code are compared with the order's in constant time; a wrong combination and an "
                    + "unknown number both answer 404. After repeated failures for one order number, 429. The details used are "
                    + "kept with the request for fraud review, with the caller's IP address and user agent.")
    @APIResponse(responseCode = "201", description = "The return request",
            headers = @Header(name = Idempotency.REPLAYED, description = "true when this is the stored answer to an earlier request with the same key"),
            content = @Content(schema = @Schema(implementation = ReturnView.class)))
    @APIResponse(responseCode = "404", description = "No order matches these details (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Not delivered, nothing left to return, or a replacement order (type `not-returnable`); "
            + "first request with this key still running (type `idempotency-key-in-progress`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was used with a different request (type `idempotency-key-reused`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Too many failed verifications for this order (type `rate-limited`)",
            headers = @Header(name = "Retry-After", description = "Seconds to wait"),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> request(
            @Parameter(in = ParameterIn.HEADER, required = true, description = Idempotency.HEADER_DOC) @HeaderParam(Idempotency.HEADER) String key,
            @Valid @NotNull GuestReturnRequest request, HttpServerRequest http) {
        ReturnService.Requester who = new ReturnService.Requester("order_details", null,
                request.email().strip().toLowerCase(Locale.ROOT), request.postalCode().strip().toUpperCase(Locale.ROOT), clients.of(http), userAgent(http));
        return returns.verifyGuest(request, clients.of(http))
                .chain(orderId -> idempotency.runRecoverable("order:" + orderId, key, idempotency.fingerprint("POST", "/v1/returns", request),
                        claim -> returns.request(orderId, request.toReturn(), who, claim).map(c -> new Stored(201, c.document(), java.util.Map.of())),
                        made -> returns.document(java.util.UUID.fromString(made)).map(doc -> new Stored(201, doc, java.util.Map.of()))));
    }

    static String userAgent(HttpServerRequest http) {
        String ua = http.getHeader("User-Agent");
        return ua == null ? null : ua.substring(0, Math.min(ua.length(), 500));
    }
}
