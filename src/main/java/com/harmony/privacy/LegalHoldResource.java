package com.harmony.privacy;

import com.harmony.platform.ApiDocs;
import com.harmony.platform.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Legal holds (P28): the legal team stops erasure of a person's data while the law requires it be kept. */
@Path("/v1/admin/legal-holds")
@Tag(name = "Privacy requests")
@RolesAllowed({"admin", "legal"})
@SecurityRequirement(name = ApiDocs.BEARER)
@Produces(MediaType.APPLICATION_JSON)
public class LegalHoldResource {

    private final LegalHoldService holds;
    private final JsonWebToken jwt;

    LegalHoldResource(LegalHoldService holds, JsonWebToken jwt) {
        this.holds = holds;
        this.jwt = jwt;
    }

    @Schema(name = "LegalHoldRequest")
    public record Placement(@Schema(nullable = true, description = "The account the hold is on") UUID accountId,
            @Email @Size(max = 254) @Schema(nullable = true, description = "Or the email (a guest buyer's)", examples = "ada@example.com") String email,
            @NotBlank @Size(max = 2000) @Schema(description = "Why the data must be kept; the person is told this when their erasure is refused",
                    examples = "Litigation hold: claim 2026-113 pending") String reason) {
    }

    @Schema(name = "LegalHold")
    public record HoldView(String id, @Schema(nullable = true) String accountId, @Schema(nullable = true) String email, String reason, String placedBy,
            String placedAt, @Schema(nullable = true) String liftedBy, @Schema(nullable = true) String liftedAt) {
    }

    @Schema(name = "LegalHoldList")
    public record HoldList(List<HoldView> data) {
    }

    @GET
    @Operation(operationId = "adminListLegalHolds", summary = "Legal holds in force (admin, legal)")
    @APIResponse(responseCode = "200", description = "Holds in force, newest first", content = @Content(schema = @Schema(implementation = HoldList.class)))
    public Uni<String> list() {
        return holds.active();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "adminPlaceLegalHold", summary = "Place a legal hold on an account or email (admin, legal)",
            description = "While it is in force, erasure requests of that person are refused with the reason. Audited.")
    @APIResponse(responseCode = "201", description = "The hold", content = @Content(schema = @Schema(implementation = HoldView.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields, or neither account nor email (type `validation-failed`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<org.jboss.resteasy.reactive.RestResponse<String>> place(@Valid @NotNull Placement p) {
        return holds.place(p.accountId(), p.email(), p.reason(), UUID.fromString(jwt.getSubject()))
                .map(doc -> org.jboss.resteasy.reactive.RestResponse.status(org.jboss.resteasy.reactive.RestResponse.Status.CREATED, doc));
    }

    @DELETE
    @Path("/{id}")
    @Operation(operationId = "adminLiftLegalHold", summary = "Lift a legal hold (admin, legal)", description = "Audited; the hold stays on record.")
    @APIResponse(responseCode = "200", description = "The lifted hold", content = @Content(schema = @Schema(implementation = HoldView.class)))
    @APIResponse(responseCode = "404", description = "No such hold (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Lifted already (type `privacy-request-not-applicable`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> lift(@PathParam("id") UUID id) {
        return holds.lift(id, UUID.fromString(jwt.getSubject()));
    }
}
