package com.harmony.platform;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import jakarta.inject.Inject;
import java.util.regex.Pattern;

/**
 * Gives every request an id (the caller's X-Request-Id when it is sane), echoes it in the response,
 * holds request bodies to harmony.http.max-body-bytes (announced or streamed), all bodies being received at
 * once to harmony.http.body-memory-bytes and one client's to harmony.http.body-memory-per-client-bytes, and answers
 * failures outside the REST layer (unknown paths, oversized bodies) as problems too.
 */
@ApplicationScoped
public class RequestIds {

    public static final String KEY = "harmony.requestId";
    public static final String HEADER = "X-Request-Id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    /** The largest request body accepted, in bytes. */
    @Inject
    HttpConfig http;

    @Inject
    ClientAddress clients;

    @Inject
    io.micrometer.core.instrument.MeterRegistry metrics;

    private BodyHandler streamedBodies;

    /** Bytes of request bodies this instance has let in and not yet finished with (announced sizes, or the limit when streamed). */
    private final AtomicLong bodiesInFlight = new AtomicLong();
    private long bodyMemory;
    /** The same per client (an IPv4 address or an IPv6 /64), present while the client has any. */
    private final java.util.concurrent.ConcurrentHashMap<String, Long> clientBodies = new java.util.concurrent.ConcurrentHashMap<>();
    private long clientBodyMemory;

    void assign(@Observes Filters filters) {
        // a body is held in the heap while it arrives: without a bound on them all, a few hundred slow uploads near
        // the size limit filled the production heap (64 MB) and the instance stopped answering
        // (never below one body of the largest size, which would refuse every chunked body for good)
        bodyMemory = Math.max(http.maxBodyBytes(), http.bodyMemoryBytes().orElse(Runtime.getRuntime().maxMemory() / 4));
        // and one client's trickling uploads, each announcing the limit, could hold all of it (about 62 connections with
        // the production flags), refusing every other client's bodies, sign-ins included
        clientBodyMemory = Math.min(bodyMemory, Math.max(http.maxBodyBytes(), http.bodyMemoryPerClientBytes().orElse(bodyMemory / 4)));
        // what operators watch to size BODY_MEMORY_BYTES, and what tells that every body's share came back
        io.micrometer.core.instrument.Gauge.builder("harmony.http.request.bodies", bodiesInFlight, AtomicLong::get).baseUnit("bytes")
                .description("Bytes of request bodies being received (announced sizes; the body limit for those without one)")
                .register(metrics);
        // counts a streamed body as it arrives and fails the request with 413 past the limit (answered below)
        streamedBodies = BodyHandler.create(false).setBodyLimit(http.maxBodyBytes());
        filters.register(rc -> {
            if (CLOSING.containsKey(rc.request().connection())) {
                // framed after a request whose answer closes the connection (pipelined behind it, or smuggled in its
                // body): Vert.x dispatches it before the close takes effect; it is never answered
                close(rc.vertx(), rc.request().connection());
                return;
            }
            String given = rc.request().getHeader(HEADER);
            String id = given != null && SANE.matcher(given).matches() ? given : generate();
            rc.put(KEY, id);
            rc.response().putHeader(HEADER, id);
            if (rc.request().version() == null) {
                // a request line of an HTTP version Vert.x does not know (HTTP/9.9): it would be answered as that version
                closeAfterAnswer(rc, false);
                Problems.write(rc, ProblemType.MALFORMED_REQUEST, "This server speaks HTTP/1.0, HTTP/1.1 and HTTP/2 only.");
                return;
            }
            if (rc.request().uri().toLowerCase(java.util.Locale.ROOT).contains("%00")) {
                // no text column can hold a NUL: refuse it here rather than let the database fail on it
                Problems.write(rc, ProblemType.MALFORMED_REQUEST, "The URL contains a NUL character.");
                return;
            }
            String coding = rc.request().getHeader(HttpHeaders.CONTENT_ENCODING);
            if (coding != null && !coding.isBlank() && !"identity".equalsIgnoreCase(coding.strip()) && hasBody(rc.request())) {
                // bodies are read as sent: a compressed one would be misread as malformed JSON, or a plain one stored as if decoded
                Problems.write(rc, ProblemType.UNSUPPORTED_MEDIA_TYPE, "Request bodies are not decoded: send them without a Content-Encoding.");
                return;
            }
            String contentLength = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            String transfer = rc.request().version() == HttpVersion.HTTP_2 ? null : rc.request().getHeader(HttpHeaders.TRANSFER_ENCODING);
            if (transfer != null && rc.request().version() == HttpVersion.HTTP_1_0) {
                // HTTP/1.0 has no chunked framing: RFC 9112 (6.1) has the message treated as faulty and the connection closed
                closeAfterAnswer(rc, false);
                Problems.write(rc, ProblemType.MALFORMED_REQUEST, "An HTTP/1.0 request carries no Transfer-Encoding; send its length in Content-Length.");
                return;
            }
            if (transfer != null && (contentLength != null || !"chunked".equalsIgnoreCase(transfer.strip())
                    || rc.request().headers().getAll(HttpHeaders.TRANSFER_ENCODING).size() > 1)) {
                // two framings (a proxy that reads Content-Length and this server chunks would see different requests:
                // request smuggling), or a coding this server does not decode: refused, and the connection is closed, so
                // nothing after it is read as another request (RFC 9112, 6.1)
                closeAfterAnswer(rc, false);
                Problems.write(rc, ProblemType.MALFORMED_REQUEST, contentLength != null
                        ? "A request may carry Content-Length or Transfer-Encoding, not both."
                        : "The only Transfer-Encoding accepted is chunked; send the body without another coding.");
                return;
            }
            if (tooLarge(contentLength)) {
                // refused before reading: the transport limit (quarkus.http.limits) would answer without a body
                payloadTooLarge(rc);
                return;
            }
            boolean streamed = contentLength == null && streamed(rc.request());
            long body = streamed || contentLength == null && unannouncedHttp2Body(rc.request()) ? http.maxBodyBytes()
                    : contentLength != null ? declared(contentLength) : 0;
            if (rc.request().version() == HttpVersion.HTTP_2) {
                // HTTP/2 has no connection-specific headers; the REST layer's reader adds Connection: close to its 413,
                // which clients such as curl then refuse as a malformed answer
                rc.addHeadersEndHandler(v -> rc.response().headers().remove(HttpHeaders.CONNECTION));
            }
            if (body > 0) {
                String client = ClientAddress.bucket(clients.of(rc.request()));
                Share share = reserve(client, body);
                if (share == null || share == CLIENT_FULL) {
                    closeAfterAnswer(rc, true);
                    rc.response().putHeader("Retry-After", "1");
                    Problems.write(rc, ProblemType.UNAVAILABLE, (share == CLIENT_FULL ? "Too many of your request bodies" : "Too many request bodies")
                            + " are being received at once; nothing was read or changed. Retry after Retry-After seconds.");
                    return;
                }
                if (streamed) {
                    admitStreamedBody(rc, share);
                } else {
                    admitBody(rc, share);
                }
            }
            if (streamed) {
                // no announced size: read it here, counting, before the REST layer (which then uses this buffer)
                streamedBodies.handle(rc);
                return;
            }
            rc.next();
        }, 1000);
        // a streamed body has been read in full once its handler passes the request on; its buffer lives until the
        // answer, so its share does too, watched from here on (the framing is past, see admitStreamedBody)
        filters.register(rc -> {
            Share share = rc.get(STREAMED_BODY);
            if (share != null) {
                // a chunked body ends where its framing says; closing after the answer keeps anything framed after it
                // from being read as a request of its own, whatever an intermediary made of the framing (watched from
                // here, once it is read, for the reason below)
                closeAfterAnswer(rc, false);
                rc.vertx().cancelTimer(share.backstop);
                rc.addHeadersEndHandler(v -> releaseStreamedBody(rc));
                rc.addEndHandler(done -> releaseStreamedBody(rc));
            }
            rc.next();
        }, 990);
    }

    /**
     * A chunked HTTP/1.1 body. Not HTTP/2: the REST layer pauses every request it takes over, and Vert.x refuses
     * to pause an HTTP/2 request that has been read (a 500 for every HTTP/2 request, GETs included, when this
     * filter had read them; quarkusio/quarkus#34393). The REST layer reads HTTP/2 bodies without a length itself,
     * held to the same limit (see problems) and counted while they last (see unannouncedHttp2Body).
     */
    private static boolean streamed(HttpServerRequest request) {
        return request.version() != HttpVersion.HTTP_2 && request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    }

    /**
     * An HTTP/2 POST, PUT or PATCH without Content-Length: it may stream a body, which the REST layer reads itself (see
     * streamed) up to the limit, so it counts as the limit until its answer. One without a body (its end in its HEADERS
     * frame) cannot be told apart yet, as Vert.x delivers that end after this filter; no DELETE of the API reads a body.
     */
    private static boolean unannouncedHttp2Body(HttpServerRequest request) {
        io.vertx.core.http.HttpMethod method = request.method();
        return request.version() == HttpVersion.HTTP_2 && (method == io.vertx.core.http.HttpMethod.POST
                || method == io.vertx.core.http.HttpMethod.PUT || method == io.vertx.core.http.HttpMethod.PATCH);
    }

    /** Closes the connection after the answer, so the rest of an oversized body is never read. */
    private static void payloadTooLarge(RoutingContext rc) {
        closeAfterAnswer(rc, true);
        Problems.write(rc, ProblemType.PAYLOAD_TOO_LARGE, Problems.defaultDetail(ProblemType.PAYLOAD_TOO_LARGE));
    }

    /**
     * Says so and does it: Vert.x keeps an HTTP/1.x connection open after a response however it is headed, reading
     * the rest of a refused body. Closing at once, with the client still sending, would make the client's system
     * answer with a reset that can throw away the answer unread; so what still arrives is dropped unread for a
     * moment at most (a lingering close), then the connection ends. (HTTP/2 ends just this stream.)
     */
    private static void closeAfterAnswer(RoutingContext rc, boolean linger) {
        if (rc.request().version() == HttpVersion.HTTP_2) {
            return;
        }
        rc.response().putHeader(HttpHeaders.CONNECTION, "close");
        HttpServerRequest request = rc.request();
        io.vertx.core.http.HttpConnection connection = request.connection();
        io.vertx.core.Vertx vertx = rc.vertx();
        rc.addEndHandler(done -> {
            // marked as the answer ends, before Vert.x hands over a request pipelined behind it; forgotten once closed,
            // or after a while should no close come
            CLOSING.computeIfAbsent(connection, c -> vertx.setTimer(FORGET_CLOSING_MS, t -> CLOSING.remove(c)));
            if (!linger || request.isEnded()) {
                close(vertx, connection);
                return;
            }
            long timer = vertx.setTimer(LINGER.toMillis(), t -> close(vertx, connection));
            try {
                request.handler(ignored -> { }).endHandler(v -> {
                    rc.vertx().cancelTimer(timer);
                    close(vertx, connection);
                });
                request.resume();
            } catch (IllegalStateException alreadyRead) {
                rc.vertx().cancelTimer(timer);
                close(vertx, connection);
            }
        });
    }

    /** Connections closing after their current answer; nothing more is read from them as a request. */
    private static final java.util.concurrent.ConcurrentHashMap<io.vertx.core.http.HttpConnection, Long> CLOSING =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** Past the linger after the answer, by far. */
    private static final long FORGET_CLOSING_MS = java.time.Duration.ofSeconds(30).toMillis();

    private static void close(io.vertx.core.Vertx vertx, io.vertx.core.http.HttpConnection connection) {
        connection.close().onComplete(done -> {
            Long forget = CLOSING.remove(connection);
            if (forget != null) {
                vertx.cancelTimer(forget);
            }
        });
    }

    /** How long the rest of a refused body is dropped before the connection closes anyway. */
    private static final java.time.Duration LINGER = java.time.Duration.ofSeconds(2);

    /** Where Quarkus leaves the largest body the REST layer may read itself (one without Content-Length: HTTP/2's). */
    private static final String REST_BODY_LIMIT = "io.quarkus.max-request-size";

    void problems(@Observes Router router) {
        // the transport's limit (quarkus.http.limits.max-body-size, 2M) is set for every body without a length at
        // order -2; the API's own applies to the ones the REST layer reads itself (HTTP/2), past which it answers 413
        router.route().order(-1).handler(rc -> {
            if (rc.get(REST_BODY_LIMIT) != null) {
                rc.put(REST_BODY_LIMIT, (long) http.maxBodyBytes());
            }
            rc.next();
        });
        // failures no route claimed (an undecodable path or query never reaches one) still get a problem body
        router.errorHandler(400, rc -> Problems.write(rc, ProblemType.MALFORMED_REQUEST, "The request line could not be read."));
        router.errorHandler(413, RequestIds::payloadTooLarge);
        router.route().order(Integer.MIN_VALUE).failureHandler(rc -> {
            releaseStreamedBody(rc); // too large, broken, or its connection gone: no longer being read
            if (rc.response().ended() && rc.response().getStatusCode() == 413) {
                // the REST layer's reader answered an HTTP/2 body past the limit itself and closed the connection;
                // the failure is the mapped problem that came too late to be written
                return;
            }
            int status = rc.statusCode();
            if (status == 413) {
                payloadTooLarge(rc);
            } else if (status == 400) {
                Problems.write(rc, ProblemType.MALFORMED_REQUEST, "The request could not be read.");
            } else if (unreadableBody(rc.failure())) {
                // a broken chunked framing or a client gone mid-upload: the client's fault, not an error of ours
                if (rc.response().ended() || rc.response().closed()) {
                    return;
                }
                closeAfterAnswer(rc, false); // nothing more can be read from a broken stream
                Problems.write(rc, ProblemType.MALFORMED_REQUEST, "The request body could not be read.");
            } else {
                rc.next();
            }
        });
    }

    /** Whether the request carries a body at all (a Content-Encoding header on a GET says nothing about anything). */
    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return length != null ? !"0".equals(length.strip()) : request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    }

    /** A failure of reading the body itself (Netty's chunk decoder, a connection that closed while it was read). */
    private static boolean unreadableBody(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof io.vertx.core.http.HttpClosedException || t instanceof io.netty.handler.codec.DecoderException
                    || t instanceof io.netty.handler.codec.PrematureChannelClosureException) {
                return true;
            }
            if (t instanceof IllegalArgumentException && java.util.Arrays.stream(t.getStackTrace())
                    .anyMatch(f -> f.getClassName().equals("io.netty.handler.codec.http.HttpObjectDecoder"))) {
                return true; // HTTP/1.x decoding of the body: a chunk size that is not hexadecimal, a trailer with a NUL in it
            }
        }
        return false;
    }

    /**
     * Counts the body in until its answer starts or ends, or its connection closes. The answer's start counts too: the
     * REST layer's reader answers an HTTP/2 body past the limit itself and takes the response's end handler for its own
     * (a share released only at the end leaked there).
     */
    private static void admitBody(RoutingContext rc, Share share) {
        rc.addHeadersEndHandler(v -> share.release());
        rc.addEndHandler(done -> share.release());
    }

    /** Bytes counted in, for the instance and the client; null when the instance's would not fit, CLIENT_FULL when the client's. */
    private Share reserve(String client, long bytes) {
        if (addClientBytes(client, bytes) > clientBodyMemory) {
            addClientBytes(client, -bytes);
            return CLIENT_FULL;
        }
        if (bodiesInFlight.addAndGet(bytes) > bodyMemory) {
            bodiesInFlight.addAndGet(-bytes);
            addClientBytes(client, -bytes);
            return null;
        }
        return new Share(client, bytes);
    }

    /** The client's bytes after adding these; its entry goes when they come to nothing, so the map holds current clients only. */
    private long addClientBytes(String client, long bytes) {
        Long after = clientBodies.compute(client, (k, held) -> {
            long sum = (held == null ? 0 : held) + bytes;
            return sum > 0 ? sum : null;
        });
        return after == null ? 0 : after;
    }

    private final Share CLIENT_FULL = new Share("", 0);

    /** One body's bytes in the count, given back once whichever of its ends comes first. */
    private final class Share {
        private final String client;
        private final AtomicLong bytes;
        private long backstop = -1;

        Share(String client, long bytes) {
            this.client = client;
            this.bytes = new AtomicLong(bytes);
        }

        boolean held() {
            return bytes.get() > 0;
        }

        void release() {
            long given = bytes.getAndSet(0);
            if (given > 0) {
                bodiesInFlight.addAndGet(-given);
                addClientBytes(client, -given);
            }
        }
    }

    private static final String STREAMED_BODY = "harmony.streamedBody";
    /**
     * Gives a streamed body's share back at the latest this long after it was let in, should neither the filter after its
     * handler nor the failure handler have seen the request again (no such path is known; this keeps one from shrinking
     * the budget for good).
     */
    private static final long STREAMED_BODY_BACKSTOP_MS = java.time.Duration.ofMinutes(10).toMillis();

    /**
     * A streamed body counts until its answer starts or its request ends, as an announced one, but those are watched only
     * once it has been read: watching the end registers an exception handler on the response, and a broken chunk framing
     * then went unanswered (the connection closed). Until then, the body handler's failure (too large, broken, connection gone)
     * gives the share back, and a backstop timer if neither comes.
     */
    private static void admitStreamedBody(RoutingContext rc, Share share) {
        share.backstop = rc.vertx().setTimer(STREAMED_BODY_BACKSTOP_MS, t -> share.release());
        rc.put(STREAMED_BODY, share);
    }

    /** Gives a streamed body's share back and cancels its backstop (a timer per request would pile up for 10 minutes). */
    private void releaseStreamedBody(RoutingContext rc) {
        Share share = rc.get(STREAMED_BODY);
        if (share != null && share.held()) {
            share.release();
            rc.vertx().cancelTimer(share.backstop);
        }
    }

    private static long declared(String contentLength) {
        try {
            return Math.max(0, Long.parseLong(contentLength.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private boolean tooLarge(String contentLength) {
        return contentLength != null && declared(contentLength) > http.maxBodyBytes();
    }

    private static String generate() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return Long.toHexString(r.nextLong() | Long.MIN_VALUE) + Long.toHexString(r.nextLong() | Long.MIN_VALUE);
    }
}
