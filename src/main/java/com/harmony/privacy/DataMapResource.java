package com.harmony.privacy;

import com.harmony.platform.ETags;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** The public data map (P1, P28): anyone may read what is kept about people, why, from whom, who receives it and for how long. */
@Path("/v1/privacy/data-map")
@Tag(name = "Privacy")
@Produces(MediaType.APPLICATION_JSON)
public class DataMapResource {

    private final PublicDataMap map;

    DataMapResource(PublicDataMap map) {
        this.map = map;
    }

    @GET
    @PermitAll
    @Operation(operationId = "getDataMap", summary = "What personal data is kept, why, from whom, who receives it and for how long",
            description = "Grouped by the part of the service that keeps it: per kind of record, the personal fields by kind of data, "
                    + "the purpose and legal basis, whose data it is, the processors and partners that receive it, the retention "
                    + "(period, the event it counts from, the rule, and whether a scheduled purge already applies it) and what erasure "
                    + "does. Generated from the same data map that export and erasure read (P1, P28).")
    @APIResponse(responseCode = "200", description = "The data map", headers = @Header(name = "ETag", description = "Tag of this representation"),
            content = @Content(schema = @Schema(implementation = PublicDataMap.MapView.class)))
    @APIResponse(responseCode = "304", description = "Unchanged since the ETag sent in If-None-Match")
    public Uni<RestResponse<String>> dataMap(HttpHeaders headers) {
        return Uni.createFrom().item(() -> ETags.ok(headers, map.json()));
    }
}
