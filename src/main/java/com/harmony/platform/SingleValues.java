package com.harmony.platform;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.MultiMap;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/**
 * A header that carries one value, or a query parameter, sent twice is a 400 before routing, and so is an empty
 * Idempotency-Key. The REST layer reads the first and ignores the rest, so what a proxy or a log judged by (the
 * last {@code If-Match}, the second {@code limit}) could differ from what the API acted on; no parameter of the spec
 * takes several values. (A duplicated Content-Length never gets here: the HTTP layer refuses it.)
 */
@ApplicationScoped
public class SingleValues {

    static final List<String> HEADERS = List.of("Host", "Content-Type", "Content-Encoding", "Authorization",
            "If-Match", "If-None-Match", Idempotency.HEADER, "X-Cart-Token", Cookies.CSRF_HEADER, "X-Visitor-Token");

    void register(@Observes Filters filters) {
        // after RequestIds (1000), so the problem carries the request id
        filters.register(rc -> {
            MultiMap headers = rc.request().headers();
            for (String name : HEADERS) {
                if (headers.getAll(name).size() > 1) {
                    Problems.write(rc, ProblemType.MALFORMED_REQUEST, "The " + name + " header is sent more than once; send it once.");
                    return;
                }
            }
            String key = headers.get(Idempotency.HEADER);
            if (key != null && key.isBlank()) {
                // the REST layer reads an empty header as none, and a command that asked to be done once would run unguarded
                Problems.write(rc, ProblemType.MALFORMED_REQUEST, "The Idempotency-Key header is empty: send a key of 1 to 255 "
                        + "printable ASCII characters, or no header.");
                return;
            }
            String query = rc.request().query();
            if (query != null && query.indexOf('&') >= 0) {
                MultiMap params;
                try {
                    params = rc.queryParams();
                } catch (IllegalArgumentException undecodable) {
                    rc.next(); // the HTTP layer answers a broken escape itself
                    return;
                }
                for (String name : params.names()) {
                    if (params.getAll(name).size() > 1) {
                        Problems.write(rc, ProblemType.MALFORMED_REQUEST, "The query parameter " + name + " is given more than once; give it once.");
                        return;
                    }
                }
            }
            rc.next();
        }, 940);
    }
}
