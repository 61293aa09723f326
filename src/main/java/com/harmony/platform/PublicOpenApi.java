package com.harmony.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.smallrye.openapi.runtime.OpenApiConstants;
import io.quarkus.smallrye.openapi.runtime.OpenApiHandler;
import io.quarkus.vertx.http.ManagementInterface;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Serves the spec at /q/openapi: YAML, or JSON for {@code .json}, {@code ?format=json} or
 * {@code Accept: application/json}. With the management interface on, Quarkus serves it there only (next
 * to the Swagger UI, health and metrics, which stay off the public port); this keeps it on the public
 * listener for partners.
 *
 * <p>Production builds do not scan the code for the spec ({@code %prod.mp.openapi.scan.disable}); the packaged
 * service serves the checked-in openapi/openapi.yaml that the build copies into it, and that CI proves equal
 * to the generated one (OpenApiContractTest). Quarkus would otherwise read its generated document back and render it again
 * at every start: 0.5 to 0.8 s of the start on these machines (README, Production command). Dev mode and
 * tests scan the code and serve Quarkus's live document.
 */
@ApplicationScoped
public class PublicOpenApi {

    /** Where the pom packages openapi/openapi.yaml. */
    static final String CHECKED_IN = "harmony/openapi.yaml";
    private static final String PATHS = "/q/openapi(\\.json|\\.yaml|\\.yml)?";

    private final boolean checkedIn;
    private final Buffer yaml;
    /** The JSON rendering, made on the first request for it (not at start, where it would cost a core). */
    private final AtomicReference<CompletableFuture<Buffer>> json = new AtomicReference<>();

    /**
     * Reads the checked-in spec before the routes exist (a missing file fails the start, not a request). A
     * packaged service always serves it, whatever profile it runs with; dev mode and tests only when their
     * build did not scan the code either.
     */
    PublicOpenApi(@ConfigProperty(name = "mp.openapi.scan.disable", defaultValue = "false") boolean scanDisabled) {
        this.checkedIn = scanDisabled || LaunchMode.current() == LaunchMode.NORMAL;
        if (!checkedIn) {
            yaml = null;
            return;
        }
        try (InputStream in = PublicOpenApi.class.getClassLoader().getResourceAsStream(CHECKED_IN)) {
            if (in == null) {
                throw new IllegalStateException(CHECKED_IN + " is not in the package: the build copies openapi/openapi.yaml there");
            }
            yaml = Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void route(@Observes Router router) {
        Handler<RoutingContext> handler = checkedIn ? this::serve : new OpenApiHandler(OpenApiConstants.DEFAULT_DOCUMENT_NAME, false);
        router.routeWithRegex(PATHS).method(HttpMethod.GET).method(HttpMethod.HEAD).handler(handler);
    }

    /** The management port's copy, which the Swagger UI reads: Quarkus's own route would serve the unscanned stub. */
    void management(@Observes ManagementInterface management) {
        if (checkedIn) {
            management.router().routeWithRegex(PATHS).order(Integer.MIN_VALUE).method(HttpMethod.GET).method(HttpMethod.HEAD)
                    .handler(this::serve);
        }
    }

    private void serve(RoutingContext ctx) {
        if (!wantsJson(ctx)) {
            send(ctx, "application/yaml", yaml);
            return;
        }
        CompletableFuture<Buffer> rendered = json.get();
        if (rendered == null) {
            CompletableFuture<Buffer> mine = new CompletableFuture<>();
            rendered = json.compareAndExchange(null, mine);
            if (rendered == null) {
                rendered = mine;
                render(mine);
            }
        }
        if (rendered.isDone() && !rendered.isCompletedExceptionally()) {
            send(ctx, "application/json", rendered.join());
            return;
        }
        Context context = Vertx.currentContext();
        rendered.whenComplete((body, failure) -> context.runOnContext(ignored -> {
            if (failure != null) {
                ctx.response().putHeader("Retry-After", "1");
                Problems.write(ctx, ProblemType.UNAVAILABLE, "The spec's JSON form could not be made just now; retry, or ask for the YAML.");
            } else {
                send(ctx, "application/json", body);
            }
        }));
    }

    /** Once, on a worker (never on the event loop); a failure is not kept, so the next request tries again. */
    private void render(CompletableFuture<Buffer> result) {
        result.whenComplete((body, failure) -> {
            if (failure != null) {
                json.compareAndSet(result, null);
            }
        });
        try {
            Infrastructure.getDefaultWorkerPool().execute(() -> {
                try {
                    result.complete(toJson(yaml.getBytes()));
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RuntimeException rejected) {
            result.completeExceptionally(rejected);
        }
    }

    /** As Quarkus's handler decides: the path's extension, else JSON when ?format=json or Accept names JSON. */
    private static boolean wantsJson(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (path.endsWith(".json")) {
            return true;
        }
        if (path.endsWith(".yaml") || path.endsWith(".yml")) {
            return false;
        }
        List<String> format = ctx.queryParam("format");
        String accept = ctx.request().getHeader("Accept");
        return (!format.isEmpty() && "json".equalsIgnoreCase(format.get(0))) || (accept != null && accept.contains("application/json"));
    }

    private static void send(RoutingContext ctx, String type, Buffer body) {
        ctx.response().putHeader("Content-Type", type + ";charset=UTF-8").end(body);
    }

    static Buffer toJson(byte[] yaml) {
        try {
            return Buffer.buffer(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(new YAMLMapper().readTree(yaml)));
        } catch (IOException e) {
            throw new UncheckedIOException("openapi/openapi.yaml is not valid YAML", e);
        }
    }
}
