package com.harmony.partner;

import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import com.harmony.platform.SessionIds;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Makes revocation real for partner tokens: a validly signed token counts only while its client is
 * active in PostgreSQL, so a revoked client is refused on the next request on every instance. A partner
 * token is good for the partner API and the catalog only: elsewhere (an account's "my" endpoints, which
 * accept any signed-in identity) it counts as absent.
 */
@ApplicationScoped
public class PartnerTokenCheck implements SecurityIdentityAugmentor {

    /** Where a partner token may be used. */
    private static final List<String> PARTNER_PATHS = List.of("/v1/partner/", "/v1/products", "/v1/categories");

    private final PartnerClientService clients;

    PartnerTokenCheck(PartnerClientService clients) {
        this.clients = clients;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        return augment(identity, context, Map.of());
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context, Map<String, Object> attributes) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt) || !jwt.containsClaim(PartnerScopes.CLIENT_CLAIM)) {
            return Uni.createFrom().item(identity);
        }
        UUID client = SessionIds.parse(jwt.getSubject());
        RoutingContext rc = HttpSecurityUtils.getRoutingContextAttribute(attributes);
        String path = rc == null ? null : rc.normalizedPath();
        if (client == null || !identity.getRoles().contains(PartnerScopes.PARTNER)) {
            return Uni.createFrom().failure(new AuthenticationFailedException("not a partner token"));
        }
        boolean partnerPath = path != null && PARTNER_PATHS.stream().anyMatch(path::startsWith);
        return clients.isActive(client).map(active -> {
            if (!active) {
                throw new AuthenticationFailedException("partner client revoked");
            }
            // elsewhere a live client's token counts as no sign-in: a sign-in is refused where one is needed (401), and
            // a public operation (feedback, a cart) serves its caller as anonymous
            return partnerPath ? identity : QuarkusSecurityIdentity.builder().setAnonymous(true).setPrincipal(new QuarkusPrincipal("")).build();
        });
    }
}
