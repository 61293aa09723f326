package com.harmony.platform;

import io.smallrye.common.annotation.NonBlocking;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A constant answer with no database behind it: a liveness probe for clients and the benchmark's baseline. */
@Path("/v1/ping")
@Tag(name = "Service")
public class PingResource {

    /** The response of {@code GET /v1/ping}. */
    public record Pong(String status, String api) {
    }

    private static final Pong PONG = new Pong("ok", "v1");

    @GET
    @PermitAll
    @NonBlocking
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "ping", summary = "Check that the API answers (no database involved)")
    public Pong ping() {
        return PONG;
    }
}
