package com.harmony.account;

import com.harmony.account.AccountViews.RegistrationAccepted;
import com.harmony.platform.ClientAddress;
import com.harmony.platform.VisitorToken;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Context;
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
    private final ClientAddress clients;

    AccountResource(AccountService accounts, ClientAddress clients) {
        this.accounts = accounts;
        this.clients = clients;
    }

    @POST
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "register", summary = "Register an account",
            description = "Name, postal address (the first address book entry), phone, email, password, optional interests "
                    + "and marketing opt-ins per channel (recorded as consents with time, source and policy version). "
                    + "Needs a birth date of an adult or adult_confirmed=true (P31): under-18s are refused and nothing is stored. "
                    + "Then sign in at /v1/auth/sign-in. An email that already has an account is answered exactly like a new "
                    + "one (same status, body and time): registration never tells anyone which emails have accounts. The "
                    + "owner of that address is emailed that someone tried to register with it; a new account gets a welcome. "
                    + "Registrations are counted per client address.")
    @APIResponse(responseCode = "202", description = "Accepted: sign in with the email and password, and read your mail",
            content = @Content(schema = @Schema(implementation = RegistrationAccepted.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields, or password refused (types `validation-failed`, `weak-password`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Too many registrations from this client (type `rate-limited`)",
            headers = @Header(name = "Retry-After", description = "Seconds to wait"),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Too many password hashes at once (type `busy`); retry after Retry-After",
            headers = @Header(name = "Retry-After", description = "Seconds to wait"),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Under 18 (type `under-age`); nothing was stored",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<RegistrationAccepted>> register(@Valid @NotNull RegisterRequest request, @Context HttpServerRequest http) {
        return accounts.register(request, clients.of(http), VisitorToken.of(http)).map(accepted -> RestResponse.accepted(accepted));
    }
}
