package com.harmony.platform;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
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
 * neither set nor shadow it. With a configured cookie domain the prefix is {@code __Secure-} instead
 * ({@code __Host-} forbids a Domain): still HTTPS only, but shared with the domain's other hosts. The
 * code names cookies by their plain names; this class adds the prefix on the way out and, on the way
 * in, maps the prefixed names back while dropping any plain-named copies, which only another site
 * could have planted.
 *
 * <p>SameSite follows {@code harmony.security.cookie-same-site}: {@code lax} (Lax, Strict for the
 * refresh and CSRF cookies), {@code strict}, or {@code none} for a storefront on another site, which
 * needs secure cookies (browsers refuse SameSite=None without Secure).
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
    static final String SECURE_PREFIX = "__Secure-";
    private static final Set<String> OURS = Set.of(SESSION, REFRESH, CART, CSRF, VisitorToken.COOKIE, ReferralAttribution.COOKIE);

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Whether cookies carry the Secure attribute and the __Host- prefix (turn off only for plain-http local development). */
    @Inject
    SecurityConfig config;

    /** A cookie the page's script cannot read. maxAge null: a session cookie. */
    public Cookie httpOnly(String name, String value, Duration maxAge) {
        Cookie c = base(name, value).setHttpOnly(true);
        if (maxAge != null) {
            c.setMaxAge(maxAge.toSeconds());
        }
        return c;
    }

    /** The CSRF cookie, living as long as the credential it is bound to (maxAge null: a session cookie). */
    public Cookie csrf(String value, Duration maxAge) {
        Cookie c = base(CSRF, value).setHttpOnly(false);
        if (maxAge != null) {
            c.setMaxAge(maxAge.toSeconds());
        }
        return c;
    }

    /** A cookie that tells the browser to forget name: same name, Path, Domain and SameSite as the live one, or the browser keeps it. */
    public Cookie expired(String name) {
        return base(name, "").setMaxAge(0).setHttpOnly(!CSRF.equals(name));
    }

    /** What every cookie of ours carries: its wire name, Path=/, Secure, SameSite and the configured Domain. */
    private Cookie base(String name, String value) {
        Cookie c = Cookie.cookie(wire(name), value).setPath("/").setSecure(secure()).setSameSite(sameSite(name));
        config.cookieDomain().filter(d -> !d.isBlank()).ifPresent(d -> c.setDomain(d.strip()));
        return c;
    }

    /** SameSite per the configured mode; lax keeps the refresh and CSRF cookies Strict (no navigation from elsewhere needs them). */
    CookieSameSite sameSite(String name) {
        return switch (config.cookieSameSite()) {
            case NONE -> CookieSameSite.NONE;
            case STRICT -> CookieSameSite.STRICT;
            case LAX -> REFRESH.equals(name) || CSRF.equals(name) ? CookieSameSite.STRICT : CookieSameSite.LAX;
        };
    }

    private boolean secure() {
        return config.secureCookies();
    }

    /** The prefix of our names on the wire: __Host- for secure host-only cookies, __Secure- with a Domain, none on plain http. */
    String prefix() {
        if (!secure()) {
            return "";
        }
        return config.cookieDomain().filter(d -> !d.isBlank()).isPresent() ? SECURE_PREFIX : HOST_PREFIX;
    }

    /** The name on the wire. */
    String wire(String name) {
        return prefix() + name;
    }

    /**
     * The Set-Cookie header's value: the cookie, plus Partitioned when configured (CHIPS, which Vert.x's Cookie cannot
     * say). Every cookie of ours goes out through here, never through Vert.x's cookie jar.
     */
    public String header(Cookie cookie) {
        String encoded = cookie.encode();
        return config.cookiePartitioned() ? encoded + "; Partitioned" : encoded;
    }

    /** Adds the cookie to the response as a Set-Cookie header. */
    public void add(HttpServerResponse response, Cookie cookie) {
        response.headers().add(HttpHeaders.SET_COOKIE, header(cookie));
    }

    /** SameSite=None and Partitioned without Secure are refused by browsers: refuse to start that way rather than lose every cookie. */
    void check(@Observes StartupEvent start) {
        if (config.cookieSameSite() == SecurityConfig.SameSiteMode.NONE && !secure()) {
            throw new IllegalStateException("COOKIES_SAME_SITE=none needs secure cookies (COOKIES_SECURE=true): "
                    + "browsers refuse SameSite=None without Secure");
        }
        if (config.cookiePartitioned() && !secure()) {
            throw new IllegalStateException("COOKIES_PARTITIONED=true needs secure cookies (COOKIES_SECURE=true): "
                    + "browsers refuse Partitioned without Secure");
        }
    }

    void normalize(@Observes Filters filters) {
        // first of all filters: nothing may read cookies before their names are mapped
        filters.register(rc -> {
            if (secure() && rc.request().headers().contains(HttpHeaders.COOKIE)) {
                String cookies = inbound(rc.request(), prefix());
                if (cookies.isEmpty()) {
                    rc.request().headers().remove(HttpHeaders.COOKIE);
                } else {
                    rc.request().headers().set(HttpHeaders.COOKIE, cookies);
                }
            }
            rc.next();
        }, 3000);
    }

    /** The Cookie header as the code reads it: __Host-harmony_x (or __Secure-) becomes harmony_x; a plain harmony_x is dropped. */
    private static String inbound(HttpServerRequest request, String prefix) {
        List<String> kept = new ArrayList<>();
        for (String header : request.headers().getAll(HttpHeaders.COOKIE)) {
            for (String pair : header.split(";")) {
                String p = pair.trim();
                int eq = p.indexOf('=');
                String name = eq < 0 ? p : p.substring(0, eq);
                if (p.isEmpty() || OURS.contains(name)) {
                    continue;
                }
                kept.add(name.startsWith(prefix) && OURS.contains(name.substring(prefix.length()))
                        ? p.substring(prefix.length()) : p);
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
