package com.harmony.account.auth;

import com.harmony.account.AccountService;
import com.harmony.account.auth.AuthRequests.EmailChangeConfirmation;
import com.harmony.account.auth.AuthRequests.PasswordResetConfirmation;
import com.harmony.account.auth.AuthRequests.PasswordResetRequest;
import com.harmony.account.auth.AuthRequests.RefreshRequest;
import com.harmony.account.auth.AuthRequests.SignInRequest;
import com.harmony.account.auth.AuthRequests.SignInResult;
import com.harmony.platform.ClientAddress;
import com.harmony.platform.SignInListener;
import com.harmony.platform.VisitorToken;
import com.harmony.platform.Cookies;
import com.harmony.platform.CsrfFilter;
import com.harmony.platform.Problem;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Sign-in for both kinds of client: mobile apps get tokens in the body (Bearer + refresh token);
 * browsers ask for cookies (HttpOnly session and refresh cookies plus a CSRF cookie, P22).
 */
@Path("/v1/auth")
@Tag(name = "Sign-in")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AuthResource {

    @Inject
    AuthService auth;
    @Inject
    AccountService accounts;
    @Inject
    Cookies cookies;
    @Inject
    CsrfFilter csrf;
    @Inject
    JsonWebToken jwt;
    @Inject
    ClientAddress clients;
    @Inject
    io.quarkus.security.identity.CurrentIdentityAssociation identities;

    private static UUID sessionOf(io.quarkus.security.identity.SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)
                || token.getClaim(TokenIssuer.SESSION_CLAIM) == null) {
            return null;
        }
        return UUID.fromString(token.getClaim(TokenIssuer.SESSION_CLAIM).toString());
    }

    @POST
    @Path("/sign-in")
    @PermitAll
    @Operation(operationId = "signIn", summary = "Sign in with email and password",
            description = "Unknown email and wrong password answer the same. Repeated failures per account and client IP "
                    + "answer 429 with Retry-After for a while that grows, then ends by itself. With use_cookies, sets "
                    + "harmony_session, harmony_refresh and harmony_csrf (the last two persistent only with remember_me; "
                    + "__Host- prefixed when served over HTTPS). The CSRF token is the session's, also in csrf_token.")
    @APIResponse(responseCode = "200", description = "Signed in", content = @Content(schema = @Schema(implementation = SignInResult.class)),
            headers = {@Header(name = "Set-Cookie", description = "With use_cookies: harmony_session, harmony_refresh, harmony_csrf"),
                    @Header(name = Cookies.CSRF_HEADER, description = "With use_cookies: the session's CSRF token, as in csrf_token")})
    @APIResponse(responseCode = "401", description = "Email or password is wrong (type `invalid-credentials`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Too many password checks at once (type `busy`); retry after Retry-After",
            headers = @Header(name = "Retry-After", description = "Seconds to wait"),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Too many failures (type `sign-in-throttled`)",
            headers = @Header(name = "Retry-After", description = "Seconds to wait"),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<SignInResult>> signIn(@Valid @NotNull SignInRequest r, @Context HttpServerRequest request,
            @Context HttpServerResponse response) {
        boolean useCookies = Boolean.TRUE.equals(r.useCookies());
        boolean remember = Boolean.TRUE.equals(r.rememberMe());
        Cookie cartCookie = request.getCookie(Cookies.CART);
        String cartToken = r.cartToken() != null ? r.cartToken() : cartCookie == null ? null : cartCookie.getValue();
        return auth.signIn(r.email(), r.password(), remember, clients.of(request),
                        new SignInListener.Guest(cartToken, VisitorToken.of(request)))
                .map(session -> {
                    if (cartCookie != null) {
                        // the guest cart now lives in the account's cart: the browser forgets its token
                        cookies.add(response, cookies.expired(Cookies.CART));
                    }
                    return RestResponse.ok(respond(session, useCookies, response));
                });
    }

    @POST
    @Path("/refresh")
    @PermitAll
    @Operation(operationId = "refreshTokens", summary = "Exchange a refresh token for new tokens (rotation)",
            description = "Every refresh token works once. Presenting it again within a short grace (harmony.auth.refresh-grace, "
                    + "10 s) answers the same successor token, so two tabs or a retried request do not sign the user out; "
                    + "presenting a used one after that ends its whole session: someone else had it. Browsers send the "
                    + "harmony_refresh cookie (and X-CSRF-Token) and no body.")
    @APIResponse(responseCode = "200", description = "New tokens", content = @Content(schema = @Schema(implementation = SignInResult.class)),
            headers = {@Header(name = "Set-Cookie", description = "With the refresh cookie: harmony_session, harmony_refresh, harmony_csrf renewed"),
                    @Header(name = Cookies.CSRF_HEADER, description = "With the refresh cookie: the session's CSRF token, as in csrf_token")})
    @APIResponse(responseCode = "401", description = "Invalid, expired or reused (type `refresh-rejected`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<SignInResult> refresh(@RequestBody(required = false, description = "Apps: the refresh token; browsers send no body")
            @Valid RefreshRequest r, @Context HttpServerRequest request, @Context HttpServerResponse response) {
        Cookie cookie = request.getCookie(Cookies.REFRESH);
        boolean viaCookie = (r == null || r.refreshToken() == null) && cookie != null;
        String token = viaCookie ? cookie.getValue() : r == null ? null : r.refreshToken();
        return auth.refresh(token).map(session -> respond(session, viaCookie, response));
    }

    /** Browsers post without a JSON body (or with any other type): the refresh token is the cookie. */
    @POST
    @Path("/refresh")
    @Consumes(MediaType.WILDCARD)
    @PermitAll
    @Operation(hidden = true)
    public Uni<SignInResult> refreshByCookie(@Context HttpServerRequest request, @Context HttpServerResponse response) {
        return refresh(null, request, response);
    }

    @POST
    @Path("/sign-out")
    @Consumes(MediaType.WILDCARD)
    @PermitAll
    @Operation(operationId = "signOut", summary = "End this session now",
            description = "The access token stops working on the next request, on every instance; cookies are cleared. A browser "
                    + "whose access token has expired (a remembered sign-in after a restart) signs out with its refresh cookie and "
                    + "X-CSRF-Token alone: the refresh token then stops working too.")
    @APIResponse(responseCode = "204", description = "Signed out",
            headers = @Header(name = "Set-Cookie", description = "harmony_session, harmony_refresh and harmony_csrf expired"))
    @APIResponse(responseCode = "401", description = com.harmony.platform.OptionalBearer.SIGN_OUT_DOC,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<Void>> signOut(@Context HttpServerRequest request, @Context HttpServerResponse response) {
        Cookie refresh = request.getCookie(Cookies.REFRESH);
        // the access token's session; without a valid one, the session the refresh cookie belongs to (CsrfFilter
        // has asked for the CSRF token, as for every request carrying that cookie)
        return identities.getDeferredIdentity().map(AuthResource::sessionOf)
                .onFailure(e -> !com.harmony.platform.ProblemMapper.databaseUnavailable(e)).recoverWithNull()
                .chain(session -> session != null ? auth.signOut(session)
                        : refresh != null ? auth.signOutByRefresh(refresh.getValue())
                        : Uni.createFrom().failure(new com.harmony.platform.ProblemException(com.harmony.platform.ProblemType.UNAUTHORIZED,
                                "Sign out with the access token (Authorization: Bearer) or, in a browser, the refresh cookie.")))
                .map(x -> {
                    cookies.add(response, cookies.expired(Cookies.SESSION));
                    cookies.add(response, cookies.expired(Cookies.REFRESH));
                    cookies.add(response, cookies.expired(Cookies.CSRF));
                    return RestResponse.noContent();
                });
    }

    @POST
    @Path("/password-reset")
    @PermitAll
    @Operation(operationId = "requestPasswordReset", summary = "Email a single-use password reset link",
            description = "Always 202, whether or not the email has an account (no account enumeration). The link is valid 30 minutes.")
    @APIResponse(responseCode = "202", description = "If the address has an account, a link is on its way")
    @APIResponse(responseCode = "429", description = "Too many reset requests for this address or from this client (type `rate-limited`); "
            + "counted whether or not the address has an account",
            headers = @Header(name = "Retry-After", description = "Seconds to wait"),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<Void>> requestPasswordReset(@Valid @NotNull PasswordResetRequest r, @Context HttpServerRequest request) {
        return accounts.requestPasswordReset(r.email(), clients.of(request)).map(x -> RestResponse.accepted());
    }

    @POST
    @Path("/password-reset/confirm")
    @PermitAll
    @Operation(operationId = "confirmPasswordReset", summary = "Set a new password with the emailed token",
            description = "The token is used up and every session of the account ends.")
    @APIResponse(responseCode = "204", description = "Password changed")
    @APIResponse(responseCode = "400", description = "Token invalid, expired or used (type `invalid-token`) or password refused (`weak-password`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Too many password hashes at once (type `busy`); retry after Retry-After (the link is not used up)",
            headers = @Header(name = "Retry-After", description = "Seconds to wait"),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<Void>> confirmPasswordReset(@Valid @NotNull PasswordResetConfirmation r) {
        return accounts.resetPassword(r.token(), r.newPassword()).map(x -> RestResponse.noContent());
    }

    @POST
    @Path("/email-change/confirm")
    @PermitAll
    @Operation(operationId = "confirmEmailChange", summary = "Confirm a new email address with the emailed token")
    @APIResponse(responseCode = "204", description = "Email changed")
    @APIResponse(responseCode = "400", description = "Token invalid, expired or used (type `invalid-token`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The address was registered meanwhile (type `email-taken`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<Void>> confirmEmailChange(@Valid @NotNull EmailChangeConfirmation r) {
        return accounts.confirmEmailChange(r.token()).map(x -> RestResponse.noContent());
    }

    private SignInResult respond(AuthService.Session session, boolean useCookies, HttpServerResponse response) {
        List<String> roles = List.copyOf(session.account().roles());
        String accountId = session.account().id().toString();
        if (!useCookies) {
            return new SignInResult(accountId, session.accessToken(), "Bearer", auth.accessTokenTtl(),
                    session.opened().refreshToken(), null, roles);
        }
        // bound to the session, so it stays the same across refreshes and lives as long as the refresh cookie
        String csrfToken = csrf.sessionToken(session.opened().sessionId());
        Duration lifetime = session.opened().cookieMaxAge();
        cookies.add(response, cookies.httpOnly(Cookies.SESSION, session.accessToken(), null));
        cookies.add(response, cookies.httpOnly(Cookies.REFRESH, session.opened().refreshToken(), lifetime));
        cookies.add(response, cookies.csrf(csrfToken, lifetime));
        response.putHeader(Cookies.CSRF_HEADER, csrfToken);
        return new SignInResult(accountId, null, "Bearer", auth.accessTokenTtl(), null, csrfToken, roles);
    }


}
