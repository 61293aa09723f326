package com.harmony.catalog;

import com.harmony.catalog.CatalogRequests.CreateCategoryRequest;
import com.harmony.catalog.CatalogRequests.UpdateCategoryRequest;
import com.harmony.catalog.CatalogViews.CategoryView;
import com.harmony.platform.ApiDocs;
import com.harmony.platform.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** Back-office category management (role admin). */
@Path("/v1/admin/categories")
@Tag(name = "Catalog admin")
@RolesAllowed("admin")
@SecurityRequirement(name = ApiDocs.BEARER)
@Produces(MediaType.APPLICATION_JSON)
public class AdminCategoryResource {

    private final CatalogService catalog;

    AdminCategoryResource(CatalogService catalog) {
        this.catalog = catalog;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "adminCreateCategory", summary = "Create a category, optionally under a parent")
    @APIResponse(responseCode = "201", description = "Created", headers = @Header(name = "Location", description = "URL of the new category"),
            content = @Content(schema = @Schema(implementation = CategoryView.class)))
    @APIResponse(responseCode = "409", description = "Slug already in use (type `duplicate-slug`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> create(@Valid @NotNull CreateCategoryRequest request) {
        return catalog.createCategory(request).map(created -> RestResponse.ResponseBuilder
                .<String>created(URI.create("/v1/categories/" + created.id()))
                .entity(created.document()).type(MediaType.APPLICATION_JSON_TYPE).build());
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "adminUpdateCategory", summary = "Rename, move or reorder a category")
    @APIResponse(responseCode = "200", description = "The category as it now stands", content = @Content(schema = @Schema(implementation = CategoryView.class)))
    @APIResponse(responseCode = "404", description = "No such category (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Slug already in use (type `duplicate-slug`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> update(@PathParam("id") UUID id, @Valid @NotNull UpdateCategoryRequest request) {
        return catalog.updateCategory(id, request);
    }

    @DELETE
    @Path("/{id}")
    @Operation(operationId = "adminDeleteCategory", summary = "Delete an empty category")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such category (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "It still has sub-categories or products (type `category-in-use`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Void> delete(@PathParam("id") UUID id) {
        return catalog.deleteCategory(id);
    }
}
