package com.harmony.platform;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Adds the problem responses every operation can give (bad input, auth, not found, internal) and the
 * X-Request-Id header, so each resource only declares its own outcomes and the spec stays complete.
 * It depends on the code alone, so it runs when the service is built: running it at every start took
 * about a quarter of the start-up's main thread.
 */
@io.quarkus.smallrye.openapi.OpenApiFilter(stages = io.quarkus.smallrye.openapi.OpenApiFilter.RunStage.BUILD)
public class OpenApiProblems implements OASFilter {

    @Override
    public Operation filterOperation(Operation operation) {
        APIResponses responses = operation.getResponses();
        if (responses == null) {
            return operation;
        }
        APIResponse optional = responses.getAPIResponse("401");
        if ((operation.getSecurity() == null || operation.getSecurity().isEmpty()) && optional != null
                && (OptionalBearer.DOC.equals(optional.getDescription()) || OptionalBearer.SIGN_OUT_DOC.equals(optional.getDescription()))) {
            // the problems every operation can give; none of the signed-in ones (403 needs a role) but the 401 it has
            finish(operation, false);
            // anyone may call it; signed in, it acts for the account: no credentials, or either of the browser's and apps'
            operation.setSecurity(new java.util.ArrayList<>(List.of(OASFactory.createSecurityRequirement(),
                    OASFactory.createSecurityRequirement().addScheme(ApiDocs.BEARER),
                    OASFactory.createSecurityRequirement().addScheme(ApiDocs.COOKIE))));
            return operation;
        }
        return finish(operation, operation.getSecurity() != null && !operation.getSecurity().isEmpty());
    }

    /** The responses every operation documents, and those of one that needs a sign-in when {@code secured}. */
    private Operation finish(Operation operation, boolean secured) {
        APIResponses responses = operation.getResponses();
        boolean bearer = secured && operation.getSecurity().stream().anyMatch(r -> r.hasScheme(ApiDocs.BEARER));
        if (bearer && operation.getSecurity().stream().noneMatch(r -> r.hasScheme(ApiDocs.COOKIE))) {
            // every bearer-protected operation also takes the browser session cookie (machine clients' operations do not)
            operation.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme(ApiDocs.COOKIE));
        }
        // any request can be malformed, an operation without parameters too (a NUL in the URL, a bad query)
        add(responses, "400", "The request is malformed or has invalid fields (types `malformed-request`, `validation-failed`"
                + (hasParameter(operation, "cursor") ? ", `invalid-cursor`" : "") + ")");
        // broken JSON and bad fields can happen to any operation, whatever else its 400 says
        APIResponse bad = responses.getAPIResponse("400");
        List<String> generics = new java.util.ArrayList<>(List.of("malformed-request", "validation-failed"));
        if (operation.getParameters() != null && operation.getParameters().stream()
                .anyMatch(p -> Idempotency.HEADER.equalsIgnoreCase(p.getName()) && Boolean.TRUE.equals(p.getRequired()))) {
            generics.add(Idempotency.KEY_MISSING.slug());
        }
        for (String generic : generics) {
            if (bad.getDescription() != null && !bad.getDescription().contains("`" + generic + "`")) {
                bad.setDescription(bad.getDescription() + "; `" + generic + "`");
            }
        }
        if (secured) {
            add(responses, "401", "No valid access token or session (type `unauthorized`)");
            add(responses, "403", bearer ? "Signed in without the required role (type `forbidden`)"
                    : "The token lacks the required scope (type `forbidden`)");
        }
        // a body can be sent to any operation, and an Accept header can rule out JSON on any
        add(responses, "413", "The body is too large (type `payload-too-large`)");
        // one without a body still reads the body's headers: a media range or an unknown Content-Encoding is refused first
        add(responses, "415", operation.getRequestBody() != null ? "The body is not application/json (type `unsupported-media-type`)"
                : "A body was sent labelled with a media range (`*/*`) or an encoding the API does not read (type `unsupported-media-type`)");
        add(responses, "406", "The Accept header admits none of this operation's media types (type `not-acceptable`)");
        add(responses, "500", "Unexpected failure; quote the X-Request-Id (type `internal-error`)");
        APIResponse busy = responses.getAPIResponse("503");
        if (busy != null && busy.getDescription() != null && !busy.getDescription().contains("`service-unavailable`")) {
            busy.setDescription(busy.getDescription() + "; or a dependency (the database, the mail server) is down (type `service-unavailable`)");
        }
        add(responses, "503", "A dependency (the database, the mail server, the payment provider) is down or too slow, or the instance is receiving "
                + "too many request bodies at once; "
                + "nothing was changed unless the answer says otherwise (a checkout committed just before the database went away is answered "
                + "with its order when retried with its Idempotency-Key); retry after Retry-After seconds (type `service-unavailable`)");
        if (!isRead(operation)) {
            // a browser holding the session cookie must prove it is the API's own page on every unsafe request
            if (!hasParameter(operation, Cookies.CSRF_HEADER)) {
                operation.addParameter(OASFactory.createParameter().name(Cookies.CSRF_HEADER).in(Parameter.In.HEADER)
                        .description("Required when the browser holds the session cookie: the harmony_csrf cookie's value "
                                + "(also in the sign-in answer). Without it, or wrong, the answer is 403 `csrf-failed`.")
                        .schema(OASFactory.createSchema().type(java.util.List.of(Schema.SchemaType.STRING)).maxLength(128)));
            }
            APIResponse forbidden = responses.getAPIResponse("403");
            if (forbidden == null) {
                add(responses, "403", "A request with the session cookie but without its CSRF token (type `csrf-failed`)");
            } else if (forbidden.getDescription() == null || !forbidden.getDescription().contains("csrf-failed")) {
                forbidden.setDescription((forbidden.getDescription() == null ? "" : forbidden.getDescription())
                        + "; or a request with the session cookie but without its CSRF token (type `csrf-failed`)");
            }
        }
        if (responses.hasAPIResponse("200") && operation.getOperationId() != null
                && isRead(operation) && !STREAMED.contains(operation.getOperationId())) {
            // every read carries an ETag and honours If-None-Match
            APIResponse ok = responses.getAPIResponse("200");
            if (ok.getHeaders() == null || !ok.getHeaders().containsKey("ETag")) {
                ok.addHeader("ETag", OASFactory.createHeader().description("Tag of this representation; send it as If-None-Match")
                        .schema(OASFactory.createSchema().type(java.util.List.of(Schema.SchemaType.STRING))));
            }
            if (!hasParameter(operation, "If-None-Match")) {
                operation.addParameter(OASFactory.createParameter().name("If-None-Match").in(Parameter.In.HEADER)
                        .description("An ETag you hold: the answer is 304 without a body while it still matches")
                        .schema(OASFactory.createSchema().type(java.util.List.of(Schema.SchemaType.STRING)).maxLength(256)));
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

    @Override
    public void filterOpenAPI(org.eclipse.microprofile.openapi.models.OpenAPI openAPI) {
        OpenApiDocument.finish(openAPI);
    }

    private static boolean hasParameter(Operation operation, String name) {
        return operation.getParameters() != null && operation.getParameters().stream().anyMatch(p -> name.equalsIgnoreCase(p.getName()));
    }

    private static boolean isRead(Operation operation) {
        String id = operation.getOperationId();
        return id != null && (id.equals("ping") || id.startsWith("get") || id.startsWith("list") || id.startsWith("adminGet")
                || id.startsWith("adminList") || id.startsWith("adminSearch") || OTHER_READS.contains(id));
    }

    /** GETs whose ids do not start like a read (a filter sees an operation without its method). */
    private static final java.util.Set<String> OTHER_READS = java.util.Set.of("previewUnsubscribe", "downloadMyPrivacyDocument", "followReferralLink");
    /** Reads streamed as they are read, with no whole body to tag. */
    static final java.util.Set<String> STREAMED = java.util.Set.of("downloadMyPrivacyDocument");

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
