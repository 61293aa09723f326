package com.harmony.marketing;

import com.harmony.account.AccountService;
import com.harmony.marketing.MarketingService.Campaign;
import com.harmony.marketing.PartnerAttributes.Attributes;
import com.harmony.marketing.PartnerAttributes.Personalisation;
import com.harmony.platform.ApiDocs;
import com.harmony.platform.Problem;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Multi;
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
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** Marketing emails and the partner audience (P16, P18), for admins. */
@Path("/v1/admin/marketing")
@Tag(name = "Marketing")
@RolesAllowed("admin")
@SecurityRequirement(name = ApiDocs.BEARER)
@Produces(MediaType.APPLICATION_JSON)
public class MarketingResource {

    private final MarketingService marketing;
    private final JsonWebToken jwt;

    private final com.harmony.platform.Idempotency idempotency;
    private final com.fasterxml.jackson.databind.ObjectMapper json;

    MarketingResource(MarketingService marketing, JsonWebToken jwt, com.harmony.platform.Idempotency idempotency,
            com.fasterxml.jackson.databind.ObjectMapper json) {
        this.idempotency = idempotency;
        this.json = json;
        this.marketing = marketing;
        this.jwt = jwt;
    }

    private UUID me() {
        return UUID.fromString(jwt.getSubject());
    }

    @Schema(name = "MarketingEmailRequest")
    public record CampaignRequest(@NotBlank @Size(max = 200) @jakarta.validation.constraints.Pattern(regexp = "^[^\\r\\n]*\\S[^\\r\\n]*$",
            // the released spec's pattern stays (a tighter one reads as a break to clients of v1.0.0); the description says it
            message = "must be one line (an email header)") @Schema(pattern = "\\S", examples = "Our spring collection is here",
                    description = "One line: it is the email's Subject header (a line break is refused)") String subject,
            @NotBlank @Size(max = 50_000) @Schema(examples = "New arrivals in every category, this week only.") String body) {
    }

    @Schema(name = "MarketingEmail", description = "A queued campaign: one email per person who consents to marketing by email")
    public record CampaignView(String id, String subject, int recipients, String createdAt) {
        static CampaignView of(Campaign c) {
            return new CampaignView(c.id().toString(), c.subject(), c.recipients(), c.createdAt());
        }
    }

    @Schema(name = "PartnerAudienceRequest")
    public record AudienceRequest(@NotBlank @Size(max = 200) @Schema(description = "The partner receiving the audience; logged as the recipient",
            examples = "Acme Ads Ltd") String recipient) {
    }

    @POST
    @Path("/emails")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "adminSendMarketingEmail", summary = "Email everyone who consents to marketing by email (admin)",
            description = "Queued through the outbox: each email is sent once, re-checks the consent at sending time, and carries a signed "
                    + "one-click unsubscribe link plus List-Unsubscribe and List-Unsubscribe-Post headers (RFC 8058, P16).")
    @APIResponse(responseCode = "202", description = "Queued", content = @Content(schema = @Schema(implementation = CampaignView.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields (type `validation-failed`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The first request with this Idempotency-Key is still running (type `idempotency-key-in-progress`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was used with a different request (type `idempotency-key-reused`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> send(
            @org.eclipse.microprofile.openapi.annotations.parameters.Parameter(in = org.eclipse.microprofile.openapi.annotations.enums.ParameterIn.HEADER,
                    description = com.harmony.platform.Idempotency.OPTIONAL_HEADER_DOC) @jakarta.ws.rs.HeaderParam(com.harmony.platform.Idempotency.HEADER) String key,
            @Valid @NotNull CampaignRequest r) {
        UUID staff = me();
        // a retried campaign must not mail everyone twice: with a key, the first answer is replayed
        return idempotency.runOptional("account:" + staff, key, idempotency.fingerprint("POST", "/v1/admin/marketing/emails", r),
                () -> marketing.send(r.subject(), r.body(), staff).map(c -> new com.harmony.platform.Idempotency.Stored(202, toJson(CampaignView.of(c)), java.util.Map.of())));
    }

    private String toJson(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @POST
    @Path("/partner-audience-exports")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces("application/x-ndjson")
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(operationId = "adminExportPartnerAudience", summary = "Stream the marketing partner audience (admin)",
            description = "JSON lines, one AudienceMember each: people whose current choice allows partner sharing (a Global Privacy Control "
                    + "signal withdraws it), with name, postal address and interests only; never telephone, card data or email (P18). "
                    + "Every person in it gets a disclosure log entry naming the recipient (P20).")
    @APIResponse(responseCode = "200", description = "The audience, one JSON object per line",
            content = @Content(mediaType = "application/x-ndjson", schema = @Schema(implementation = AudienceMember.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields (type `validation-failed`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Multi<AudienceMember> audience(@Valid @NotNull AudienceRequest r) {
        return marketing.audience(r.recipient().strip(), me());
    }
}
