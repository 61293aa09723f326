package com.harmony.platform;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * Which sign-in session a browser's cookies belong to, read without a database round trip: the access
 * token names it in its "sid" claim, and refresh tokens start with it ("&lt;session id&gt;.&lt;secret&gt;").
 * Neither is verified here: this only tells the CSRF check which session's token to expect; the
 * signature and the session's state are checked where the credential is used.
 */
public final class SessionIds {

    public static final String SESSION_CLAIM = "sid";

    /**
     * A token issued to a machine client (a partner, through the client credentials grant) names the
     * client in this claim and belongs to no sign-in session: the feature that issued it checks it on
     * every request instead, and the session check leaves it alone.
     */
    public static final String CLIENT_CLAIM = "client_id";

    private SessionIds() {
    }

    /** A token that names its session; the secret part is what makes it unguessable. */
    public static String scopedToken(UUID sessionId, String secret) {
        return sessionId + "." + secret;
    }

    /** The session a scoped token names, or null. */
    public static UUID ofScopedToken(String token) {
        int dot = token == null ? -1 : token.indexOf('.');
        return dot == 36 ? parse(token.substring(0, dot)) : null;
    }

    /** The "sid" claim of a JWT, unverified, or null. */
    public static UUID ofAccessToken(String jwt) {
        String[] parts = jwt == null ? new String[0] : jwt.split("\\.");
        if (parts.length != 3) {
            return null;
        }
        try {
            JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            return claims.getValue(SESSION_CLAIM) instanceof String sid ? parse(sid) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The UUID a string spells, or null (null included): ids from tokens and claims are never trusted to parse. */
    public static UUID parse(String value) {
        if (value == null) {
            return null;
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
