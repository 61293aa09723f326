package com.harmony.account.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.time.Duration;

/**
 * Verifies each access token once per instance, not once per request: a client sends the same token
 * for its whole life, and checking its RSA signature and parsing its JSON was the largest cost of an
 * authenticated read (JFR). A token is immutable, so what was verified stays verified; a remembered
 * one is trusted only until its own expiry. Revocation is not the token's business: the session check
 * (and the partner client check) still runs on every request.
 */
@ApplicationScoped
@Alternative
@Priority(1)
public class VerifiedTokens extends JWTCallerPrincipalFactory {

    private final JWTCallerPrincipalFactory verifier = new DefaultJWTCallerPrincipalFactory();
    private final Cache<String, JWTCallerPrincipal> verified = Caffeine.newBuilder()
            .maximumSize(4_096).expireAfterWrite(Duration.ofMinutes(5)).build();

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo authContextInfo) throws ParseException {
        JWTCallerPrincipal known = verified.getIfPresent(token);
        if (known != null && known.getExpirationTime() > System.currentTimeMillis() / 1000) {
            return known;
        }
        JWTCallerPrincipal principal = verifier.parse(token, authContextInfo); // throws for a bad or expired token: never remembered
        verified.put(token, principal);
        return principal;
    }
}
