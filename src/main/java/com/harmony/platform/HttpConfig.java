package com.harmony.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** The API's HTTP edge. */
@ConfigMapping(prefix = "harmony.http")
interface HttpConfig {

    /** The largest request body, announced (Content-Length) or streamed; more is a 413 problem. */
    @WithDefault("262144")
    int maxBodyBytes();

    /**
     * The most bytes of request bodies the instance receives at once, all requests together (a body counts until its
     * answer starts or ends, or its connection closes: an announced one by its Content-Length, a streamed one as
     * max-body-bytes); past it a request with a body is a 503 problem with Retry-After. Unset: a quarter of the heap
     * (-Xmx); never less than max-body-bytes.
     */
    Optional<Long> bodyMemoryBytes();

    /**
     * The most of those bytes one client (an IPv4 address or an IPv6 /64, as throttles count them) may hold; past it that
     * client's next request with a body is a 503 problem with Retry-After, while other clients' bodies are let in. Unset:
     * a quarter of body-memory-bytes; never less than max-body-bytes.
     */
    Optional<Long> bodyMemoryPerClientBytes();

    /** Whether every response carries Strict-Transport-Security (clients reach the API over HTTPS only). */
    @WithDefault("false")
    boolean hsts();

    /** Proxies (CIDR list) whose X-Forwarded-For is believed; none by default, so forwarded headers are ignored. */
    Optional<List<String>> trustedProxies();
}
