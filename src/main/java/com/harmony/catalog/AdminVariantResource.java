package com.harmony.catalog;

import com.harmony.catalog.CatalogRequests.StockAdjustmentRequest;
import com.harmony.catalog.CatalogRequests.UpdateVariantRequest;
import com.harmony.catalog.CatalogViews.VariantView;
import com.harmony.platform.ApiDocs;
import com.harmony.platform.ETags;
import com.harmony.platform.Idempotency;
import com.harmony.platform.Idempotency.Stored;
import com.harmony.platform.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
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
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** Back-office variant management (role admin): edit, archive, adjust stock. */
@Path("/v1/admin/variants/{id}")
@Tag(name = "Catalog admin")
@RolesAllowed("admin")
@SecurityRequirement(name = ApiDocs.BEARER)
@Produces(MediaType.APPLICATION_JSON)
public class AdminVariantResource {

    private final CatalogService catalog;
    private final Idempotency idempotency;
    private final JsonWebToken jwt;

    AdminVariantResource(CatalogService catalog, Idempotency idempotency, JsonWebToken jwt) {
        this.idempotency = idempotency;
        this.jwt = jwt;
        this.catalog = catalog;
    }

    @GET
    @Operation(operationId = "adminGetVariant", summary = "Get a variant")
    @APIResponse(responseCode = "200", description = "The variant", content = @Content(schema = @Schema(implementation = VariantView.class)))
    @APIResponse(responseCode = "404", description = "No such variant (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> get(@PathParam("id") UUID id, HttpHeaders headers) {
        return catalog.variant(id).map(body -> ETags.ok(headers, body));
    }

    @PATCH
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "adminUpdateVariant", summary = "Change a variant's fields (those sent)")
    @APIResponse(responseCode = "200", description = "The variant as it now stands", headers = @Header(name = "ETag"),
            content = @Content(schema = @Schema(implementation = VariantView.class)))
    @APIResponse(responseCode = "404", description = "No such variant (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "SKU already in use or another currency (types `duplicate-sku`, `currency-mismatch`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "412", description = ETags.PRECONDITION_FAILED_DOC + " (stock moved by orders changes it too)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> update(@PathParam("id") UUID id,
            @Parameter(in = ParameterIn.HEADER, description = ETags.IF_MATCH_DOC) @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @Valid @NotNull UpdateVariantRequest request) {
        return catalog.updateVariant(id, ifMatch, request).map(ETags::written);
    }

    @POST
    @Path("/archive")
    @Operation(operationId = "adminArchiveVariant", summary = "Archive a variant: it can no longer be bought")
    @APIResponse(responseCode = "200", description = "The archived variant", content = @Content(schema = @Schema(implementation = VariantView.class)))
    @APIResponse(responseCode = "404", description = "No such variant (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> archive(@PathParam("id") UUID id) {
        return catalog.setVariantStatus(id, false);
    }

    @POST
    @Path("/restore")
    @Operation(operationId = "adminRestoreVariant", summary = "Make an archived variant purchasable again")
    @APIResponse(responseCode = "200", description = "The active variant", content = @Content(schema = @Schema(implementation = VariantView.class)))
    @APIResponse(responseCode = "404", description = "No such variant (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> restore(@PathParam("id") UUID id) {
        return catalog.setVariantStatus(id, true);
    }

    @POST
    @Path("/stock-adjustments")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "adminAdjustStock", summary = "Add or remove stock atomically",
            description = "A removal that would take stock below zero is refused with `insufficient-stock`.")
    @APIResponse(responseCode = "200", description = "The variant with its new stock",
            headers = @Header(name = Idempotency.REPLAYED, description = "true when this is the stored answer to an earlier request with the same key"),
            content = @Content(schema = @Schema(implementation = VariantView.class)))
    @APIResponse(responseCode = "404", description = "No such variant (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Not enough stock to remove (type `insufficient-stock`), or the first request "
            + "with this key is still running (type `idempotency-key-in-progress`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was used with a different request (type `idempotency-key-reused`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> adjustStock(@PathParam("id") UUID id,
            @Parameter(in = ParameterIn.HEADER, description = Idempotency.OPTIONAL_HEADER_DOC + " A relative change retried "
                    + "with its key is applied once.") @HeaderParam(Idempotency.HEADER) String key,
            @Valid @NotNull StockAdjustmentRequest request) {
        UUID admin = UUID.fromString(jwt.getSubject());
        return idempotency.runOptionalRecoverable("account:" + admin, key, idempotency.fingerprint("POST", "/v1/admin/variants/" + id
                        + "/stock-adjustments", request), claim -> catalog.adjustStock(id, request, admin, claim).map(Stored::ok),
                // the adjustment was committed by an attempt that failed afterwards: the variant as it now stands is the answer
                made -> catalog.variant(UUID.fromString(made)).map(Stored::ok));
    }
}
