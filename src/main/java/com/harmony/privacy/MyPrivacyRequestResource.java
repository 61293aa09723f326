package com.harmony.privacy;

import com.harmony.platform.ApiDocs;
import com.harmony.platform.Problem;
import com.harmony.platform.QueryParams;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** My privacy requests and their trail (P29). */
@Path("/v1/me/privacy-requests")
@Tag(name = "Privacy requests")
@Authenticated
@SecurityRequirement(name = ApiDocs.BEARER)
@Produces(MediaType.APPLICATION_JSON)
public class MyPrivacyRequestResource {

    private final PrivacyRequestService requests;
    private final JsonWebToken jwt;

    private final PrivacyDocuments documents;

    MyPrivacyRequestResource(PrivacyRequestService requests, JsonWebToken jwt, PrivacyDocuments documents) {
        this.documents = documents;
        this.requests = requests;
        this.jwt = jwt;
    }

    @Schema(name = "PrivacyRequestEvent")
    public record TrailEntry(String status, @Schema(nullable = true) String note, String occurredAt) {
    }

    @Schema(name = "PrivacyRequest")
    public record RequestView(String id, @Schema(enumeration = {"export", "erasure", "access", "rectification"}) String kind,
            @Schema(enumeration = {"customer", "visitor", "guest_buyer"}) String subjectKind,
            @Schema(enumeration = {"awaiting_confirmation", "confirmed", "processing", "completed", "rejected", "expired"}) String status,
            @Schema(nullable = true) Object corrections, String createdAt, @Schema(nullable = true) String confirmedAt, String dueAt,
            @Schema(nullable = true) String closedAt, @Schema(nullable = true) String reason,
            @Schema(nullable = true, description = "What was done: for an erasure, per table the action, the fields erased and kept, the rule "
                    + "and the date kept until, and the recipients told; for a rectification, the fields applied and declined") Object result,
            @Schema(description = "For an erasure: each recipient that held the data, when it was told and when it acknowledged") List<RecipientView> recipients,
            @Schema(nullable = true, description = "For an export or access request: the document's size and expiry") DocumentView document,
            List<TrailEntry> trail) {
    }

    @Schema(name = "PrivacyRequestRecipient")
    public record RecipientView(@Schema(examples = "payment_provider") String recipient, String notifiedAt, @Schema(nullable = true) String acknowledgedAt,
            @Schema(nullable = true) String answer) {
    }

    @Schema(name = "PrivacyDocument")
    public record DocumentView(long bytes, String expiresAt,
            @Schema(nullable = true, description = "When it was first downloaded, with the emailed link or signed in") String downloadedAt) {
    }

    @Schema(name = "PrivacyRequestPage")
    public record RequestPage(List<RequestView> data, boolean hasMore, @Schema(nullable = true) String nextCursor) {
    }

    @GET
    @Operation(operationId = "listMyPrivacyRequests", summary = "My privacy requests, newest first")
    @APIResponse(responseCode = "200", description = "A page of requests", content = @Content(schema = @Schema(implementation = RequestPage.class)))
    @APIResponse(responseCode = "400", description = "Bad limit or cursor (types `validation-failed`, `invalid-cursor`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> list(
            @Parameter(description = "Page size, 1 to 100", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("limit") String limit,
            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor) {
        return requests.mine(UUID.fromString(jwt.getSubject()), QueryParams.intOr("limit", limit, 20, 1, 100),
                QueryParams.optionalText("cursor", cursor, 500));
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getMyPrivacyRequest", summary = "One of my privacy requests, with its trail")
    @APIResponse(responseCode = "200", description = "The request", content = @Content(schema = @Schema(implementation = RequestView.class)))
    @APIResponse(responseCode = "404", description = "No such request of mine (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> one(@PathParam("id") UUID id) {
        return requests.mine(UUID.fromString(jwt.getSubject()), id);
    }

    @GET
    @Path("/{id}/document")
    @Operation(operationId = "downloadMyPrivacyDocument", summary = "Download the export or access summary of one of my requests",
            description = "Until the document expires (3 days after it is ready by default); the emailed single-use link works for everyone else.")
    @APIResponse(responseCode = "200", description = "The document, streamed", content = @Content(schema = @Schema(type = SchemaType.OBJECT,
            description = "harmony-export/1 or harmony-access-summary/1")))
    @APIResponse(responseCode = "404", description = "No such request of mine, no document, or expired (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public io.smallrye.mutiny.Multi<io.vertx.mutiny.core.buffer.Buffer> document(@PathParam("id") UUID id) {
        return PrivacyDocuments.attachment(documents.mine(UUID.fromString(jwt.getSubject()), id)
                .onItem().transformToMulti(ready -> documents.content(ready.requestId())));
    }
}
