package com.harmony.legal;

import com.harmony.legal.CopyrightNoticeService.Outcome;
import com.harmony.legal.CopyrightNoticeService.Status;
import com.harmony.platform.ApiDocs;
import com.harmony.platform.PostalAddress;
import com.harmony.platform.Problem;
import com.harmony.platform.ProblemException;
import com.harmony.platform.QueryParams;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
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
import java.util.Locale;
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

/** The copyright agent's queue (P27): roles legal and admin read notices and record what was done, once. */
@Path("/v1/admin/copyright-notices")
@Tag(name = "Copyright")
@RolesAllowed({"legal", "admin"})
@SecurityRequirement(name = ApiDocs.BEARER)
@Produces(MediaType.APPLICATION_JSON)
public class AdminCopyrightNoticeResource {

    private final CopyrightNoticeService notices;
    private final JsonWebToken jwt;

    AdminCopyrightNoticeResource(CopyrightNoticeService notices, JsonWebToken jwt) {
        this.notices = notices;
        this.jwt = jwt;
    }

    @Schema(name = "CopyrightNoticeHandlingRequest")
    public record HandlingRequest(
            @NotNull @Pattern(regexp = "^(" + Outcome.WIRE + ")$", message = "must be one of " + Outcome.WIRE)
            @Schema(enumeration = {"removed", "access_disabled", "rejected", "counter_notice", "duplicate"}) String outcome,
            @NotBlank @Size(max = 2000) @Schema(examples = "Image replaced; the uploader was told on 2026-11-21") String note) {
    }

    @Schema(name = "CopyrightNotice")
    public record NoticeView(String id, String signature, @Schema(nullable = true) String copyrightOwner, String copyrightedWork,
            String infringingMaterial, List<String> infringingUrls, PostalAddress address, String phone, String email,
            boolean goodFaithStatement, boolean accuracyStatement, @Schema(enumeration = {"open", "handled"}) String status,
            @Schema(nullable = true, enumeration = {"removed", "access_disabled", "rejected", "counter_notice", "duplicate"}) String outcome,
            @Schema(nullable = true) String handlingNote, @Schema(nullable = true) String handledBy, @Schema(nullable = true) String handledAt,
            @Schema(nullable = true, description = "When the acknowledgement reached the mail server; empty if it could not be sent") String acknowledgedAt,
            String receivedAt) {
    }

    @Schema(name = "CopyrightNoticePage")
    public record NoticePage(List<NoticeView> data, boolean hasMore, @Schema(nullable = true) String nextCursor) {
    }

    @GET
    @Operation(operationId = "adminListCopyrightNotices", summary = "The copyright agent's queue, newest first (legal, admin)")
    @APIResponse(responseCode = "200", description = "A page of notices", content = @Content(schema = @Schema(implementation = NoticePage.class)))
    @APIResponse(responseCode = "400", description = "Bad status, limit or cursor (types `validation-failed`, `invalid-cursor`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> list(
            @Parameter(description = "Only open or only handled notices", schema = @Schema(type = SchemaType.STRING, enumeration = {"open", "handled"}))
            @QueryParam("status") String status,
            @Parameter(description = "Page size, 1 to 100", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("limit") String limit,
            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor) {
        return notices.list(status(status), QueryParams.intOr("limit", limit, 20, 1, 100), QueryParams.optionalText("cursor", cursor, 500));
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "adminGetCopyrightNotice", summary = "One notice (legal, admin)")
    @APIResponse(responseCode = "200", description = "The notice", content = @Content(schema = @Schema(implementation = NoticeView.class)))
    @APIResponse(responseCode = "404", description = "No such notice (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> get(@PathParam("id") UUID id) {
        return notices.get(id);
    }

    @POST
    @Path("/{id}/handling")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "adminHandleCopyrightNotice", summary = "Record what was done about a notice, once (legal, admin)")
    @APIResponse(responseCode = "200", description = "The handled notice", content = @Content(schema = @Schema(implementation = NoticeView.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields (type `validation-failed`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such notice (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Handled before (type `notice-already-handled`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> handle(@PathParam("id") UUID id, @Valid @NotNull HandlingRequest r) {
        return notices.handle(id, Outcome.valueOf(r.outcome().toUpperCase(Locale.ROOT)), r.note(), UUID.fromString(jwt.getSubject()));
    }

    private static Status status(String value) {
        String s = QueryParams.optionalText("status", value, 20);
        if (s == null) {
            return null;
        }
        return switch (s) {
            case "open" -> Status.OPEN;
            case "handled" -> Status.HANDLED;
            default -> throw ProblemException.invalid("status", "must be open or handled");
        };
    }
}
