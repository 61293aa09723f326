package com.harmony.platform;

import io.quarkus.smallrye.openapi.runtime.OpenApiConstants;
import io.quarkus.smallrye.openapi.runtime.OpenApiHandler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Keeps the spec on the public listener for partners. With the management interface on, Quarkus
 * serves /q/openapi there, next to the Swagger UI, health and metrics, which must stay off the
 * public port; this route answers /q/openapi (YAML, or JSON with ?format=json or .json) publicly
 * with Quarkus' own handler, so both ports serve the same document.
 */
@ApplicationScoped
public class PublicOpenApi {

    void route(@Observes Router router) {
        OpenApiHandler spec = new OpenApiHandler(OpenApiConstants.DEFAULT_DOCUMENT_NAME, false);
        router.routeWithRegex("/q/openapi(\\.json|\\.yaml|\\.yml)?").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(spec);
    }
}
