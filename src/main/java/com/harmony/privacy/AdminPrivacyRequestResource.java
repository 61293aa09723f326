package com.harmony.privacy;

import com.harmony.platform.ApiDocs;
import com.harmony.platform.Problem;
import com.harmony.platform.QueryParams;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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

/** Privacy requests as staff work them (P29): by status, with their due dates and trail. */
@Path("/v1/admin/privacy-requests")
@Tag(name = "Privacy requests")
@RolesAllowed({"admin", "support"})
@SecurityRequirement(name = ApiDocs.BEARER)
@Produces(MediaType.APPLICATION_JSON)
public class AdminPrivacyRequestResource {

    private final PrivacyRequestService requests;
    private final JsonWebToken jwt;

    AdminPrivacyRequestResource(PrivacyRequestService requests, JsonWebToken jwt) {
        this.requests = requests;
        this.jwt = jwt;
    }

    @Schema(name = "PrivacyRequestRejection")
    public record Rejection(@NotBlank @Size(max = 2000) @Schema(examples = "Identity could not be verified") String reason) {
    }

    @GET
    @Operation(operationId = "adminListPrivacyRequests", summary = "Privacy requests, newest first or soonest due first (admin, support)")
    @APIResponse(responseCode = "200", description = "A page of requests with due dates and trails",
            content = @Content(schema = @Schema(implementation = MyPrivacyRequestResource.RequestPage.class)))
    @APIResponse(responseCode = "400", description = "Bad status, limit or cursor (types `validation-failed`, `invalid-cursor`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> list(
            @Parameter(description = "Only this status", schema = @Schema(type = SchemaType.STRING,
                    enumeration = {"awaiting_confirmation", "confirmed", "processing", "completed", "rejected", "expired"})) @QueryParam("status") String status,
            @Parameter(description = "created_at (newest first, the default) or due_at (soonest due first)", schema = @Schema(type = SchemaType.STRING,
                    enumeration = {"created_at", "due_at"}, defaultValue = "created_at")) @QueryParam("sort") String sort,
            @Parameter(description = "Page size, 1 to 100", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("limit") String limit,
            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor) {
        String order = QueryParams.optionalText("sort", sort, 20);
        if (order != null && !order.matches("created_at|due_at")) {
            throw com.harmony.platform.ProblemException.invalid("sort", "must be created_at or due_at");
        }
        String s = QueryParams.optionalText("status", status, 30);
        if (s != null && !s.matches("awaiting_confirmation|confirmed|processing|completed|rejected|expired")) {
            throw com.harmony.platform.ProblemException.invalid("status", "must be awaiting_confirmation, confirmed, processing, completed, rejected or expired");
        }
        return requests.list(s, "due_at".equals(order), QueryParams.intOr("limit", limit, 20, 1, 100), QueryParams.optionalText("cursor", cursor, 500));
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "adminGetPrivacyRequest", summary = "One privacy request with its trail (admin, support)")
    @APIResponse(responseCode = "200", description = "The request", content = @Content(schema = @Schema(implementation = MyPrivacyRequestResource.RequestView.class)))
    @APIResponse(responseCode = "404", description = "No such request (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> one(@PathParam("id") UUID id) {
        return requests.document(id);
    }

    @POST
    @Path("/{id}/rejection")
    @RolesAllowed("admin")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "adminRejectPrivacyRequest", summary = "Reject a request that cannot be carried out, with the reason (admin)")
    @APIResponse(responseCode = "200", description = "The rejected request", content = @Content(schema = @Schema(implementation = MyPrivacyRequestResource.RequestView.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields (type `validation-failed`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such request (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Closed or being processed already (type `privacy-request-closed`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> reject(@PathParam("id") UUID id, @Valid @NotNull Rejection r) {
        return requests.reject(id, r.reason(), UUID.fromString(jwt.getSubject()));
    }

    @Schema(name = "PrivacyRectificationDecision", examples = "{\"verified\": [\"name\"], \"note\": \"Checked against the passport the customer showed\"}")
    public record Rectification(
            @NotNull @Size(max = 20) @Schema(description = "The proposed fields staff verified (e.g. against a document); the others are declined. "
                    + "A field the request did not propose is 400 and nothing is applied")
            List<@NotBlank @Size(max = 60) String> verified,
            @Size(max = 2000) @Schema(nullable = true, description = "What was checked; shown to the requester") String note) {
    }

    @POST
    @Path("/{id}/rectification")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "adminApplyRectification", summary = "Apply the verified corrections of a confirmed rectification request (admin, support)",
            description = "Each feature applies the fields it owns; the request completes with the fields applied and declined, the requester "
                    + "is told by email, and the change is audited.")
    @APIResponse(responseCode = "200", description = "The completed request", content = @Content(schema = @Schema(implementation = MyPrivacyRequestResource.RequestView.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields, or a verified field the request did not propose (type `validation-failed`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such request (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Not a confirmed rectification request (type `privacy-request-not-applicable`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> rectify(@PathParam("id") UUID id, @Valid @NotNull Rectification r) {
        return requests.rectify(id, r.verified().stream().map(String::strip).toList(), r.note());
    }
}
