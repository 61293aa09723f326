package com.harmony.platform;

import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Adds the problem responses every operation can give (bad input, auth, not found, internal) and the
 * X-Request-Id header, so each resource only declares its own outcomes and the spec stays complete.
 */
public class OpenApiProblems implements OASFilter {

    @Override
    public Operation filterOperation(Operation operation) {
        APIResponses responses = operation.getResponses();
        if (responses == null) {
            return operation;
        }
        boolean secured = operation.getSecurity() != null && !operation.getSecurity().isEmpty();
        boolean bearer = secured && operation.getSecurity().stream().anyMatch(r -> r.hasScheme(ApiDocs.BEARER));
        if (bearer && operation.getSecurity().stream().noneMatch(r -> r.hasScheme(ApiDocs.COOKIE))) {
            // every bearer-protected operation also takes the browser session cookie (machine clients' operations do not)
            operation.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme(ApiDocs.COOKIE));
        }
        boolean hasInput = operation.getRequestBody() != null
                || (operation.getParameters() != null && !operation.getParameters().isEmpty());
        if (hasInput) add(responses, "400", "The request is malformed or has invalid fields (types `malformed-request`, `validation-failed`)");
        if (secured) {
            add(responses, "401", "No valid access token or session (type `unauthorized`)");
            add(responses, "403", bearer ? "Signed in without the required role (type `forbidden`)"
                    : "The token lacks the required scope (type `forbidden`)");
        }
        if (operation.getRequestBody() != null) {
            add(responses, "413", "The body is too large (type `payload-too-large`)");
            add(responses, "415", "The body is not application/json (type `unsupported-media-type`)");
        }
        add(responses, "500", "Unexpected failure; quote the X-Request-Id (type `internal-error`)");
        if (responses.hasAPIResponse("200") && operation.getOperationId() != null && !"ping".equals(operation.getOperationId())
                && isRead(operation)) {
            // every read carries an ETag and honours If-None-Match
            APIResponse ok = responses.getAPIResponse("200");
            if (ok.getHeaders() == null || !ok.getHeaders().containsKey("ETag")) {
                ok.addHeader("ETag", OASFactory.createHeader().description("Tag of this representation; send it as If-None-Match")
                        .schema(OASFactory.createSchema().type(java.util.List.of(Schema.SchemaType.STRING))));
            }
            if (!responses.hasAPIResponse("304")) {
                responses.addAPIResponse("304", OASFactory.createAPIResponse().description("Unchanged since the ETag sent in If-None-Match"));
            }
        }
        if (responses.getAPIResponses() != null) {
            for (Map.Entry<String, APIResponse> e : responses.getAPIResponses().entrySet()) {
                APIResponse r = e.getValue();
                if (r.getHeaders() == null || !r.getHeaders().containsKey(RequestIds.HEADER)) {
                    r.addHeader(RequestIds.HEADER, requestIdHeader());
                }
            }
        }
        return operation;
    }

    private static boolean isRead(Operation operation) {
        String id = operation.getOperationId();
        return id.startsWith("get") || id.startsWith("list") || id.startsWith("adminGet") || id.startsWith("adminList")
                || id.startsWith("adminSearch");
    }

    private static void add(APIResponses responses, String code, String description) {
        APIResponse existing = responses.getAPIResponse(code);
        if (existing != null && existing.getContent() != null) {
            return;
        }
        responses.addAPIResponse(code, OASFactory.createAPIResponse().description(description).content(problemContent()));
    }

    static Content problemContent() {
        MediaType media = OASFactory.createMediaType().schema(OASFactory.createSchema().ref("Problem"));
        return OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, media);
    }

    private static Header requestIdHeader() {
        return OASFactory.createHeader()
                .description("The request id (the caller's X-Request-Id if it was sane); also in problem bodies")
                .schema(OASFactory.createSchema().type(java.util.List.of(Schema.SchemaType.STRING)));
    }
}
