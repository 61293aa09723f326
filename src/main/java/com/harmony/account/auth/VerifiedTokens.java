package com.harmony.account.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.DefaultJWTTokenParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.microprofile.jwt.Claims;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtContext;

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

    private final DefaultJWTTokenParser verifier = new DefaultJWTTokenParser();
    private final Cache<String, JWTCallerPrincipal> verified = Caffeine.newBuilder()
            .maximumSize(4_096).expireAfterWrite(Duration.ofMinutes(5)).build();

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo authContextInfo) throws ParseException {
        JWTCallerPrincipal known = verified.getIfPresent(token);
        if (known != null && known.getExpirationTime() > System.currentTimeMillis() / 1000) {
            return known;
        }
        // throws for a bad or expired token: never remembered
        JwtContext parsed = verifier.parse(token, authContextInfo);
        JWTCallerPrincipal principal = new Principal(parsed.getJoseObjects().get(0).getHeader("typ"), parsed.getJwtClaims());
        verified.put(token, principal);
        return principal;
    }

    /**
     * SmallRye's principal, but a claim outside the MicroProfile list (our session and client ids) is
     * looked up instead of found by {@code Claims.valueOf} throwing: that exception's stack trace, twice
     * on every signed-in request, was 4.9% of the service's CPU in a warm checkout profile.
     */
    private static final class Principal extends DefaultJWTCallerPrincipal {

        private static final Map<String, Claims> STANDARD = Arrays.stream(Claims.values())
                .collect(Collectors.toUnmodifiableMap(Claims::name, Function.identity()));

        Principal(String type, JwtClaims claims) {
            super(type, claims);
        }

        @Override
        protected Claims getClaimType(String name) {
            return STANDARD.getOrDefault(name, Claims.UNKNOWN);
        }
    }
}
