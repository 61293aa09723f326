package com.harmony.platform;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;

/**
 * Where a client presents its visitor token: browsers in the first-party harmony_visitor cookie, apps
 * in the X-Visitor-Token header (the header wins when both are sent).
 */
public final class VisitorToken {

    public static final String COOKIE = "harmony_visitor";
    public static final String HEADER = "X-Visitor-Token";

    private VisitorToken() {
    }

    /** The presented token, or null. */
    public static String of(HttpServerRequest request) {
        String header = request.getHeader(HEADER);
        if (header != null && !header.isBlank()) {
            return header.strip();
        }
        Cookie cookie = request.getCookie(COOKIE);
        return cookie == null || cookie.getValue().isBlank() ? null : cookie.getValue();
    }
}
