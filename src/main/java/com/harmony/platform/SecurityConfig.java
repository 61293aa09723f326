package com.harmony.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Cookies and the server's own key. */
@ConfigMapping(prefix = "harmony.security")
interface SecurityConfig {

    /** Secure cookies with the __Host- prefix (__Secure- with a cookie domain); off only for plain-http development. */
    @WithDefault("true")
    boolean secureCookies();

    /**
     * SameSite of every cookie the API sets: lax (the default: Lax, and Strict for the refresh and CSRF cookies),
     * strict (all Strict) or none (all None, for a storefront on another site; needs secure cookies).
     */
    @WithDefault("lax")
    SameSiteMode cookieSameSite();

    /**
     * The Domain attribute of every cookie (e.g. shop.example, so api.shop.example's cookies reach www.shop.example's
     * requests); none by default. With it, secure cookies are named with the __Secure- prefix, since __Host- forbids a Domain.
     */
    Optional<String> cookieDomain();

    /**
     * Partitioned (CHIPS) on every cookie: a browser that blocks third-party cookies still keeps them for a storefront on
     * another site, in a jar of that storefront's site only. Needs secure cookies.
     */
    @WithDefault("false")
    boolean cookiePartitioned();

    /** The server's HMAC key (CSRF tokens, refresh successors): at least 32 characters, required in production. */
    Optional<String> secretKey();

    enum SameSiteMode {
        LAX, STRICT, NONE
    }
}
