package com.harmony.platform;

import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A path with a dot segment, written out or percent-encoded ({@code /v1/me/addresses/%2e%2e}), is a 404 before
 * routing: the router resolves it, so it would run another operation than the one the path names (here
 * {@code DELETE /v1/me}, an erasure request).
 */
@ApplicationScoped
public class DotSegments {

    void register(@Observes Filters filters) {
        // after RequestIds (1000), so the problem carries the request id
        filters.register(rc -> {
            if (hasDotSegment(rc.request().path())) {
                Problems.write(rc, ProblemType.NOT_FOUND, "No resource exists at this path: it holds a '.' or '..' segment.");
                return;
            }
            rc.next();
        }, 950);
    }

    static boolean hasDotSegment(String rawPath) {
        if (rawPath == null || rawPath.indexOf('.') < 0 && rawPath.indexOf('%') < 0) {
            return false;
        }
        for (String segment : rawPath.split("/", -1)) {
            String s = segment.indexOf(';') >= 0 ? segment.substring(0, segment.indexOf(';')) : segment;
            if (s.indexOf('%') >= 0) {
                try {
                    s = URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return false; // the HTTP layer answers a broken escape itself
                }
            }
            if (s.equals(".") || s.equals("..")) {
                return true;
            }
        }
        return false;
    }
}
