package com.harmony.account.auth;

import com.harmony.platform.SessionIds;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Makes sign-out real: a validly signed access token only counts while its session is live in
 * PostgreSQL, so a revoked token stops working on the next request on every instance.
 */
@ApplicationScoped
public class SessionCheck implements SecurityIdentityAugmentor {

    private final Sessions sessions;

    SessionCheck(Sessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        UUID sessionId = parse(jwt.getClaim(TokenIssuer.SESSION_CLAIM));
        if (sessionId == null && jwt.containsClaim(SessionIds.CLIENT_CLAIM)) {
            // a machine client's token: the partner feature checks its client on every request
            return Uni.createFrom().item(identity);
        }
        if (sessionId == null) {
            return Uni.createFrom().failure(new AuthenticationFailedException("token has no session"));
        }
        return sessions.isActive(sessionId, jwt.getSubject()).map(active -> {
            if (!active) {
                throw new AuthenticationFailedException("session ended");
            }
            return identity;
        });
    }

    private static UUID parse(Object claim) {
        return claim == null ? null : SessionIds.parse(claim.toString().replace("\"", ""));
    }
}
