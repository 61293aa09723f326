package com.harmony.account;

import com.harmony.account.AccountRequests.SetRolesRequest;
import com.harmony.account.AccountViews.AccountPage;
import com.harmony.account.AccountViews.AccountView;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.harmony.platform.ApiDocs;
import com.harmony.platform.ETags;
import com.harmony.platform.Problem;
import com.harmony.platform.QueryParams;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Back-office account administration (role admin): search accounts, set roles. */
@Path("/v1/admin/accounts")
@Tag(name = "Accounts admin")
@RolesAllowed("admin")
@SecurityRequirement(name = ApiDocs.BEARER)
@Produces(MediaType.APPLICATION_JSON)
public class AdminAccountResource {

    private final AccountService accounts;
    private final ObjectMapper json;

    AdminAccountResource(AccountService accounts, ObjectMapper json) {
        this.accounts = accounts;
        this.json = json;
    }

    @GET
    @Operation(operationId = "adminListAccounts", summary = "Search accounts, newest first")
    @APIResponse(responseCode = "200", description = "A page of accounts", content = @Content(schema = @Schema(implementation = AccountPage.class)))
    public Uni<RestResponse<String>> list(
            @Parameter(description = "Part of the email or name") @QueryParam("q") String q,
            @Parameter(schema = @Schema(type = SchemaType.STRING, enumeration = {"customer", "affiliate", "support", "legal", "admin"})) @QueryParam("role") String role,
            @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor, HttpHeaders headers) {
        String r = QueryParams.optionalText("role", role, 20);
        if (r != null && !r.matches("customer|affiliate|support|legal|admin")) {
            throw com.harmony.platform.ProblemException.invalid("role", "must be customer, affiliate, support, legal or admin");
        }
        return accounts.search(QueryParams.optionalText("q", q, 100), r, QueryParams.intOr("limit", limit, 20, 1, 100),
                QueryParams.optionalText("cursor", cursor, 500)).map(page -> ETags.ok(headers, json, page));
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "adminGetAccount", summary = "One account")
    @APIResponse(responseCode = "200", description = "The account", content = @Content(schema = @Schema(implementation = AccountView.class)))
    @APIResponse(responseCode = "404", description = "No such account (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> get(@PathParam("id") UUID id, HttpHeaders headers) {
        return accounts.adminView(id).map(view -> ETags.ok(headers, json, view));
    }

    @PUT
    @Path("/{id}/roles")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "adminSetRoles", summary = "Replace an account's roles",
            description = "The account's sessions end so the new roles apply at once.")
    @APIResponse(responseCode = "200", description = "The account with its new roles", content = @Content(schema = @Schema(implementation = AccountView.class)))
    @APIResponse(responseCode = "404", description = "No such account (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<AccountView> setRoles(@PathParam("id") UUID id, @Valid @NotNull SetRolesRequest request) {
        return accounts.setRoles(id, request.roles());
    }
}
