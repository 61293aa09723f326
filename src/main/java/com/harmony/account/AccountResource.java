package com.harmony.account;

import com.harmony.account.AccountRequests.RegisterRequest;
import com.harmony.account.AccountViews.AccountView;
import com.harmony.platform.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** Registration: optional to browse, required to buy (P4, P10). */
@Path("/v1/accounts")
@Tag(name = "Accounts")
public class AccountResource {

    private final AccountService accounts;

    AccountResource(AccountService accounts) {
        this.accounts = accounts;
    }

    @POST
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "register", summary = "Register an account",
            description = "Name, postal address (the first address book entry), phone, email, password, optional interests "
                    + "and marketing opt-ins per channel (recorded as consents with time, source and policy version). "
                    + "Needs a birth date of an adult or adult_confirmed=true (P31): under-18s are refused and nothing is stored. "
                    + "Then sign in at /v1/auth/sign-in.")
    @APIResponse(responseCode = "201", description = "Registered", headers = @Header(name = "Location", description = "/v1/me"),
            content = @Content(schema = @Schema(implementation = AccountView.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields, or password refused (types `validation-failed`, `weak-password`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Email address already registered (type `email-taken`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Under 18 (type `under-age`); nothing was stored",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<AccountView>> register(@Valid @NotNull RegisterRequest request) {
        return accounts.register(request).map(view -> RestResponse.ResponseBuilder.<AccountView>created(URI.create("/v1/me")).entity(view).build());
    }
}
