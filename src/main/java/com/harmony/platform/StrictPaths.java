package com.harmony.platform;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A path names an operation only as the spec writes it. The REST layer also matched a trailing slash
 * ({@code /v1/products/}), an empty segment ({@code /v1/products//mug}) and a matrix parameter
 * ({@code /v1/products/mug;jsessionid=1}) to one: a path no client was told of, which caches, logs and
 * proxies' rules then see as another resource. Those are 404, as any unknown path is.
 */
public class StrictPaths {

    @ServerRequestFilter(preMatching = true)
    public void asSpecified(io.vertx.core.http.HttpServerRequest http) {
        // as sent (the request line): the path Quarkus routes by has its empty segments removed already
        String uri = http.uri();
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        // a request target in absolute form (http://host/v1/ping, which RFC 9112 has servers accept): its path is after the authority
        int scheme = path.indexOf("://");
        if (scheme > 0 && path.substring(0, scheme).chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.')) {
            int slash = path.indexOf('/', scheme + 3);
            path = slash < 0 ? "/" : path.substring(slash);
        }
        if (path.length() > 1 && (path.endsWith("/") || path.contains("//") || path.indexOf(';') >= 0)) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No operation has this path: the spec's paths have no trailing slash, "
                    + "empty segment or ';' parameters.");
        }
    }
}
