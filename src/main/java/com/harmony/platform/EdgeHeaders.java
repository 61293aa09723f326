package com.harmony.platform;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import jakarta.inject.Inject;

/**
 * Headers on every response of the public listener, problems included, set as the response is
 * written so no code path can forget them: nothing that may hold a token or personal data is stored
 * by a browser or a proxy, and browsers treat the API as data, never as a page to render or frame.
 */
@ApplicationScoped
public class EdgeHeaders {

    /** Public reads anyone may cache (they carry neither tokens nor personal data); everything else is no-store. */
    private static final List<String> PUBLIC_READS = List.of("/v1/products", "/v1/categories", "/q/openapi");
    /** Dev mode's HTML console, which a JSON-only policy would break (absent from production builds). */
    private static final String DEV_UI = "/q/dev-ui";
    static final String CSP = "default-src 'none'; frame-ancestors 'none'";
    static final String HSTS_VALUE = "max-age=31536000";

    /** Send Strict-Transport-Security: only when clients reach the API over HTTPS (directly or through the proxy). */
    @Inject
    HttpConfig http;

    void register(@Observes Filters filters) {
        // before every other filter, so even answers they give themselves (CORS, CSRF, body limit) carry the headers
        filters.register(rc -> {
            String path = path(rc);
            rc.addHeadersEndHandler(v -> apply(rc.response().headers(), path, rc.response().getStatusCode()));
            rc.next();
        }, 2000);
    }

    private void apply(MultiMap headers, String path, int status) {
        // a problem is never kept, on the catalog's paths too: it may be a limit, an outage or a refusal of this caller
        if (!isPublicRead(path) || status >= 400) {
            headers.set("Cache-Control", "no-store");
            headers.set("Pragma", "no-cache");
        }
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        if (!path.startsWith(DEV_UI)) {
            headers.set("Content-Security-Policy", CSP);
            headers.set("X-Frame-Options", "DENY");
        }
        if (http.hsts()) {
            headers.set("Strict-Transport-Security", HSTS_VALUE);
        }
    }

    static boolean isPublicRead(String path) {
        if (path == null) {
            return false;
        }
        for (String prefix : PUBLIC_READS) {
            if (path.equals(prefix) || path.startsWith(prefix + "/") || path.startsWith(prefix + ".")) {
                return true;
            }
        }
        return false;
    }

    private static String path(RoutingContext rc) {
        String normalized = rc.normalizedPath();
        return normalized != null ? normalized : rc.request().path() == null ? "" : rc.request().path();
    }
}
