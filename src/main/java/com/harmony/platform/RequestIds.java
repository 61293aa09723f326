package com.harmony.platform;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import java.util.regex.Pattern;

/**
 * Gives every request an id (the caller's X-Request-Id when it is sane), echoes it in the response
 * and answers failures outside the REST layer (unknown paths, oversized bodies) as problems too.
 */
@ApplicationScoped
public class RequestIds {

    public static final String KEY = "harmony.requestId";
    public static final String HEADER = "X-Request-Id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    /** The largest request body accepted, in bytes. */
    @ConfigProperty(name = "harmony.http.max-body-bytes", defaultValue = "262144")
    long maxBodyBytes;

    void assign(@Observes Filters filters) {
        filters.register(rc -> {
            String given = rc.request().getHeader(HEADER);
            String id = given != null && SANE.matcher(given).matches() ? given : generate();
            rc.put(KEY, id);
            rc.response().putHeader(HEADER, id);
            if (rc.request().uri().toLowerCase(java.util.Locale.ROOT).contains("%00")) {
                // no text column can hold a NUL: refuse it here rather than let the database fail on it
                Problems.write(rc, ProblemType.MALFORMED_REQUEST, "The URL contains a NUL character.");
                return;
            }
            if (tooLarge(rc.request().getHeader("Content-Length"))) {
                // refused before reading: the transport limit (quarkus.http.limits) would answer without a body
                rc.response().putHeader("Connection", "close");
                Problems.write(rc, ProblemType.PAYLOAD_TOO_LARGE, Problems.defaultDetail(ProblemType.PAYLOAD_TOO_LARGE));
                return;
            }
            rc.next();
        }, 1000);
    }

    void problems(@Observes Router router) {
        // failures no route claimed (an undecodable path or query never reaches one) still get a problem body
        router.errorHandler(400, rc -> Problems.write(rc, ProblemType.MALFORMED_REQUEST, "The request line could not be read."));
        router.errorHandler(413, rc -> Problems.write(rc, ProblemType.PAYLOAD_TOO_LARGE, Problems.defaultDetail(ProblemType.PAYLOAD_TOO_LARGE)));
        router.route().order(Integer.MIN_VALUE).failureHandler(rc -> {
            int status = rc.statusCode();
            if (status == 413) {
                Problems.write(rc, ProblemType.PAYLOAD_TOO_LARGE, Problems.defaultDetail(ProblemType.PAYLOAD_TOO_LARGE));
            } else if (status == 400) {
                Problems.write(rc, ProblemType.MALFORMED_REQUEST, "The request could not be read.");
            } else {
                rc.next();
            }
        });
    }

    private boolean tooLarge(String contentLength) {
        if (contentLength == null) {
            return false;
        }
        try {
            return Long.parseLong(contentLength.trim()) > maxBodyBytes;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String generate() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return Long.toHexString(r.nextLong() | Long.MIN_VALUE) + Long.toHexString(r.nextLong() | Long.MIN_VALUE);
    }
}
