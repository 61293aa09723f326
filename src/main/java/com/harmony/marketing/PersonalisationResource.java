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

/** What the storefront may personalise with (P15): nothing without consent. */
@Path("/v1/me/personalisation")
@Tag(name = "Marketing")
@Authenticated
@SecurityRequirement(name = ApiDocs.BEARER)
@Produces(MediaType.APPLICATION_JSON)
public class PersonalisationResource {

    private final PartnerAttributes attributes;
    private final AccountService accounts;
    private final JsonWebToken jwt;

    PersonalisationResource(PartnerAttributes attributes, AccountService accounts, JsonWebToken jwt) {
        this.attributes = attributes;
        this.accounts = accounts;
        this.jwt = jwt;
    }

    @GET
    @Operation(operationId = "getMyPersonalisation", summary = "What the storefront may personalise with",
            description = "My interests and the interests partners reported, only while I consent to personalisation (P15); otherwise nothing.")
    @APIResponse(responseCode = "200", description = "The personalisation profile", content = @Content(schema = @Schema(implementation = Personalisation.class)))
    public Uni<Personalisation> personalisation() {
        UUID me = UUID.fromString(jwt.getSubject());
        return accounts.interestsOf(me).chain(interests -> attributes.personalisation(me, interests));
    }
}
