package com.harmony.platform;

import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/**
 * A Content-Type that is not a media type at all ("garbage", "a/b/c", ";;;") is refused as 415 before the
 * REST layer sees it: where a path has methods for several media types, RESTEasy fails to parse the header
 * with an exception instead of answering 415. Parsed by the same parser RESTEasy uses.
 */
@ApplicationScoped
public class ContentTypeCheck {

    void register(@Observes Filters filters) {
        // after RequestIds (1000), so the problem carries the request id
        filters.register(rc -> {
            String type = rc.request().getHeader(HttpHeaders.CONTENT_TYPE);
            if (type != null && !parses(type)) {
                Problems.write(rc, ProblemType.UNSUPPORTED_MEDIA_TYPE, "The Content-Type header is not a media type; send application/json.");
                return;
            }
            rc.next();
        }, 900);
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
