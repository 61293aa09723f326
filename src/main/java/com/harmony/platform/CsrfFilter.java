package com.harmony.platform;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * CSRF protection for browsers (double submit): an unsafe request that carries one of our credential
 * cookies must echo the harmony_csrf cookie in the X-CSRF-Token header. A cross-site page can make
 * the browser send the cookies but cannot read them to set the header. Apps using bearer tokens and
 * X-Cart-Token headers send no cookies and are not affected.
 */
@ApplicationScoped
public class CsrfFilter {

    public static final ProblemType CSRF_FAILED = new ProblemType("csrf-failed", 403, "CSRF token missing or wrong");
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    void register(@Observes Filters filters) {
        filters.register(this::check, 900);
    }

    private void check(RoutingContext rc) {
        if (SAFE.contains(rc.request().method()) || !carriesCredentialCookie(rc)) {
            rc.next();
            return;
        }
        Cookie csrf = rc.request().getCookie(Cookies.CSRF);
        String header = rc.request().getHeader(Cookies.CSRF_HEADER);
        if (csrf == null || header == null || csrf.getValue().isEmpty()
                || !MessageDigest.isEqual(csrf.getValue().getBytes(StandardCharsets.UTF_8), header.getBytes(StandardCharsets.UTF_8))) {
            Problems.write(rc, CSRF_FAILED,
                    "Requests authenticated by cookie must send the harmony_csrf cookie's value in the X-CSRF-Token header.");
            return;
        }
        rc.next();
    }

    private static boolean carriesCredentialCookie(RoutingContext rc) {
        return rc.request().getCookie(Cookies.SESSION) != null
                || rc.request().getCookie(Cookies.REFRESH) != null
                || rc.request().getCookie(Cookies.CART) != null;
    }
}
