package com.harmony.catalog;

import com.harmony.catalog.CatalogRequests.CreateProductRequest;
import com.harmony.catalog.CatalogRequests.UpdateProductRequest;
import com.harmony.catalog.CatalogRequests.VariantInput;
import com.harmony.catalog.CatalogViews.ProductPage;
import com.harmony.catalog.CatalogViews.ProductView;
import com.harmony.platform.ApiDocs;
import com.harmony.platform.ETags;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** Back-office product management (role admin): create, edit, archive, add variants. */
@Path("/v1/admin/products")
@Tag(name = "Catalog admin")
@RolesAllowed("admin")
@SecurityRequirement(name = ApiDocs.BEARER)
@Produces(MediaType.APPLICATION_JSON)
public class AdminProductResource {

    private final CatalogService catalog;

    AdminProductResource(CatalogService catalog) {
        this.catalog = catalog;
    }

    @GET
    @Operation(operationId = "adminListProducts", summary = "List products, archived ones included",
            description = "Same filters as the shop listing, plus `status`.")
    @APIResponse(responseCode = "200", description = "A page of products",
            content = @Content(schema = @Schema(implementation = ProductPage.class)))
    public Uni<RestResponse<String>> list(
            @QueryParam("category") String category, @QueryParam("q") String q,
            @Parameter(schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0", maximum = "9223372036854775807")) @QueryParam("min_price") String minPrice,
            @Parameter(schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0", maximum = "9223372036854775807")) @QueryParam("max_price") String maxPrice,
            @QueryParam("currency") String currency,
            @Parameter(schema = @Schema(type = SchemaType.BOOLEAN)) @QueryParam("in_stock") String inStock,
            @Parameter(schema = @Schema(type = SchemaType.STRING, enumeration = {"newest", "oldest", "price_asc", "price_desc", "title", "relevance"})) @QueryParam("sort") String sort,
            @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor,
            @Parameter(description = "Default all", schema = @Schema(type = SchemaType.STRING, enumeration = {"active", "archived", "all"})) @QueryParam("status") String status,
            HttpHeaders headers) {
        ProductQuery query = ProductResource.Listings.query(category, q, minPrice, maxPrice, currency, inStock, sort, limit, cursor, status, true);
        return catalog.products(query).map(body -> ETags.ok(headers, body));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "adminCreateProduct", summary = "Create a product with its variants")
    @APIResponse(responseCode = "201", description = "Created",
            headers = @Header(name = "Location", description = "URL of the new product"),
            content = @Content(schema = @Schema(implementation = ProductView.class)))
    @APIResponse(responseCode = "409", description = "Slug or SKU already in use, or variants in several currencies "
            + "(types `duplicate-slug`, `duplicate-sku`, `currency-mismatch`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> create(@Valid @NotNull CreateProductRequest request) {
        return catalog.createProduct(request).map(created -> RestResponse.ResponseBuilder
                .<String>created(URI.create("/v1/admin/products/" + created.id()))
                .entity(created.document()).type(MediaType.APPLICATION_JSON_TYPE).build());
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "adminGetProduct", summary = "Get a product, archived or not, with all its variants")
    @APIResponse(responseCode = "200", description = "The product",
            headers = @Header(name = "ETag", description = "Tag of this representation"),
            content = @Content(schema = @Schema(implementation = ProductView.class)))
    @APIResponse(responseCode = "404", description = "No such product (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> get(@PathParam("id") UUID id, HttpHeaders headers) {
        return catalog.product(id.toString(), true).map(body -> ETags.ok(headers, body));
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "adminUpdateProduct", summary = "Change a product's fields (those sent)")
    @APIResponse(responseCode = "200", description = "The product as it now stands", headers = @Header(name = "ETag"),
            content = @Content(schema = @Schema(implementation = ProductView.class)))
    @APIResponse(responseCode = "404", description = "No such product (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Slug already in use (type `duplicate-slug`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "412", description = ETags.PRECONDITION_FAILED_DOC + " (the product shows its variants' stock: "
            + "a sale changes its ETag too)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> update(@PathParam("id") UUID id,
            @Parameter(in = ParameterIn.HEADER, description = ETags.IF_MATCH_DOC) @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @Valid @NotNull UpdateProductRequest request) {
        return catalog.updateProduct(id, ifMatch, request).map(ETags::written);
    }

    @POST
    @Path("/{id}/archive")
    @Operation(operationId = "adminArchiveProduct", summary = "Archive a product: it leaves the shop, orders keep it")
    @APIResponse(responseCode = "200", description = "The archived product",
            content = @Content(schema = @Schema(implementation = ProductView.class)))
    @APIResponse(responseCode = "404", description = "No such product (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> archive(@PathParam("id") UUID id) {
        return catalog.setProductStatus(id, false);
    }

    @POST
    @Path("/{id}/restore")
    @Operation(operationId = "adminRestoreProduct", summary = "Bring an archived product back to the shop")
    @APIResponse(responseCode = "200", description = "The active product",
            content = @Content(schema = @Schema(implementation = ProductView.class)))
    @APIResponse(responseCode = "404", description = "No such product (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> restore(@PathParam("id") UUID id) {
        return catalog.setProductStatus(id, true);
    }

    @POST
    @Path("/{id}/variants")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "adminAddVariant", summary = "Add a variant to a product")
    @APIResponse(responseCode = "201", description = "The product with its new variant",
            content = @Content(schema = @Schema(implementation = ProductView.class)))
    @APIResponse(responseCode = "404", description = "No such product (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "SKU already in use or another currency (types `duplicate-sku`, `currency-mismatch`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> addVariant(@PathParam("id") UUID id, @Valid @NotNull @RequestBody(required = true,
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = VariantInput.class),
                    // a SKU of its own: the product example's would be a 409 for a product made from that example
                    example = "{\"sku\": \"TEE-ORG-L-BLK\", \"title\": \"Large, black\", \"options\": {\"size\": \"L\", \"colour\": \"black\"}, "
                            + "\"price_minor\": 2500, \"currency\": \"USD\", \"stock_on_hand\": 10}")) VariantInput request) {
        return catalog.addVariant(id, request).map(doc -> RestResponse.ResponseBuilder
                .<String>created(URI.create("/v1/admin/products/" + id)).entity(doc).type(MediaType.APPLICATION_JSON_TYPE).build());
    }
}
