package com.harmony.account.auth;

import com.harmony.platform.SessionIds;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;

/** Signs short-lived RS256 access tokens; issuer and audience come from configuration. */
@ApplicationScoped
public class TokenIssuer {

    /** The claim naming the session, checked against revocations on every request. */
    public static final String SESSION_CLAIM = SessionIds.SESSION_CLAIM;

    private final Duration ttl;

    TokenIssuer(AuthConfig config) {
        Duration ttl = config.accessTokenTtl();
        this.ttl = ttl;
    }

    public String accessToken(UUID accountId, String email, Set<String> roles, UUID sessionId) {
        return Jwt.subject(accountId.toString())
                .upn(email)
                .claim("email", email)
                .groups(roles)
                .claim(SESSION_CLAIM, sessionId.toString())
                .expiresIn(ttl)
                .sign();
    }

    public long ttlSeconds() {
        return ttl.toSeconds();
    }
}
