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

/** What partners and providers reported about a customer (P7, P15), as admins store and staff read it. */
@Path("/v1/admin/accounts/{id}/partner-attributes")
@Tag(name = "Marketing")
@SecurityRequirement(name = ApiDocs.BEARER)
@Produces(MediaType.APPLICATION_JSON)
public class PartnerAttributeResource {

    private final PartnerAttributes attributes;
    private final AccountService accounts;

    PartnerAttributeResource(PartnerAttributes attributes, AccountService accounts) {
        this.attributes = attributes;
        this.accounts = accounts;
    }

    @Schema(name = "PartnerAttributesRequest")
    public record AttributesRequest(
            @NotBlank @Size(max = 100) @Schema(description = "The partner or provider that reported them", examples = "Acme Data Co") String source,
            @NotNull @Schema(description = "When the source reported them") OffsetDateTime receivedAt,
            @NotEmpty @Size(max = 50) Map<@NotBlank @Size(max = 60) @Pattern(regexp = "^[a-z][a-z0-9_]*$", message = "must be a name such as interest") String,
                    @NotBlank @Size(max = 500) String> attributes) {
    }

    @PUT
    @RolesAllowed("admin")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "adminStorePartnerAttributes", summary = "Store what a partner or provider reported about a customer (admin)",
            description = "Kept with source and date (P7); a newer report from the same source replaces an older one, never the reverse. "
                    + "Used to personalise only while the customer consents to personalisation (P15).")
    @APIResponse(responseCode = "200", description = "All the customer's partner attributes", content = @Content(schema = @Schema(implementation = Attributes.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields (type `validation-failed`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such account (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Attributes> store(@PathParam("id") UUID id, @Valid @NotNull AttributesRequest r) {
        return attributes.store(id, r.source(), r.receivedAt(), r.attributes());
    }

    @GET
    @RolesAllowed({"admin", "support"})
    @Operation(operationId = "adminListPartnerAttributes", summary = "A customer's partner-sourced attributes (admin, support)")
    @APIResponse(responseCode = "200", description = "The attributes", content = @Content(schema = @Schema(implementation = Attributes.class)))
    @APIResponse(responseCode = "404", description = "No such account (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Attributes> list(@PathParam("id") UUID id) {
        return accounts.adminView(id).chain(a -> attributes.list(id));
    }
}
