package com.harmony.platform;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Base64;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Strong ETags over the exact JSON a read returns, so a client's If-None-Match turns an unchanged
 * resource or page into a body-less 304.
 */
public final class ETags {

    private ETags() {
    }

    public static String of(String body) {
        return '"' + Base64.getUrlEncoder().withoutPadding().encodeToString(Hashes.sha256(body)).substring(0, 22) + '"';
    }

    /** 200 with the body and its ETag, or 304 when the caller already holds that representation. */
    public static RestResponse<String> ok(HttpHeaders headers, String body) {
        return ok(headers, body, of(body));
    }

    /** The same with a tag computed earlier (a cached representation keeps its tag). */
    public static RestResponse<String> ok(HttpHeaders headers, String body, String tag) {
        if (matches(headers.getHeaderString(HttpHeaders.IF_NONE_MATCH), tag)) {
            return RestResponse.ResponseBuilder.<String>create(Response.Status.NOT_MODIFIED)
                    .header(HttpHeaders.ETAG, tag).build();
        }
        return RestResponse.ResponseBuilder.ok(body, MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.ETAG, tag).build();
    }

    /** The same for a value the API's own ObjectMapper writes (snake_case, like every other body). */
    public static RestResponse<String> ok(HttpHeaders headers, com.fasterxml.jackson.databind.ObjectMapper json, Object value) {
        try {
            return ok(headers, json.writeValueAsString(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean matches(String ifNoneMatch, String tag) {
        if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.equals("*") || c.equals(tag) || c.equals("W/" + tag)) {
                return true;
            }
        }
        return false;
    }
}
