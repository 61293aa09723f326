package com.harmony.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Cookies and the server's own key. */
@ConfigMapping(prefix = "harmony.security")
interface SecurityConfig {

    /** Secure cookies with the __Host- prefix; off only for plain-http development. */
    @WithDefault("true")
    boolean secureCookies();

    /** The server's HMAC key (CSRF tokens, refresh successors): at least 32 characters, required in production. */
    Optional<String> secretKey();
}
