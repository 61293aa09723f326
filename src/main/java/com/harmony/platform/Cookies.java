package com.harmony.platform;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import jakarta.inject.Inject;

/**
 * Every cookie the API sets, in one place (the README lists them, P14/P22). None is needed to
 * rebuild state the server cannot rebuild: losing one signs a browser out or forgets a guest cart.
 *
 * <p>With secure cookies (production) each name carries the {@code __Host-} prefix: browsers then
 * accept it only from this host, over HTTPS, with Path=/ and no Domain, so a sibling subdomain can
 * neither set nor shadow it. The code names cookies by their plain names; this class adds the prefix
 * on the way out and, on the way in, maps the prefixed names back while dropping any plain-named
 * copies, which only another site could have planted.
 */
@ApplicationScoped
public class Cookies {

    /** Access token for browsers; HttpOnly, session lifetime. */
    public static final String SESSION = "harmony_session";
    /** Refresh token for browsers; HttpOnly, SameSite=Strict; persistent only with "remember me". */
    public static final String REFRESH = "harmony_refresh";
    /** Guest cart token; HttpOnly, session lifetime. */
    public static final String CART = "harmony_cart";
    /** CSRF token bound to the session or cart; readable by the page's script, echoed in the X-CSRF-Token header. */
    public static final String CSRF = "harmony_csrf";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    static final String HOST_PREFIX = "__Host-";
    private static final Set<String> OURS = Set.of(SESSION, REFRESH, CART, CSRF, VisitorToken.COOKIE, ReferralAttribution.COOKIE);

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Whether cookies carry the Secure attribute and the __Host- prefix (turn off only for plain-http local development). */
    @Inject
    SecurityConfig config;

    /** A cookie the page's script cannot read. maxAge null: a session cookie. */
    public Cookie httpOnly(String name, String value, Duration maxAge) {
        Cookie c = Cookie.cookie(wire(name), value).setPath("/").setHttpOnly(true).setSecure(secure())
                .setSameSite(REFRESH.equals(name) ? CookieSameSite.STRICT : CookieSameSite.LAX);
        if (maxAge != null) {
            c.setMaxAge(maxAge.toSeconds());
        }
        return c;
    }

    /** The CSRF cookie, living as long as the credential it is bound to (maxAge null: a session cookie). */
    public Cookie csrf(String value, Duration maxAge) {
        Cookie c = Cookie.cookie(wire(CSRF), value).setPath("/").setHttpOnly(false).setSecure(secure()).setSameSite(CookieSameSite.STRICT);
        if (maxAge != null) {
            c.setMaxAge(maxAge.toSeconds());
        }
        return c;
    }

    /** A cookie that tells the browser to forget name. */
    public Cookie expired(String name) {
        return Cookie.cookie(wire(name), "").setPath("/").setMaxAge(0).setHttpOnly(!CSRF.equals(name)).setSecure(secure());
    }

    private boolean secure() {
        return config.secureCookies();
    }

    /** The name on the wire. */
    String wire(String name) {
        return secure() ? HOST_PREFIX + name : name;
    }

    void normalize(@Observes Filters filters) {
        // first of all filters: nothing may read cookies before their names are mapped
        filters.register(rc -> {
            if (secure() && rc.request().headers().contains(HttpHeaders.COOKIE)) {
                String cookies = inbound(rc.request());
                if (cookies.isEmpty()) {
                    rc.request().headers().remove(HttpHeaders.COOKIE);
                } else {
                    rc.request().headers().set(HttpHeaders.COOKIE, cookies);
                }
            }
            rc.next();
        }, 3000);
    }

    /** The Cookie header as the code reads it: __Host-harmony_x becomes harmony_x; a plain harmony_x is dropped. */
    private static String inbound(HttpServerRequest request) {
        List<String> kept = new ArrayList<>();
        for (String header : request.headers().getAll(HttpHeaders.COOKIE)) {
            for (String pair : header.split(";")) {
                String p = pair.trim();
                int eq = p.indexOf('=');
                String name = eq < 0 ? p : p.substring(0, eq);
                if (p.isEmpty() || OURS.contains(name)) {
                    continue;
                }
                kept.add(name.startsWith(HOST_PREFIX) && OURS.contains(name.substring(HOST_PREFIX.length()))
                        ? p.substring(HOST_PREFIX.length()) : p);
            }
        }
        return String.join("; ", kept);
    }

    /** 32 random bytes, URL-safe: for tokens a browser or app holds (cart, refresh). */
    public static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
