package com.harmony.platform;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** What an operation anyone may use answers a bearer token that is not valid (see ConsentService#requester). */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@APIResponse(responseCode = "401", description = "An Authorization bearer token was sent and is not valid: expired, signed out or not "
        + "issued here (type `unauthorized`, with WWW-Authenticate: Bearer error=\"invalid_token\"). Refresh it, or send none "
        + "to go on without signing in; a session cookie that is not valid counts as none",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public @interface OptionalBearer {
}
