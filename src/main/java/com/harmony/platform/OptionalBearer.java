package com.harmony.platform;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * An operation anyone may use that acts on who is asking: signed in, it is the account's. The spec lists its sign-in
 * as optional (no credentials, the bearer token or the session cookie), so generated clients send a token they hold, and
 * documents the 401 a bearer token that is not valid gets (see ConsentService#requester).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@APIResponse(responseCode = "401", description = OptionalBearer.DOC,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public @interface OptionalBearer {

    /** The 401's description; the spec's filter also marks the operation's sign-in optional by it (OpenApiProblems). */
    String DOC = "An Authorization bearer token was sent and is not valid: expired, signed out or not issued here (type "
            + "`unauthorized`, with WWW-Authenticate: Bearer error=\"invalid_token\"). Refresh it, or send none to go on without "
            + "signing in; a session cookie that is not valid counts as none";

    /** Sign-out's 401: it needs a session, named by the access token or, in a browser whose token expired, the refresh cookie. */
    String SIGN_OUT_DOC = "Neither a valid access token (Authorization: Bearer, or the session cookie) nor a refresh cookie names a "
            + "session to end (type `unauthorized`)";
}
