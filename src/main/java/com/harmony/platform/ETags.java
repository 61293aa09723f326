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

    /** How every write that takes If-Match over a read's ETag documents it. */
    public static final String IF_MATCH_DOC = "The ETag read (from a GET, or from the last write's answer), compared strongly: when the "
            + "resource has changed since, or the tag is weak (W/…), the write is refused with 412 and nothing changes. Without it "
            + "the write is unconditional.";

    public static final String PRECONDITION_FAILED_DOC = "Changed since the ETag sent in If-Match (type `precondition-failed`); nothing was changed";

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

    /** 200 with what a write left, tagged as a read of it would be, so the next write can send If-Match at once. */
    public static RestResponse<String> written(String body) {
        return written(body, of(body));
    }

    /** The same with its tag computed earlier. */
    public static RestResponse<String> written(String body, String tag) {
        return RestResponse.ResponseBuilder.ok(body, MediaType.APPLICATION_JSON_TYPE).header(HttpHeaders.ETAG, tag).build();
    }

    /** The same for a value the API's own ObjectMapper writes (snake_case, like every other body). */
    public static RestResponse<String> ok(HttpHeaders headers, com.fasterxml.jackson.databind.ObjectMapper json, Object value) {
        try {
            return ok(headers, json.writeValueAsString(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether a write may go ahead: no If-Match, or one naming the current tag (or "*") compared strongly (RFC 9110
     * 13.1.1). An empty one names no tag, so it matches nothing (it is not "no condition"; see EmptyIfMatch).
     */
    static boolean ifMatch(String ifMatch, String current) {
        // a weak tag (W/…, a proxy may have weakened ours) never matches strongly
        return ifMatch == null || names(ifMatch, current, false);
    }

    /** 412 unless {@link #ifMatch} lets the write over {@code current} go ahead; nothing is written then. */
    public static void requireMatch(String ifMatch, String current, String what) {
        if (!ifMatch(ifMatch, current)) {
            throw changed(what);
        }
    }

    /** An If-Match that is there but empty names no version: 412, never read as "no condition" (so the write is not made). */
    static void requireNotEmpty(String ifMatch) {
        if (ifMatch != null && ifMatch.isBlank()) {
            throw new ProblemException(ProblemType.PRECONDITION_FAILED, "If-Match is empty, so it names no version and matches none: "
                    + "send the ETag as received (or \"*\"), or no If-Match for an unconditional write. Nothing was changed.");
        }
    }

    private static ProblemException changed(String what) {
        return new ProblemException(ProblemType.PRECONDITION_FAILED, what + " changed since the ETag sent in If-Match (or that is "
                + "not its ETag as received): nothing was changed. Read it again and apply your change to what it holds now.");
    }

    static boolean matches(String ifNoneMatch, String tag) {
        return ifNoneMatch != null && names(ifNoneMatch, tag, true);
    }

    /** Whether the header's list names the tag or is "*"; {@code weak}: its W/ form counts too (If-None-Match's comparison). */
    private static boolean names(String header, String tag, boolean weak) {
        for (String candidate : header.split(",")) {
            String c = candidate.trim();
            if (c.equals("*") || c.equals(tag) || weak && c.equals("W/" + tag)) {
                return true;
            }
        }
        return false;
    }
}
