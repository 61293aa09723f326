package com.harmony.account;

import com.harmony.account.AccountRequests.AddressInput;
import com.harmony.account.AccountRequests.AddressPatch;
import com.harmony.account.AccountRequests.ChangeEmailRequest;
import com.harmony.account.AccountRequests.ChangePasswordRequest;
import com.harmony.account.AccountRequests.UpdateProfileRequest;
import com.harmony.account.AccountViews.AccountView;
import com.harmony.account.AccountViews.AddressList;
import com.harmony.account.AccountViews.AddressView;
import com.harmony.account.auth.TokenIssuer;
import com.harmony.platform.ApiDocs;
import com.harmony.platform.ClientAddress;
import com.harmony.platform.ETags;
import com.harmony.platform.Problem;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** My Account (P10): the signed-in person's own profile, address book and credentials. Identity comes only from the token. */
@Path("/v1/me")
@Tag(name = "My Account")
@Authenticated
@SecurityRequirement(name = ApiDocs.BEARER)
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    @Inject
    ClientAddress clients;
    @Inject
    com.harmony.privacy.PrivacyRequestService privacyRequests;
    @Inject
    AccountService accounts;
    @Inject
    JsonWebToken jwt;
    @Inject
    ObjectMapper json;

    private UUID me() {
        return UUID.fromString(jwt.getSubject());
    }

    @GET
    @Operation(operationId = "getMyAccount", summary = "My profile and marketing choices")
    @APIResponse(responseCode = "200", description = "The account", content = @Content(schema = @Schema(implementation = AccountView.class)))
    @APIResponse(responseCode = "304", description = "Unchanged since the ETag sent in If-None-Match")
    public Uni<RestResponse<String>> get(HttpHeaders headers) {
        return accounts.me(me()).map(view -> ETags.ok(headers, view.body(), view.etag()));
    }

    @PATCH
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "updateMyAccount", summary = "Change name, phone or interests",
            description = "Email and password have their own operations; roles, ids and timestamps cannot be set (400).")
    @APIResponse(responseCode = "200", description = "The account as it now stands", headers = @Header(name = "ETag"),
            content = @Content(schema = @Schema(implementation = AccountView.class)))
    @APIResponse(responseCode = "412", description = ETags.PRECONDITION_FAILED_DOC,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> update(
            @Parameter(in = ParameterIn.HEADER, description = ETags.IF_MATCH_DOC) @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @Valid @NotNull UpdateProfileRequest request) {
        return accounts.updateProfile(me(), ifMatch, request).map(view -> ETags.written(view.body(), view.etag()));
    }

    @DELETE
    @Operation(operationId = "closeMyAccount", summary = "Close my account: an erasure request for myself",
            description = "Files an erasure request (P13) for this account and emails its single-use confirmation link; nothing is "
                    + "erased before it is confirmed. Follow it at /v1/me/privacy-requests.")
    @APIResponse(responseCode = "202", description = "Received; confirm through the emailed link",
            content = @Content(schema = @Schema(implementation = com.harmony.privacy.PrivacyRequestService.Received.class)))
    @APIResponse(responseCode = "429", description = "Too many requests (type `rate-limited`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<com.harmony.privacy.PrivacyRequestService.Received>> close(@Context HttpServerRequest http) {
        return privacyRequests.file(com.harmony.privacy.PrivacyRequestService.Kind.ERASURE,
                        new com.harmony.privacy.PrivacyRequestService.Requester(me(), null, null, null), null, null, clients.of(http))
                .map(filed -> RestResponse.accepted(new com.harmony.privacy.PrivacyRequestService.Received(filed.id().toString(),
                        "awaiting_confirmation", "A confirmation link is on its way to your email address. Nothing happens until it is confirmed.")));
    }

    @POST
    @Path("/password")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "changeMyPassword", summary = "Change my password (needs the current one)",
            description = "Every other session is signed out; this one stays.")
    @APIResponse(responseCode = "204", description = "Changed")
    @APIResponse(responseCode = "400", description = "Current password wrong or new one refused (types `validation-failed`, `weak-password`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Too many wrong current passwords for this account or from this client (type `sign-in-throttled`)",
            headers = @Header(name = "Retry-After", description = "Seconds to wait"),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Too many password hashes at once (type `busy`); retry after Retry-After",
            headers = @Header(name = "Retry-After", description = "Seconds to wait"),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<Void>> changePassword(@Valid @NotNull ChangePasswordRequest request, @Context HttpServerRequest http) {
        UUID session = UUID.fromString(jwt.getClaim(TokenIssuer.SESSION_CLAIM).toString());
        return accounts.changePassword(me(), session, request, clients.of(http)).map(x -> RestResponse.noContent());
    }

    @POST
    @Path("/email")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "changeMyEmail", summary = "Change my email (needs the current password)",
            description = "Sends a confirmation link to the new address; the email changes when it is followed. Then every "
                    + "session ends, every other emailed link is voided and the old address is told of the change. An address "
                    + "that already has an account is answered the same way (its owner gets a notice, not a link), so this "
                    + "never tells which emails have accounts.")
    @APIResponse(responseCode = "400", description = "Current password wrong (type `validation-failed`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Too many wrong current passwords (type `sign-in-throttled`)",
            headers = @Header(name = "Retry-After", description = "Seconds to wait"),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Too many password hashes at once (type `busy`); retry after Retry-After",
            headers = @Header(name = "Retry-After", description = "Seconds to wait"),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "202", description = "Confirmation link sent to the new address")
    public Uni<RestResponse<Void>> changeEmail(@Valid @NotNull ChangeEmailRequest request, @Context HttpServerRequest http) {
        return accounts.requestEmailChange(me(), request, clients.of(http)).map(x -> RestResponse.accepted());
    }

    @GET
    @Path("/addresses")
    @Operation(operationId = "listMyAddresses", summary = "My address book")
    @APIResponse(responseCode = "200", description = "The addresses, oldest first", content = @Content(schema = @Schema(implementation = AddressList.class)))
    @APIResponse(responseCode = "304", description = "Unchanged since the ETag sent in If-None-Match")
    public Uni<RestResponse<String>> addresses(HttpHeaders headers) {
        return accounts.addresses(me()).map(list -> ETags.ok(headers, json, new AddressList(list)));
    }

    @POST
    @Path("/addresses")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "addMyAddress", summary = "Add an address")
    @APIResponse(responseCode = "201", description = "Added", content = @Content(schema = @Schema(implementation = AddressView.class)))
    @APIResponse(responseCode = "409", description = "The book holds " + AccountService.MAX_ADDRESSES + " addresses already (type `address-book-full`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<AddressView>> addAddress(@Valid @NotNull AddressInput request) {
        return accounts.addAddress(me(), request)
                .map(a -> RestResponse.ResponseBuilder.<AddressView>created(URI.create("/v1/me/addresses/" + a.id())).entity(a).build());
    }

    @PATCH
    @Path("/addresses/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "updateMyAddress", summary = "Edit an address or make it a default")
    @APIResponse(responseCode = "200", description = "The address", content = @Content(schema = @Schema(implementation = AddressView.class)))
    @APIResponse(responseCode = "404", description = "Not one of my addresses (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<AddressView> updateAddress(@PathParam("id") UUID id, @Valid @NotNull AddressPatch request) {
        return accounts.updateAddress(me(), id, request);
    }

    @DELETE
    @Path("/addresses/{id}")
    @Operation(operationId = "deleteMyAddress", summary = "Remove an address")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "404", description = "Not one of my addresses (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<Void>> deleteAddress(@PathParam("id") UUID id) {
        return accounts.deleteAddress(me(), id).map(x -> RestResponse.noContent());
    }
}
