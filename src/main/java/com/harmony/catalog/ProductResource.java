package com.harmony.catalog;

import com.harmony.catalog.CatalogViews.ProductPage;
import com.harmony.catalog.CatalogViews.ProductView;
import com.harmony.platform.ETags;
import com.harmony.platform.QueryParams;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** The shop's product catalog: browsing needs no identity (P4). */
@Path("/v1/products")
@Tag(name = "Catalog")
@Produces(MediaType.APPLICATION_JSON)
public class ProductResource {

    private final CatalogService catalog;
    private final CatalogCache cache;

    ProductResource(CatalogService catalog, CatalogCache cache) {
        this.cache = cache;
        this.catalog = catalog;
    }

    @GET
    @PermitAll
    @Operation(operationId = "listProducts", summary = "List and search products",
            description = "Active products, filtered, sorted and cursor-paginated. With `q`, a ranked full-text search "
                    + "(web-search syntax: words, \"quoted phrases\", -exclusions).")
    @APIResponse(responseCode = "200", description = "A page of products",
            headers = @Header(name = "ETag", description = "Tag of this page; send it as If-None-Match"),
            content = @Content(schema = @Schema(implementation = ProductPage.class)))
    @APIResponse(responseCode = "304", description = "Unchanged since the ETag sent in If-None-Match")
    public Uni<RestResponse<String>> list(
            @Parameter(description = "Category id or slug; sub-categories are included") @QueryParam("category") String category,
            @Parameter(description = "Full-text search query") @QueryParam("q") String q,
            @Parameter(description = "Lowest variant price, minor units", schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0", maximum = "9223372036854775807")) @QueryParam("min_price") String minPrice,
            @Parameter(description = "Highest variant price, minor units", schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0", maximum = "9223372036854775807")) @QueryParam("max_price") String maxPrice,
            @Parameter(description = "Only variants priced in this ISO 4217 currency") @QueryParam("currency") String currency,
            @Parameter(description = "true: only products with stock; false: only sold-out ones", schema = @Schema(type = SchemaType.BOOLEAN)) @QueryParam("in_stock") String inStock,
            @Parameter(description = "Sort order; default `relevance` with q, else `newest`",
                    schema = @Schema(type = SchemaType.STRING, enumeration = {"newest", "oldest", "price_asc", "price_desc", "title", "relevance"})) @QueryParam("sort") String sort,
            @Parameter(description = "Page size, 1 to 100", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("limit") String limit,
            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor,
            HttpHeaders headers) {
        ProductQuery query = Listings.query(category, q, minPrice, maxPrice, currency, inStock, sort, limit, cursor, null, false);
        return cache.get(query.cacheKey(), () -> catalog.shopProducts(query)).map(e -> ETags.ok(headers, e.body(), e.etag()));
    }

    @GET
    @Path("/{idOrSlug}")
    @PermitAll
    @Operation(operationId = "getProduct", summary = "Get a product with its variants, by id or slug")
    @APIResponse(responseCode = "200", description = "The product",
            headers = @Header(name = "ETag", description = "Tag of this representation; send it as If-None-Match"),
            content = @Content(schema = @Schema(implementation = ProductView.class)))
    @APIResponse(responseCode = "304", description = "Unchanged since the ETag sent in If-None-Match")
    @APIResponse(responseCode = "404", description = "No active product has this id or slug (type `not-found`)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = com.harmony.platform.Problem.class)))
    public Uni<RestResponse<String>> get(@PathParam("idOrSlug") String idOrSlug, HttpHeaders headers) {
        return cache.get("product:" + idOrSlug, () -> catalog.product(idOrSlug, false)).map(e -> ETags.ok(headers, e.body(), e.etag()));
    }

    /** Reads and checks the listing parameters shared by the shop and the back office. */
    static final class Listings {

        private Listings() {
        }

        static ProductQuery query(String category, String q, String minPrice, String maxPrice, String currency,
                String inStock, String sort, String limit, String cursor, String status, boolean backOffice) {
            ProductQuery.Status st = backOffice
                    ? java.util.Objects.requireNonNullElse(QueryParams.optionalEnum("status", status, ProductQuery.Status.class), ProductQuery.Status.all)
                    : ProductQuery.Status.active;
            String cur = QueryParams.optionalText("currency", currency, 3);
            if (cur != null && !cur.matches("[A-Z]{3}")) {
                throw com.harmony.platform.ProblemException.invalid("currency", "must be an ISO 4217 code such as USD");
            }
            return new ProductQuery(
                    QueryParams.optionalText("category", category, 120),
                    QueryParams.optionalText("q", q, 200),
                    QueryParams.optionalLong("min_price", minPrice, 0, Long.MAX_VALUE),
                    QueryParams.optionalLong("max_price", maxPrice, 0, Long.MAX_VALUE),
                    cur,
                    QueryParams.optionalBoolean("in_stock", inStock),
                    QueryParams.optionalEnum("sort", sort, ProductQuery.Sort.class),
                    QueryParams.intOr("limit", limit, 20, 1, 100),
                    QueryParams.optionalText("cursor", cursor, 1000),
                    st);
        }
    }
}
