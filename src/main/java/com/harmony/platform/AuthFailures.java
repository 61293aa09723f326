package com.harmony.platform;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.HttpSecurityRecorder.DefaultAuthFailureHandler;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * Does what a filter of Quarkus REST does on every request, without its cost. That filter (priority 199) swaps the
 * security layer's default auth-failure handler for Quarkus REST's failing one, whose failures its exception
 * mappers answer; with Micrometer present it first works out the request's URI template for the metrics by
 * building a new request mapper of every resource class, on every request, failing or not (Quarkus 3.34). On a
 * cached product read that was a quarter of the event loops' samples, and the reads gained half again without it.
 * This filter runs right after authentication's (the same priority, registered after it) and installs the same
 * handler, so Quarkus REST's filter finds no default handler and skips its work. A request that fails
 * authentication still gets its template from Quarkus' pre-authentication-failure handler, and every other one
 * from Quarkus REST once its resource method matched. The handler's class is private to Quarkus REST, whose
 * pipeline recognises it by class, so it is made once by reflection; if a Quarkus upgrade moves it, this filter
 * stays off and Quarkus does its own work again.
 */
@ApplicationScoped
public class AuthFailures {

    private static final Logger LOG = Logger.getLogger(AuthFailures.class);
    private static final String QUARKUS_REST_HANDLER = "io.quarkus.resteasy.reactive.server.runtime.ResteasyReactiveRecorder$FailingDefaultAuthFailureHandler";

    private final BiConsumer<RoutingContext, Throwable> failing = quarkusRestHandler();

    void register(@Observes Filters filters) {
        if (failing != null) {
            filters.register(this::installFailingHandler, SecurityHandlerPriorities.AUTHENTICATION);
        }
    }

    private void installFailingHandler(RoutingContext rc) {
        if (rc.get(QuarkusHttpUser.AUTH_FAILURE_HANDLER) instanceof DefaultAuthFailureHandler) {
            rc.put(QuarkusHttpUser.AUTH_FAILURE_HANDLER, failing);
        }
        rc.next();
    }

    @SuppressWarnings("unchecked")
    private static BiConsumer<RoutingContext, Throwable> quarkusRestHandler() {
        try {
            var constructor = Class.forName(QUARKUS_REST_HANDLER, true, AuthFailures.class.getClassLoader()).getDeclaredConstructor();
            constructor.setAccessible(true);
            return (BiConsumer<RoutingContext, Throwable>) constructor.newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("Quarkus REST's auth-failure handler is not where it was (%s): every request works out its URI template again", e);
            return null;
        }
    }
}
