package com.harmony.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** A constant answer with no database behind it: a liveness probe for clients and the benchmark's baseline. */
@Path("/v1/ping")
@Tag(name = "Service")
public class PingResource {

    /** The response of {@code GET /v1/ping}. */
    public record Pong(@Schema(examples = "ok") String status, @Schema(examples = "v1") String api) {
    }

    // written and tagged once: the benchmark's baseline should cost what the framework costs, no more
    private final String body;
    private final String tag;

    PingResource(ObjectMapper json) throws JsonProcessingException {
        this.body = json.writeValueAsString(new Pong("ok", "v1"));
        this.tag = ETags.of(body);
    }

    @GET
    @PermitAll
    @NonBlocking
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "ping", summary = "Check that the API answers (no database involved)")
    @APIResponse(responseCode = "200", description = "OK", content = @Content(schema = @Schema(implementation = Pong.class)))
    public RestResponse<String> ping(HttpHeaders headers) {
        return ETags.ok(headers, body, tag);
    }
}
