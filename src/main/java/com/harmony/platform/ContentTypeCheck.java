package com.harmony.platform;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/**
 * A Content-Type that is not a media type at all ("garbage", "a/b/c", ";;;") never reaches the REST layer,
 * which, where a path has methods for several media types, fails to parse it with an exception instead of
 * answering. On a request with a body it is a 415 problem; on one without, it describes nothing and is
 * dropped, so the request is answered as if it had not been sent. Parsed by the same parser RESTEasy uses.
 */
@ApplicationScoped
public class ContentTypeCheck {

    void register(@Observes Filters filters) {
        // after RequestIds (1000), so the problem carries the request id
        filters.register(rc -> {
            String type = rc.request().getHeader(HttpHeaders.CONTENT_TYPE);
            if (type != null && !parses(type)) {
                if (hasBody(rc.request())) {
                    Problems.write(rc, ProblemType.UNSUPPORTED_MEDIA_TYPE, "The Content-Type header is not a media type; send application/json.");
                    return;
                }
                rc.request().headers().remove(HttpHeaders.CONTENT_TYPE);
            }
            rc.next();
        }, 900);
    }

    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return request.getHeader("Transfer-Encoding") != null || length != null && !length.strip().equals("0");
    }

    static boolean parses(String value) {
        try {
            MediaType.valueOf(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
