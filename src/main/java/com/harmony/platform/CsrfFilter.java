package com.harmony.platform;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;
import java.util.UUID;

/**
 * CSRF protection for browsers: an unsafe request that carries one of our credential cookies must send
 * the CSRF token of that credential in the X-CSRF-Token header. A cross-site page can make the browser
 * send the cookies but can neither read them nor compute the token, which is an HMAC (ServerKey) of the
 * sign-in session's id, or of the guest cart's token for a browser without a session. So a token taken
 * from another session or cart is refused too, and planting a CSRF cookie achieves nothing. The
 * harmony_csrf cookie only tells the page's script the token; when it is missing or stale (a new
 * SECRET_KEY, a cookie lost) the next personal read or the refusal itself sets it again, which only the
 * page's own origin can read. Wherever the cookie is set, the X-CSRF-Token response header carries the same token,
 * for a storefront on another site (COOKIES_SAME_SITE=none), whose script cannot read the API's cookies; CORS lets
 * only the configured origins read that header. Apps using bearer tokens and X-Cart-Token headers send no cookies and are
 * not affected.
 */
@ApplicationScoped
public class CsrfFilter {

    public static final ProblemType CSRF_FAILED = new ProblemType("csrf-failed", 403, "CSRF token missing or wrong");
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private final ServerKey key;
    private final Cookies cookies;

    CsrfFilter(ServerKey key, Cookies cookies) {
        this.key = key;
        this.cookies = cookies;
    }

    void register(@Observes Filters filters) {
        // after Quarkus' CORS filter (300): a refusal to a configured origin's page carries the CORS headers, so the page
        // can read the problem and the X-CSRF-Token header; other origins are refused by CORS before this runs
        filters.register(this::check, 250);
    }

    /** The token for browsers signed in to this session; the same for the session's whole life. */
    public String sessionToken(UUID sessionId) {
        return key.sign("csrf-session", sessionId.toString());
    }

    /** The token for a browser holding only this guest cart. */
    public String cartToken(String cartToken) {
        return key.sign("csrf-cart", cartToken);
    }

    /** Whether the browser is signed in (holds a session or refresh cookie), so its CSRF token is the session's. */
    public static boolean signedIn(HttpServerRequest request) {
        return request.getCookie(Cookies.SESSION) != null || request.getCookie(Cookies.REFRESH) != null;
    }

    private void check(RoutingContext rc) {
        if (!carriesCredentialCookie(rc.request())) {
            rc.next();
            return;
        }
        String expected = expectedToken(rc.request());
        if (SAFE.contains(rc.request().method())) {
            // never on cacheable public reads: a shared cache must not hand one browser's cookie to another
            if (!EdgeHeaders.isPublicRead(rc.normalizedPath())) {
                reissueIfStale(rc, expected);
            }
            rc.next();
            return;
        }
        String header = rc.request().getHeader(Cookies.CSRF_HEADER);
        if (expected == null || header == null
                || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), header.getBytes(StandardCharsets.UTF_8))) {
            reissueIfStale(rc, expected);
            Problems.write(rc, CSRF_FAILED, "Requests authenticated by cookie must send the CSRF token of their session "
                    + "(the harmony_csrf cookie's value, also in the sign-in answer) in the X-CSRF-Token header.");
            return;
        }
        rc.next();
    }

    /** Sets the CSRF cookie the browser's credentials call for, when it holds another one or none. */
    private void reissueIfStale(RoutingContext rc, String expected) {
        Cookie held = rc.request().getCookie(Cookies.CSRF);
        if (expected != null && (held == null || !expected.equals(held.getValue()))) {
            cookies.add(rc.response(), cookies.csrf(expected, null));
            // a page on another site cannot read the cookie: the header tells it (CORS lets only the configured origins read it)
            rc.response().putHeader(Cookies.CSRF_HEADER, expected);
        }
    }

    /**
     * The strongest credential cookie decides: the session named by the access token, else by the refresh
     * token, else the guest cart. Null when the cookies name neither: no token is acceptable then.
     */
    private String expectedToken(HttpServerRequest request) {
        Cookie session = request.getCookie(Cookies.SESSION);
        Cookie refresh = request.getCookie(Cookies.REFRESH);
        Cookie cart = request.getCookie(Cookies.CART);
        UUID sid = session == null ? null : SessionIds.ofAccessToken(session.getValue());
        if (sid == null && refresh != null) {
            sid = SessionIds.ofScopedToken(refresh.getValue());
        }
        if (sid != null) {
            return sessionToken(sid);
        }
        return cart == null || cart.getValue().isEmpty() ? null : cartToken(cart.getValue());
    }

    private static boolean carriesCredentialCookie(HttpServerRequest request) {
        return signedIn(request) || request.getCookie(Cookies.CART) != null;
    }
}
