package com.harmony.consent;

import com.harmony.account.AccountService;
import com.harmony.consent.ConsentService.Subject;
import com.harmony.consent.ConsentViews.ConsentChanges;
import com.harmony.consent.ConsentViews.ConsentsView;
import com.harmony.consent.ConsentViews.HistoryPage;
import com.harmony.platform.ApiDocs;
import com.harmony.platform.Problem;
import com.harmony.platform.QueryParams;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A customer's consents as staff see them, and choices a customer gives by phone or letter, recorded with source admin. */
@Path("/v1/admin/accounts/{id}/consents")
@Tag(name = "Consents")
@RolesAllowed({"admin", "support"})
@SecurityRequirement(name = ApiDocs.BEARER)
@Produces(MediaType.APPLICATION_JSON)
public class AdminConsentResource {

    private final ConsentService consents;
    private final AccountService accounts;

    private final com.harmony.platform.Audit audit;

    AdminConsentResource(ConsentService consents, AccountService accounts, com.harmony.platform.Audit audit) {
        this.audit = audit;
        this.consents = consents;
        this.accounts = accounts;
    }

    @GET
    @Operation(operationId = "adminGetConsents", summary = "A customer's current consents (admin, support)")
    @APIResponse(responseCode = "200", description = "Every purpose", content = @Content(schema = @Schema(implementation = ConsentsView.class)))
    @APIResponse(responseCode = "404", description = "No such account (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<ConsentsView> get(@PathParam("id") UUID id) {
        return accounts.adminView(id).chain(a -> consents.current(Subject.account(id))).map(ConsentsView::of);
    }

    @PATCH
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "adminUpdateConsents", summary = "Record choices a customer gave staff (admin, support)",
            description = "For a customer who asks by phone or letter; recorded with source admin and the policy version in force.")
    @APIResponse(responseCode = "200", description = "Every purpose as it now stands", content = @Content(schema = @Schema(implementation = ConsentsView.class)))
    @APIResponse(responseCode = "400", description = "Unknown purpose or not a boolean (type `malformed-request`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such account (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<ConsentsView> update(@PathParam("id") UUID id, @Valid @NotNull ConsentChanges changes) {
        Subject subject = Subject.account(id);
        consents.checkChoices(changes.choices(), null);
        com.harmony.platform.Audit.Entry entry = audit.entry("consent.changed_by_staff", "account", id, id);
        return accounts.adminView(id).chain(a -> consents.recordByStaff(subject, changes.choices(), entry, audit))
                .chain(() -> consents.current(subject)).map(ConsentsView::of);
    }

    @GET
    @Path("/history")
    @Operation(operationId = "adminGetConsentHistory", summary = "Every choice a customer made, newest first (admin, support)")
    @APIResponse(responseCode = "200", description = "A page of recorded choices", content = @Content(schema = @Schema(implementation = HistoryPage.class)))
    @APIResponse(responseCode = "404", description = "No such account (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> history(@PathParam("id") UUID id,
            @Parameter(description = "Page size, 1 to 100", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("limit") String limit,
            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor) {
        int n = QueryParams.intOr("limit", limit, 20, 1, 100);
        String c = QueryParams.optionalText("cursor", cursor, 500);
        return accounts.adminView(id).chain(a -> consents.history(Subject.account(id), n, c));
    }
}
