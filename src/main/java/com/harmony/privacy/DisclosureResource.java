package com.harmony.privacy;

import com.harmony.platform.ApiDocs;
import com.harmony.platform.Problem;
import com.harmony.platform.QueryParams;
import com.harmony.privacy.DisclosureService.LegalBasis;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** The disclosure log (P20): staff record each disclosure; each person reads their own entries. */
@Path("/v1/admin/disclosures")
@Tag(name = "Disclosures")
@RolesAllowed("admin")
@SecurityRequirement(name = ApiDocs.BEARER)
@Produces(MediaType.APPLICATION_JSON)
public class DisclosureResource {

    private static final String BASES = "consent|subpoena|court_order|law_enforcement|debt_collection|business_transfer|fraud_prevention|other";

    private final DisclosureService disclosures;
    private final JsonWebToken jwt;

    DisclosureResource(DisclosureService disclosures, JsonWebToken jwt) {
        this.disclosures = disclosures;
        this.jwt = jwt;
    }

    @Schema(name = "DisclosureRequest")
    public record DisclosureRequest(
            @NotNull @Schema(description = "The account whose data was disclosed") UUID accountId,
            @NotBlank @Size(max = 200) @Schema(examples = "Acme Collections Ltd") String recipient,
            @NotNull @Pattern(regexp = "^(" + BASES + ")$", message = "must be one of " + BASES)
            @Schema(enumeration = {"consent", "subpoena", "court_order", "law_enforcement", "debt_collection", "business_transfer",
                    "fraud_prevention", "other"}) String legalBasis,
            @NotEmpty @Size(max = 30) @Schema(examples = "[\"name\", \"postal_address\", \"order_history\"]")
            List<@NotBlank @Size(max = 60) @Pattern(regexp = "^[a-z][a-z0-9_]*$", message = "must be a field name such as postal_address") String> fields,
            @Size(max = 2000) @Schema(description = "Required for legal basis other; e.g. the subpoena's reference") String note,
            @NotNull @Schema(description = "When the data was handed over") OffsetDateTime disclosedAt) {
    }

    @Schema(name = "Disclosure")
    public record DisclosureView(String id, String accountId, String recipient, String legalBasis, List<String> fields,
            @Schema(nullable = true) String note, String disclosedAt, String recordedAt,
            @Schema(description = "The partner audience export that wrote it", nullable = true) String exportId) {
    }

    @Schema(name = "DisclosurePage")
    public record DisclosurePage(List<DisclosureView> data, boolean hasMore, @Schema(nullable = true) String nextCursor) {
    }

    @POST
    @RolesAllowed("admin")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "adminRecordDisclosure", summary = "Record a disclosure of someone's data (admin)",
            description = "For each disclosure outside the company: a subpoena, a debt collector, a sale of the business (P20).")
    @APIResponse(responseCode = "201", description = "The entry", headers = @Header(name = "Location", description = "The log filtered to the account"),
            content = @Content(schema = @Schema(implementation = DisclosureView.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields (type `validation-failed`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such account (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> record(@Valid @NotNull DisclosureRequest r) {
        LegalBasis basis = LegalBasis.valueOf(r.legalBasis().toUpperCase(Locale.ROOT));
        return disclosures.record(r.accountId(), r.recipient(), basis, r.fields(), r.note(), r.disclosedAt(), UUID.fromString(jwt.getSubject()))
                .map(doc -> RestResponse.ResponseBuilder.<String>created(URI.create("/v1/admin/disclosures?account_id=" + r.accountId()))
                        .entity(doc).type(MediaType.APPLICATION_JSON_TYPE).build());
    }

    @GET
    @RolesAllowed("admin")
    @Operation(operationId = "adminListDisclosures", summary = "The disclosure log, newest first (admin)")
    @APIResponse(responseCode = "200", description = "A page of entries", content = @Content(schema = @Schema(implementation = DisclosurePage.class)))
    @APIResponse(responseCode = "400", description = "Bad filter, limit or cursor (types `validation-failed`, `invalid-cursor`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> list(@Parameter(description = "Only this account's entries", schema = @Schema(type = SchemaType.STRING, format = "uuid"))
            @QueryParam("account_id") String accountId,
            @Parameter(description = "Page size, 1 to 100", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("limit") String limit,
            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor) {
        return disclosures.list(QueryParams.optionalUuid("account_id", accountId), QueryParams.intOr("limit", limit, 20, 1, 100), QueryParams.optionalText("cursor", cursor, 500));
    }
}
