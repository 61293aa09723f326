package com.harmony.partner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.harmony.platform.ApiDocs;
import com.harmony.platform.ETags;
import com.harmony.platform.Problem;
import com.harmony.platform.QueryParams;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** Partner clients in the back office: create with scopes, list, read, revoke, rotate the secret (role admin). */
@Path("/v1/admin/partner-clients")
@Tag(name = "Partners admin")
@RolesAllowed("admin")
@SecurityRequirement(name = ApiDocs.BEARER)
@Produces(MediaType.APPLICATION_JSON)
public class AdminPartnerClientResource {

    private final PartnerClientService clients;
    private final JsonWebToken jwt;
    private final ObjectMapper json;

    AdminPartnerClientResource(PartnerClientService clients, JsonWebToken jwt, ObjectMapper json) {
        this.clients = clients;
        this.jwt = jwt;
        this.json = json;
    }

    @Schema(name = "CreatePartnerClientRequest")
    public record CreateClient(
            @NotBlank @Size(max = 200) @Schema(description = "The partner and system, as staff will recognise it", examples = "Acme Marketplace (orders sync)")
            String name,
            @Email @Size(max = 254) @Schema(nullable = true, description = "Who is told when a webhook subscription is paused after repeated failures",
                    examples = "integrations@acme.example") String contactEmail,
            @NotEmpty @Size(max = 10) @Schema(description = "Scopes from the fixed list: catalog:read, orders:read, webhooks:manage, audience:read, "
                    + "privacy:notices", examples = "[\"orders:read\", \"webhooks:manage\"]") List<@NotBlank @Size(max = 64) String> scopes) {
    }

    @Schema(name = "PartnerClient", description = "A partner client; its secret is never shown again after creation or rotation")
    public record ClientView(
            @Schema(description = "The client id (OAuth client_id, and the token's sub)", examples = "5b0e7a53-2f4a-4d7c-9a6e-3f1f0f6a9c11") String id,
            @Schema(examples = "Acme Marketplace (orders sync)") String name,
            @Schema(nullable = true, examples = "integrations@acme.example") String contactEmail,
            @Schema(examples = "[\"orders:read\", \"webhooks:manage\"]") List<String> scopes,
            @Schema(enumeration = {"active", "revoked"}) String status,
            @Schema(examples = "2026-12-01T10:00:00Z") String createdAt,
            @Schema(nullable = true, description = "When the secret was last rotated") String secretRotatedAt,
            @Schema(nullable = true, description = "Until when the secret before the last rotation still works") String previousSecretExpiresAt,
            @Schema(nullable = true) String revokedAt) {

        static ClientView of(PartnerClientService.Client c) {
            return new ClientView(c.id(), c.name(), c.contactEmail(), c.scopes(), c.status(), c.createdAt(), c.secretRotatedAt(),
                    c.previousSecretExpiresAt(), c.revokedAt());
        }
    }

    @Schema(name = "PartnerClientWithSecret", description = "A client and its new secret, shown this once: store it now")
    public record IssuedView(ClientView client,
            @Schema(description = "The client secret (256 random bits); only its SHA-256 digest is kept", examples = "hpc_q3Zp0u7kQd9m2l1aXv3b4c5d6e7f8g9h0i1j2k3l4m5")
            String clientSecret) {

        static IssuedView of(PartnerClientService.Issued i) {
            return new IssuedView(ClientView.of(i.client()), i.clientSecret());
        }
    }

    @Schema(name = "PartnerClientPage")
    public record ClientPage(List<ClientView> data, boolean hasMore, @Schema(nullable = true) String nextCursor) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "adminCreatePartnerClient", summary = "Create a partner client (admin)",
            description = "Answers the client secret once; only its digest is stored. Audited.")
    @APIResponse(responseCode = "201", description = "The client and its secret", content = @Content(schema = @Schema(implementation = IssuedView.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields (type `validation-failed`) or a scope not in the list (type `partner-unknown-scope`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<IssuedView>> create(@Valid @NotNull CreateClient r) {
        return clients.create(r.name(), r.contactEmail(), r.scopes(), UUID.fromString(jwt.getSubject()))
                .map(i -> RestResponse.status(RestResponse.Status.CREATED, IssuedView.of(i)));
    }

    @GET
    @Operation(operationId = "adminListPartnerClients", summary = "List partner clients, newest first (admin)")
    @APIResponse(responseCode = "200", description = "A page of clients", content = @Content(schema = @Schema(implementation = ClientPage.class)))
    public Uni<RestResponse<String>> list(
            @Parameter(description = "Page size, 1 to 100", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20"))
            @QueryParam("limit") String limit,
            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor,
            HttpHeaders headers) {
        return clients.list(QueryParams.intOr("limit", limit, 20, 1, 100), QueryParams.optionalText("cursor", cursor, 500))
                .map(p -> ETags.ok(headers, json, new ClientPage(p.data().stream().map(ClientView::of).toList(), p.hasMore(), p.nextCursor())));
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "adminGetPartnerClient", summary = "Get a partner client (admin)")
    @APIResponse(responseCode = "200", description = "The client", content = @Content(schema = @Schema(implementation = ClientView.class)))
    @APIResponse(responseCode = "404", description = "No such client (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> get(@PathParam("id") UUID id, HttpHeaders headers) {
        return clients.get(id).map(c -> ETags.ok(headers, json, ClientView.of(c)));
    }

    @POST
    @Path("/{id}/revocation")
    @Operation(operationId = "adminRevokePartnerClient", summary = "Revoke a partner client (admin)",
            description = "At once, on every instance: its secrets stop working and every token issued to it is refused. Audited.")
    @APIResponse(responseCode = "200", description = "The revoked client", content = @Content(schema = @Schema(implementation = ClientView.class)))
    @APIResponse(responseCode = "404", description = "No such client (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Revoked already (type `partner-client-revoked`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<ClientView> revoke(@PathParam("id") UUID id) {
        return clients.revoke(id, UUID.fromString(jwt.getSubject())).map(ClientView::of);
    }

    @POST
    @Path("/{id}/secret-rotation")
    @Operation(operationId = "adminRotatePartnerClientSecret", summary = "Rotate a partner client's secret (admin)",
            description = "Answers the new secret once. The current secret keeps working for the overlap (PARTNER_SECRET_OVERLAP, 24 hours "
                    + "by default) so the partner can deploy the new one; the one before it stops now. Audited.")
    @APIResponse(responseCode = "200", description = "The client and its new secret", content = @Content(schema = @Schema(implementation = IssuedView.class)))
    @APIResponse(responseCode = "404", description = "No such client (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The client is revoked (type `partner-client-revoked`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<IssuedView> rotate(@PathParam("id") UUID id) {
        return clients.rotate(id).map(IssuedView::of);
    }
}
