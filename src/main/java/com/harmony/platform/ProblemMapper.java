package com.harmony.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.smallrye.mutiny.CompositeException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where failures become RFC 9457 responses. Expected failures keep their stable type;
 * anything unexpected is logged with the request id and answered as a bare 500 with no internals.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, RoutingContext rc) {
        return Problems.response(rc, e.type(), e.getMessage(), e.errors(), e.headers());
    }

    @ServerExceptionMapper
    public Response composite(CompositeException e, RoutingContext rc) {
        return map(e.getCauses().get(0), rc);
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, RoutingContext rc) {
        return unauthenticated(rc);
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, RoutingContext rc) {
        return unauthenticated(rc);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, RoutingContext rc) {
        return Problems.response(rc, ProblemType.FORBIDDEN, "You are not allowed to do this.");
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, RoutingContext rc) {
        return Problems.response(rc, ProblemType.MALFORMED_REQUEST, describe(e), jsonFieldErrors(e), Map.of());
    }

    /** More specific than Quarkus' own mapper for this type, which answers without a problem body. */
    @ServerExceptionMapper
    public Response mismatched(com.fasterxml.jackson.databind.exc.MismatchedInputException e, RoutingContext rc) {
        return json(e, rc);
    }

    @ServerExceptionMapper
    public Response violations(ConstraintViolationException e, RoutingContext rc) {
        boolean onResponse = e.getConstraintViolations().stream()
                .anyMatch(v -> kinds(v.getPropertyPath()).contains(ElementKind.RETURN_VALUE));
        if (onResponse) {
            return internal(e, rc);
        }
        // one entry per field and message: two constraints saying the same ("must not be blank") are one error
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldOf(v), v.getMessage()))
                .distinct()
                .sorted(Comparator.comparing(Problem.FieldError::field).thenComparing(Problem.FieldError::message))
                .toList();
        return Problems.response(rc, ProblemType.VALIDATION_FAILED, "The request has invalid fields.", errors, Map.of());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, RoutingContext rc) {
        if (e.getCause() != null && e.getCause() != e) {
            Throwable cause = e.getCause();
            if (cause instanceof JsonProcessingException || cause instanceof ProblemException) {
                return map(cause, rc);
            }
        }
        int status = e.getResponse().getStatus();
        if (status == 404 || status == 405) {
            Response notAllowed = notAllowed(e, rc);
            if (notAllowed != null) {
                return notAllowed;
            }
        }
        ProblemType type = switch (status) {
            case 400 -> ProblemType.MALFORMED_REQUEST;
            case 401 -> null;
            case 403 -> ProblemType.FORBIDDEN;
            case 404 -> ProblemType.NOT_FOUND;
            case 405 -> ProblemType.METHOD_NOT_ALLOWED;
            case 406 -> ProblemType.NOT_ACCEPTABLE;
            case 409 -> ProblemType.CONFLICT;
            case 412 -> ProblemType.PRECONDITION_FAILED;
            case 413 -> ProblemType.PAYLOAD_TOO_LARGE;
            case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
            case 429 -> ProblemType.RATE_LIMITED;
            default -> status >= 500 ? ProblemType.INTERNAL : new ProblemType("http-" + status, status, "HTTP " + status);
        };
        if (type == null) {
            return unauthenticated(rc);
        }
        if (status >= 500) {
            return internal(e, rc);
        }
        return Problems.response(rc, type, Problems.defaultDetail(type));
    }

    /**
     * Routing found no method for the request: 405 with the methods the spec gives its path (Quarkus REST answers
     * 404 where another resource class shares the path's start, and its 405 names no methods); null when the path
     * is not the spec's or the method is one of its methods (a 404 of an unknown id stays one).
     */
    private static Response notAllowed(WebApplicationException e, RoutingContext rc) {
        if (rc == null || !(e instanceof jakarta.ws.rs.NotFoundException || e instanceof jakarta.ws.rs.NotAllowedException)) {
            return null;
        }
        return SpecRoutes.allowed(rc.normalizedPath())
                .filter(methods -> !methods.contains(rc.request().method().name()))
                .map(methods -> Problems.response(rc, ProblemType.METHOD_NOT_ALLOWED, Problems.defaultDetail(ProblemType.METHOD_NOT_ALLOWED),
                        List.of(), Map.of("Allow", String.join(", ", methods))))
                .orElse(null);
    }

    @ServerExceptionMapper
    public Response database(PgException e, RoutingContext rc) {
        if (databaseUnavailable(e)) {
            return unavailable(rc);
        }
        // Services translate the constraint violations they expect; this is the safety net.
        return switch (String.valueOf(e.getSqlState())) {
            case "23505", "23503", "40001", "40P01" -> Problems.response(rc, ProblemType.CONFLICT,
                    "The request conflicts with the current state of the resource; retry after reading it again.");
            case "22P02", "22003", "22001", "23514", "22021", "22P05", "22007", "22008" -> Problems.response(rc, ProblemType.VALIDATION_FAILED,
                    "A value is out of the accepted range or holds characters that cannot be stored.");
            default -> internal(e, rc);
        };
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e, RoutingContext rc) {
        return map(e, rc);
    }

    private Response map(Throwable e, RoutingContext rc) {
        if (e instanceof ProblemException p) return problem(p, rc);
        if (databaseUnavailable(e)) return unavailable(rc);
        if (e instanceof CompositeException c) return composite(c, rc);
        if (e instanceof UnauthorizedException || e instanceof AuthenticationFailedException) return unauthenticated(rc);
        if (e instanceof ForbiddenException f) return forbidden(f, rc);
        if (e instanceof JsonProcessingException j) return json(j, rc);
        if (e instanceof ConstraintViolationException v) return violations(v, rc);
        if (e instanceof WebApplicationException w) return web(w, rc);
        if (e instanceof PgException p) return database(p, rc);
        if (e instanceof java.io.IOException && "Request too large".equals(e.getMessage())) {
            // an HTTP/2 body without Content-Length read past harmony.http.max-body-bytes: the reader has answered 413
            return Problems.response(rc, ProblemType.PAYLOAD_TOO_LARGE, Problems.defaultDetail(ProblemType.PAYLOAD_TOO_LARGE));
        }
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            // an entity changed by another request between this one's read and its write (its version moved)
            if (c instanceof jakarta.persistence.OptimisticLockException || c instanceof org.hibernate.StaleStateException) {
                return Problems.response(rc, ProblemType.CONFLICT,
                        "The resource changed while this request ran; read it again and retry.");
            }
        }
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c instanceof java.sql.SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("23")) {
                return Problems.response(rc, ProblemType.CONFLICT,
                        "The request conflicts with the current state of the resource; retry after reading it again.");
            }
            if (c instanceof java.sql.SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
                return Problems.response(rc, ProblemType.VALIDATION_FAILED,
                        "A value is out of the accepted range or holds characters that cannot be stored.");
            }
        }
        if (e.getCause() instanceof ProblemException p) return problem(p, rc);
        return internal(e, rc);
    }

    /**
     * PostgreSQL cannot be reached, is restarting or refuses connections: the transaction did not commit
     * (or, for a reset during the commit itself, the Idempotency-Key's replay tells), so the client may
     * retry. (Connection exceptions 08xxx, shutdowns 57P0x, insufficient resources 53xxx, refused, reset or
     * closed connections, pool timeouts.)
     */
    /** Connection lost (08), server shutting down or restarting (57P), out of resources (53), statement timeout (57014). */
    private static boolean unavailableState(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53") || state.equals("57014"));
    }

    /**
     * The connection the statement went out on had closed, or closed under it: nothing else was wrong with the
     * statement, so it may go again on another connection (the pool hands a closed one out once more before it
     * hears, for a moment).
     */
    public static boolean connectionClosed(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (closed(c)) {
                return true;
            }
        }
        return false;
    }

    private static boolean closed(Throwable c) {
        return c instanceof io.vertx.sqlclient.ClosedConnectionException
                // Vert.x's messages, no exception types of their own: a statement sent on a connection the server had
                // just closed, and commands queued on a connection that closed before they went out
                || c.getMessage() != null && (c.getMessage().startsWith("Connection is not active now")
                        || c.getMessage().startsWith("Pending requests failed to be sent"));
    }

    public static boolean databaseUnavailable(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof java.net.ConnectException || closed(c) || c instanceof io.netty.channel.ConnectTimeoutException
                    // the server went away mid-request (a restart with -m immediate resets every connection)
                    || c instanceof java.net.SocketException || c instanceof java.nio.channels.ClosedChannelException
                    || c instanceof java.io.IOException && c.getMessage() != null
                            && (c.getMessage().contains("Connection reset") || c.getMessage().contains("Broken pipe"))
                    || c instanceof java.util.concurrent.TimeoutException && c.getMessage() != null && c.getMessage().contains("connection")) {
                return true;
            }
            if (c instanceof PgException pg && unavailableState(pg.getSqlState())
                    // the same, as Hibernate Reactive wraps it (a QueryTimeoutException over an SQLException)
                    || c instanceof java.sql.SQLException sql && unavailableState(sql.getSQLState())
                    || c instanceof jakarta.persistence.QueryTimeoutException || c instanceof org.hibernate.QueryTimeoutException
                    // no pooled connection within DB_POOL_WAIT: every connection is busy (a slow or locked database)
                    || c instanceof io.vertx.core.VertxException && "Timeout waiting for connection".equals(c.getMessage())
                    || c instanceof io.vertx.core.impl.NoStackTraceThrowable && "Timeout".equals(c.getMessage())) {
                return true;
            }
        }
        return false;
    }

    private Response unavailable(RoutingContext rc) {
        return Problems.response(rc, ProblemType.UNAVAILABLE, "The database cannot be reached or is too slow right now. Retry shortly, with the same Idempotency-Key if you sent one.",
                List.of(), Map.of("Retry-After", "5"));
    }

    private Response unauthenticated(RoutingContext rc) {
        // RFC 6750 3.1: a token was sent and is not good (expired, signed out, forged), so say so; none sent, only the scheme
        boolean sent = rc != null && rc.request().getHeader("Authorization") != null;
        return Problems.response(rc, ProblemType.UNAUTHORIZED,
                "Sign in and send a valid access token (Authorization: Bearer …) or session cookie.",
                List.of(), Map.of("WWW-Authenticate", sent ? "Bearer error=\"invalid_token\"" : "Bearer"));
    }

    private Response internal(Throwable e, RoutingContext rc) {
        LOG.errorf(e, "Unexpected failure on request %s", Problems.requestId(rc));
        return Problems.response(rc, ProblemType.INTERNAL,
                "Something went wrong on our side. Quote the request id if you contact support.");
    }

    private static String describe(JsonProcessingException e) {
        if (e instanceof StrictUtf8.InvalidUtf8) {
            return e.getOriginalMessage();
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return "Field '" + u.getPropertyName() + "' is not accepted here.";
        }
        if (e instanceof InvalidFormatException f) {
            return "A value has the wrong type or is not one of the accepted values"
                    + (f.getTargetType() != null && f.getTargetType().isEnum() ? ": " + enumValues(f.getTargetType()) : ".");
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            return "A value has the wrong type or shape.";
        }
        return "The body is not valid JSON.";
    }

    private static String enumValues(Class<?> type) {
        List<String> names = new ArrayList<>();
        for (Object c : type.getEnumConstants()) {
            names.add(c.toString());
        }
        return String.join(", ", names);
    }

    private static List<Problem.FieldError> jsonFieldErrors(JsonProcessingException e) {
        if (!(e instanceof JsonMappingException m) || m.getPath().isEmpty()) {
            return List.of();
        }
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference r : m.getPath()) {
            if (r.getFieldName() != null) {
                if (!path.isEmpty()) path.append('.');
                path.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        String message = e instanceof UnrecognizedPropertyException ? "is not an accepted field" : "has the wrong type or value";
        return List.of(new Problem.FieldError(path.toString(), message));
    }

    private static List<ElementKind> kinds(Path path) {
        List<ElementKind> kinds = new ArrayList<>();
        path.forEach(n -> kinds.add(n.getKind()));
        return kinds;
    }

    /** Turns a validation path such as {@code create.request.variants[0].priceMinor} into {@code variants[0].price_minor}. */
    static String fieldOf(ConstraintViolation<?> v) {
        List<Path.Node> nodes = new ArrayList<>();
        v.getPropertyPath().forEach(nodes::add);
        int start = 0;
        for (int i = 0; i < nodes.size(); i++) {
            ElementKind k = nodes.get(i).getKind();
            if (k == ElementKind.METHOD || k == ElementKind.CONSTRUCTOR) {
                start = i + 1;
            } else if (k == ElementKind.PARAMETER) {
                // a parameter followed by properties is the body; alone it is a path or query parameter
                start = i + 1 < nodes.size() ? i + 1 : i;
                break;
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = start; i < nodes.size(); i++) {
            Path.Node n = nodes.get(i);
            if (n.getIndex() != null && i > start) {
                out.append('[').append(n.getIndex()).append(']');
            } else if (n.getKey() != null && i > start) {
                // a map key is the client's text: a key refused for its length is named by its start, not echoed whole
                String key = String.valueOf(n.getKey());
                out.append('[').append(key.codePointCount(0, key.length()) > 60 ? key.substring(0, key.offsetByCodePoints(0, 60)) + "…" : key)
                        .append(']');
            }
            if (n.getName() != null && n.getKind() != ElementKind.CONTAINER_ELEMENT) {
                if (!out.isEmpty()) out.append('.');
                out.append(Problems.snake(n.getName()));
            }
        }
        return out.isEmpty() ? "body" : out.toString();
    }
}
