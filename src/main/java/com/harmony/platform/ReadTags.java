package com.harmony.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Every read carries an ETag and honours If-None-Match, as the spec says of each: a read whose resource
 * set no tag gets one over its body here, and a matching If-None-Match turns it into a body-less 304. The
 * hot reads (the catalog, /v1/me, carts, orders) tag their answers themselves, with cached or precomputed
 * tags, and are left alone.
 */
public class ReadTags {

    private final ObjectMapper json;

    ReadTags(ObjectMapper json) {
        this.json = json;
    }

    @ServerResponseFilter
    void tag(ContainerRequestContext request, ContainerResponseContext response) throws JsonProcessingException {
        if (response.getStatus() != 200 || !("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod()))
                || response.getHeaders().containsKey(HttpHeaders.ETAG) || !response.hasEntity()) {
            return;
        }
        String body;
        if (response.getEntity() instanceof String text) {
            body = text;
        } else if (MediaType.APPLICATION_JSON_TYPE.isCompatible(response.getMediaType())) {
            // written here once, as the JSON writer would have, so that the tag is over the very bytes sent
            body = json.writeValueAsString(response.getEntity());
            response.setEntity(body, null, response.getMediaType());
        } else {
            return;
        }
        String tag = ETags.of(body);
        response.getHeaders().putSingle(HttpHeaders.ETAG, tag);
        if (ETags.matches(request.getHeaderString(HttpHeaders.IF_NONE_MATCH), tag)) {
            response.setStatusInfo(Response.Status.NOT_MODIFIED);
            response.setEntity(null);
        }
    }
}
