package com.harmony.partner;

import com.harmony.platform.ApiDocs;
import com.harmony.platform.ClientAddress;
import com.harmony.platform.Problem;
import com.harmony.platform.Throttle;
import com.harmony.platform.Throttle.Limit;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The OAuth 2.0 token endpoint for partner clients: the client credentials grant (RFC 6749 §4.4),
 * client authentication by HTTP Basic or form fields (§2.3.1), errors in OAuth's own format (§5.2),
 * which is what OAuth client libraries read. Failed authentications are throttled per client and client
 * address and per client address (never per client alone, which would let anyone lock a partner out),
 * counted before the secret is checked.
 */
@Path("/v1/oauth/token")
@Tag(name = "OAuth")
public class OAuthTokenResource {

    public static final String SCHEME = ApiDocs.PARTNER_OAUTH;
    private static final String BASIC = "Basic realm=\"harmony-partners\"";

    private final PartnerClientService clients;
    private final Throttle throttle;
    private final ClientAddress addresses;
    private final PartnerConfig config;

    /** No field of the grant is longer: ids are UUIDs, secrets 43 characters, scopes a few words. */
    static final int MAX_FIELD = 1024;

    OAuthTokenResource(PartnerClientService clients, Throttle throttle, ClientAddress addresses, PartnerConfig config) {
        this.clients = clients;
        this.throttle = throttle;
        this.addresses = addresses;
        this.config = config;
    }

    @Schema(name = "PartnerTokenRequest", description = "application/x-www-form-urlencoded fields of the client credentials grant")
    public record TokenForm(
            @Schema(description = "Always client_credentials", examples = "client_credentials", required = true, maxLength = MAX_FIELD) String grantType,
            @Schema(description = "Space-separated scopes, a subset of the client's; all of them when absent", examples = "orders:read webhooks:manage",
                    maxLength = MAX_FIELD)
            String scope,
            @Schema(description = "The client id, when not sent by HTTP Basic", examples = "5b0e7a53-2f4a-4d7c-9a6e-3f1f0f6a9c11", maxLength = MAX_FIELD)
            String clientId,
            @Schema(description = "The client secret, when not sent by HTTP Basic", examples = "hpc_3q2-7wEXAMPLEonlyDoNotUse0f9XyZ", maxLength = MAX_FIELD)
            String clientSecret) {
    }

    @Schema(name = "PartnerToken", description = "An access token (RFC 6749 §5.1)")
    public record TokenResponse(
            @Schema(description = "RS256 JWT; send it as Authorization: Bearer") String accessToken,
            @Schema(examples = "Bearer") String tokenType,
            @Schema(description = "Seconds until the token expires", examples = "900") long expiresIn,
            @Schema(description = "The scopes granted, space-separated", examples = "orders:read webhooks:manage") String scope) {
    }

    @Schema(name = "OAuthError", description = "An OAuth 2.0 error (RFC 6749 §5.2); branch on error")
    public record OAuthError(
            @Schema(enumeration = {"invalid_request", "invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type",
                    "invalid_scope"}, examples = "invalid_client") String error,
            @Schema(examples = "Client authentication failed.") String errorDescription) {
    }

    @POST
    @PermitAll
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "issuePartnerToken", summary = "Get a partner access token (client credentials grant)",
            description = "OAuth 2.0 client credentials grant (RFC 6749 §4.4). Authenticate the client with HTTP Basic "
                    + "(client_id:client_secret) or with the client_id and client_secret form fields, not both. The answer carries "
                    + "Cache-Control: no-store. Errors are OAuth errors (RFC 6749 §5.2), not problem documents, except 413, 415 and the "
                    + "429 of too many failed authentications.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED,
            schema = @Schema(implementation = TokenForm.class)))
    @APIResponse(responseCode = "200", description = "The token", content = @Content(schema = @Schema(implementation = TokenResponse.class)))
    @APIResponse(responseCode = "400", description = "invalid_request (missing or repeated field, two authentication methods), "
            + "unsupported_grant_type, or invalid_scope (a scope the client was not granted)",
            content = @Content(schema = @Schema(implementation = OAuthError.class)))
    @APIResponse(responseCode = "401", description = "invalid_client: unknown client, wrong secret, or a revoked client",
            headers = @Header(name = "WWW-Authenticate", description = "Basic realm=\"harmony-partners\"", schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING)),
            content = @Content(schema = @Schema(implementation = OAuthError.class)))
    @APIResponse(responseCode = "429", description = "Too many failed authentications of this client or from this address (type "
            + "`partner-authentication-throttled`); see Retry-After",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> token(String body, @HeaderParam("Authorization") String authorization, @Context HttpServerRequest request) {
        Credentials credentials;
        try {
            credentials = parse(form(body), authorization);
        } catch (OAuthFailure f) {
            return Uni.createFrom().item(f.response());
        }
        String ip = ClientAddress.bucket(addresses.of(request));
        // per client and address, and per address: never per client alone, so nobody can lock a partner out from elsewhere
        Limit perClient = new Limit("partner-auth:client-ip:" + canonical(credentials.clientId()) + "|" + ip, config.authFailures(), config.authWindow(),
                config.authWindow(), Duration.ofHours(1));
        Limit perIp = new Limit("partner-auth:ip:" + ip, config.authFailures() * 10, config.authWindow(), config.authWindow(), Duration.ofHours(1));
        return throttle.guard(PartnerProblems.AUTH_THROTTLED, "Too many failed client authentications.", perClient, perIp)
                .chain(permit -> authenticate(credentials).onFailure().call(permit::release).chain(client -> client == null
                        ? permit.failed().map(v -> invalidClient())
                        : permit.release().map(v -> issue(client, credentials.scope())))
                        .onCancellation().call(permit::release));
    }

    /**
     * The client id as the limit counts it: the one spelling of the id it parses to (UUID.fromString takes any case
     * and shortened groups, so the raw text would give one client many counters). Ids that parse to none share one.
     */
    private static String canonical(String clientId) {
        try {
            return UUID.fromString(clientId).toString();
        } catch (IllegalArgumentException e) {
            return "not-a-client-id";
        }
    }

    private Uni<PartnerClientService.Authenticated> authenticate(Credentials c) {
        UUID id;
        try {
            id = UUID.fromString(c.clientId());
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().nullItem();
        }
        return clients.authenticate(id, c.secret());
    }

    private Response issue(PartnerClientService.Authenticated client, String requested) {
        Set<String> scopes;
        if (requested == null || requested.isBlank()) {
            scopes = client.scopes();
        } else {
            scopes = new LinkedHashSet<>(List.of(requested.strip().split(" +")));
            if (!client.scopes().containsAll(scopes)) {
                return error(400, "invalid_scope", "The client was not granted every requested scope; it may ask for: "
                        + String.join(" ", client.scopes()) + ".");
            }
        }
        PartnerClientService.Token token = clients.issue(client.clientId(), scopes);
        return Response.ok(new TokenResponse(token.accessToken(), "Bearer", token.expiresIn(), token.scope()))
                .header("Cache-Control", "no-store").header("Pragma", "no-cache").build();
    }

    /** The client's credentials and the requested scope, from exactly one authentication method. */
    private record Credentials(String clientId, String secret, String scope) {
    }

    private static Credentials parse(MultivaluedMap<String, String> form, String authorization) {
        for (var e : form.entrySet()) {
            if (e.getValue().size() > 1) {
                throw new OAuthFailure(error(400, "invalid_request", "The field " + e.getKey() + " appears more than once."));
            }
            if (e.getValue().get(0) != null && e.getValue().get(0).length() > MAX_FIELD) {
                throw new OAuthFailure(error(400, "invalid_request", "The field " + e.getKey() + " is longer than " + MAX_FIELD + " characters."));
            }
        }
        String grant = form.getFirst("grant_type");
        if (grant == null || grant.isBlank()) {
            throw new OAuthFailure(error(400, "invalid_request", "grant_type is missing."));
        }
        if (!"client_credentials".equals(grant)) {
            throw new OAuthFailure(error(400, "unsupported_grant_type", "Only the client_credentials grant is supported."));
        }
        String formId = form.getFirst("client_id");
        String formSecret = form.getFirst("client_secret");
        boolean basic = authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
        if (basic && (formId != null || formSecret != null)) {
            throw new OAuthFailure(error(400, "invalid_request", "Authenticate the client one way: HTTP Basic or the form fields, not both."));
        }
        if (basic) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new OAuthFailure(invalidClient());
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new OAuthFailure(invalidClient());
            }
            return new Credentials(urlDecode(decoded.substring(0, colon)), urlDecode(decoded.substring(colon + 1)), form.getFirst("scope"));
        }
        if (formId == null || formSecret == null) {
            throw new OAuthFailure(invalidClient());
        }
        return new Credentials(formId, formSecret, form.getFirst("scope"));
    }

    private static String urlDecode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    private static Response invalidClient() {
        Response r = error(401, "invalid_client", "Client authentication failed.");
        return Response.fromResponse(r).header("WWW-Authenticate", BASIC).build();
    }

    /**
     * The form, decoded here rather than by the REST layer, whose decoder throws on broken percent-encoding
     * (grant_type=%ZZ) before this resource could answer with an OAuth error.
     */
    private static MultivaluedMap<String, String> form(String body) {
        MultivaluedMap<String, String> form = new MultivaluedHashMap<>();
        for (String pair : body == null ? new String[0] : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                form.add(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new OAuthFailure(error(400, "invalid_request", "The body is not valid application/x-www-form-urlencoded."));
            }
        }
        return form;
    }

    private static Response error(int status, String code, String description) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new OAuthError(code, description))
                .header("Cache-Control", "no-store").header("Pragma", "no-cache").build();
    }

    /** An OAuth error found while reading the request. */
    private static final class OAuthFailure extends RuntimeException {

        private final transient Response response;

        OAuthFailure(Response response) {
            super(null, null, false, false);
            this.response = response;
        }

        Response response() {
            return response;
        }
    }
}
