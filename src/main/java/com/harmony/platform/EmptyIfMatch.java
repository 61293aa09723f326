package com.harmony.platform;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * An If-Match sent empty names no version, so it matches none (RFC 9110 13.1.1): an operation that takes If-Match
 * answers it 412 and writes nothing. The REST layer hands an empty header to the operation as absent, which would
 * make the write unconditional.
 */
public class EmptyIfMatch {

    private final Map<Method, Boolean> takesIfMatch = new ConcurrentHashMap<>();

    @ServerRequestFilter
    public void check(ResourceInfo resource, HttpServerRequest request) {
        String value = request.getHeader(HttpHeaders.IF_MATCH);
        if (value == null || !value.isBlank() || resource.getResourceMethod() == null) {
            return;
        }
        if (takesIfMatch.computeIfAbsent(resource.getResourceMethod(), EmptyIfMatch::takesIfMatch)) {
            ETags.requireNotEmpty(value);
        }
    }

    private static boolean takesIfMatch(Method method) {
        return Arrays.stream(method.getParameterAnnotations()).flatMap(Arrays::stream)
                .anyMatch(a -> a instanceof HeaderParam h && HttpHeaders.IF_MATCH.equalsIgnoreCase(h.value()));
    }
}
