package com.harmony.catalog;

import com.harmony.catalog.CatalogViews.CategoryList;
import com.harmony.catalog.CatalogViews.CategoryView;
import com.harmony.platform.ETags;
import com.harmony.platform.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** The shop's category tree. */
@Path("/v1/categories")
@Tag(name = "Catalog")
@Produces(MediaType.APPLICATION_JSON)
public class CategoryResource {

    private final CatalogService catalog;

    CategoryResource(CatalogService catalog) {
        this.catalog = catalog;
    }

    @GET
    @PermitAll
    @Operation(operationId = "listCategories", summary = "The whole category tree")
    @APIResponse(responseCode = "200", description = "Root categories with their sub-categories nested",
            headers = @Header(name = "ETag", description = "Tag of this representation"),
            content = @Content(schema = @Schema(implementation = CategoryList.class)))
    @APIResponse(responseCode = "304", description = "Unchanged since the ETag sent in If-None-Match")
    public Uni<RestResponse<String>> list(HttpHeaders headers) {
        return catalog.categories().map(body -> ETags.ok(headers, body));
    }

    @GET
    @Path("/{idOrSlug}")
    @PermitAll
    @Operation(operationId = "getCategory", summary = "A category and its sub-categories, by id or slug")
    @APIResponse(responseCode = "200", description = "The category",
            headers = @Header(name = "ETag", description = "Tag of this representation"),
            content = @Content(schema = @Schema(implementation = CategoryView.class)))
    @APIResponse(responseCode = "304", description = "Unchanged since the ETag sent in If-None-Match")
    @APIResponse(responseCode = "404", description = "No such category (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> get(@PathParam("idOrSlug") String idOrSlug, HttpHeaders headers) {
        return catalog.category(idOrSlug).map(body -> ETags.ok(headers, body));
    }
}
