package com.harmony.platform;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Base64;
import java.security.SecureRandom;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every cookie the API sets, in one place (the README lists them, P14/P22). None is needed to
 * rebuild state the server cannot rebuild: losing one signs a browser out or forgets a guest cart.
 */
@ApplicationScoped
public class Cookies {

    /** Access token for browsers; HttpOnly, session lifetime. */
    public static final String SESSION = "harmony_session";
    /** Refresh token for browsers; HttpOnly, sent only to /v1/auth; persistent only with "remember me". */
    public static final String REFRESH = "harmony_refresh";
    /** Guest cart token; HttpOnly, session lifetime. */
    public static final String CART = "harmony_cart";
    /** Double-submit CSRF token; readable by the page's script, echoed in the X-CSRF-Token header. */
    public static final String CSRF = "harmony_csrf";
    public static final String CSRF_HEADER = "X-CSRF-Token";

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Whether cookies carry the Secure attribute (turn off only for plain-http local development). */
    @ConfigProperty(name = "harmony.cookies.secure", defaultValue = "true")
    boolean secure;

    /** A cookie the page's script cannot read. maxAge null: a session cookie. */
    public Cookie httpOnly(String name, String value, String path, Duration maxAge) {
        Cookie c = Cookie.cookie(name, value).setPath(path).setHttpOnly(true).setSecure(secure)
                .setSameSite(REFRESH.equals(name) ? CookieSameSite.STRICT : CookieSameSite.LAX);
        if (maxAge != null) {
            c.setMaxAge(maxAge.toSeconds());
        }
        return c;
    }

    public Cookie csrf(String value) {
        return Cookie.cookie(CSRF, value).setPath("/").setHttpOnly(false).setSecure(secure).setSameSite(CookieSameSite.STRICT);
    }

    /** A cookie that tells the browser to forget name. */
    public Cookie expired(String name, String path) {
        return Cookie.cookie(name, "").setPath(path).setMaxAge(0).setHttpOnly(!CSRF.equals(name)).setSecure(secure);
    }

    /** 32 random bytes, URL-safe: for tokens a browser or app holds (cart, CSRF, refresh). */
    public static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
