package com.harmony.platform;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.OAuthFlow;
import org.eclipse.microprofile.openapi.annotations.security.OAuthFlows;
import org.eclipse.microprofile.openapi.annotations.security.OAuthScope;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The API's document-level description: security schemes and tags, shared by every feature. */
@OpenAPIDefinition(
        info = @Info(title = "Harmony Commerce API", version = "1.0.0",
                description = "Headless commerce API. JSON uses snake_case; money is integer minor units with an ISO 4217 "
                        + "currency; timestamps are RFC 3339 UTC; lists are cursor-paginated (limit, cursor, has_more, "
                        + "next_cursor); reads carry an ETag and answer 304 to If-None-Match; every error is an RFC 9457 "
                        + "problem document with a stable type; every response carries X-Request-Id."),
        tags = {
                @Tag(name = "Catalog", description = "Products and categories, public and anonymous (P2, P4)"),
                @Tag(name = "Catalog admin", description = "Back-office catalog management (role admin)"),
                @Tag(name = "Accounts", description = "Registration (P4, P10, P31)"),
                @Tag(name = "Sign-in", description = "Sign-in, token refresh, sign-out, password reset (P22, P24, P25)"),
                @Tag(name = "My Account", description = "The signed-in person's profile, address book and credentials (P10)"),
                @Tag(name = "Accounts admin", description = "Back-office account administration (role admin)"),
                @Tag(name = "Carts", description = "Guest and account carts, priced from the catalog on every read (P4, P22)"),
                @Tag(name = "Orders", description = "Checkout, order history and returns (P2, P4, P8, P9)"),
                @Tag(name = "Orders admin", description = "Order handling and returns for support agents and admins"),
                @Tag(name = "Affiliates", description = "Affiliate applications, referral links, dashboards and commissions (P11, P12)"),
                @Tag(name = "Affiliates admin", description = "Affiliate decisions and payout runs (role admin)"),
                @Tag(name = "Visitors", description = "Visitor identities: a browser or app before it has an account (P11)"),
                @Tag(name = "Policies", description = "The privacy statement and cookie policy, every version (P30)"),
                @Tag(name = "Consents", description = "Consents per purpose with history, cookie preferences, Global Privacy Control, one-click unsubscribe (P15, P16, P17, P23, C1)"),
                @Tag(name = "Marketing", description = "Marketing emails, the partner audience without phone, card or email, partner-sourced attributes (P7, P15, P16, P18)"),
                @Tag(name = "Privacy requests", description = "Export, erasure, access and rectification requests, processed only after "
                        + "the requester confirms through an emailed single-use link (P13, P29)"),
                @Tag(name = "Privacy", description = "The public data map: what personal data is kept, why, from whom, who receives it and for how long (P1, P28)"),
                @Tag(name = "Disclosures", description = "The disclosure log: every disclosure of a person's data outside the company (P20)"),
                @Tag(name = "Audit", description = "The append-only log of staff actions on someone else's data (P24)"),
                @Tag(name = "Analytics", description = "Page views, recorded only with analytics consent and without Global Privacy Control, and their daily figures (P21)"),
                @Tag(name = "Feedback", description = "Comments and suggestions from visitors and customers, resolved by staff (P6)"),
                @Tag(name = "Support contacts", description = "Call-centre and service-desk contacts recorded by support agents, kept to assist the person later (P3)"),
                @Tag(name = "Copyright", description = "Notices of claimed copyright infringement under 17 U.S.C. § 512(c) and the copyright agent's queue (role legal) (P27)"),
                @Tag(name = "Contests and surveys", description = "Contests, sweepstakes and surveys for adults, entered by customers and "
                        + "visitors with a marketing question recorded as consent; my own entries and responses (P5, P16, P31)"),
                @Tag(name = "Contests and surveys admin", description = "Setting up contests and surveys, and drawing winners recomputably "
                        + "from a published seed and entry list (role admin)"),
                @Tag(name = "OAuth", description = "Access tokens for partner clients: the OAuth 2.0 client credentials grant"),
                @Tag(name = "Partners admin", description = "Partner clients and their credentials (role admin)"),
                @Tag(name = "Partner API", description = "What partner systems reach with a client credentials token, by scope: orders "
                        + "without contact data (P19), their own webhook subscriptions and deliveries"),
                @Tag(name = "Service", description = "Service status")
        })
@SecurityScheme(securitySchemeName = ApiDocs.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
        description = "Access token from sign-in, for mobile apps and servers: a short-lived RS256 JWT whose issuer, audience, "
                + "expiry and session are checked on every request, following RFC8725 (JWT best current practices); "
                + "never sent in a URL.")
@SecurityScheme(securitySchemeName = ApiDocs.COOKIE, type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.COOKIE,
        apiKeyName = "harmony_session",
        description = "Browsers: the HttpOnly session cookie set by sign-in with use_cookies (named __Host-harmony_session "
                + "when served over HTTPS, as every cookie of the API). Unsafe requests must also send the session's CSRF token "
                + "(the harmony_csrf cookie's value) in the X-CSRF-Token header.")
@SecurityScheme(securitySchemeName = ApiDocs.PARTNER_OAUTH, type = SecuritySchemeType.OAUTH2,
        description = "Partner clients: a short-lived access token (an RS256 JWT checked following RFC8725, 15 minutes by default) "
                + "from POST /v1/oauth/token (OAuth 2.0 client credentials grant), sent as "
                + "Authorization: Bearer. Its scopes decide what it may do; a revoked client's tokens stop working at once.",
        flows = @OAuthFlows(clientCredentials = @OAuthFlow(tokenUrl = "/v1/oauth/token", scopes = {
                @OAuthScope(name = "catalog:read", description = "Read the catalog; subscribe to product.changed and stock.changed"),
                @OAuthScope(name = "orders:read", description = "Read orders without the buyer's contact data; subscribe to order and return events"),
                @OAuthScope(name = "webhooks:manage", description = "Manage the client's own webhook subscriptions, see and replay their deliveries"),
                @OAuthScope(name = "audience:read", description = "Reserved for the partner audience (P18); grants no operation yet"),
                @OAuthScope(name = "privacy:notices", description = "Receive privacy.erasure-notice events as a processor")})))
public class ApiDocs extends Application {

    public static final String BEARER = "bearer";
    public static final String COOKIE = "cookie";
    /** Partner clients' OAuth 2.0 scheme (client credentials); its scopes are the partner feature's fixed list. */
    public static final String PARTNER_OAUTH = "partnerOAuth";

    public static final String PROBLEM_JSON = Problem.MEDIA_TYPE;
}
