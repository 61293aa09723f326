package com.harmony.platform;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * OPTIONS answers the spec's methods for the path in {@code Allow}, as a 405 does ({@link SpecRoutes}): Quarkus REST's
 * own answer lists every method of the resource class, those of the paths beside this one included.
 */
public class SpecAllow {

    @ServerResponseFilter
    public void allow(ContainerRequestContext request, ContainerResponseContext response) {
        if (HttpMethod.OPTIONS.equals(request.getMethod()) && response.getHeaders().containsKey("Allow")) {
            SpecRoutes.allowed(request.getUriInfo().getPath())
                    .ifPresent(methods -> response.getHeaders().putSingle("Allow", String.join(", ", methods)));
        }
    }
}
