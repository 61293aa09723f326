package com.harmony.legal;

import com.harmony.legal.CopyrightNoticeService.Notice;
import com.harmony.platform.ClientAddress;
import com.harmony.platform.PostalAddress;
import com.harmony.platform.Problem;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** Notices of claimed copyright infringement (P27), open to anyone: the DMCA's designated-agent intake. */
@Path("/v1/copyright-notices")
@Tag(name = "Copyright")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class CopyrightNoticeResource {

    private static final String PHONE = com.harmony.platform.PostalAddress.PHONE;

    private final CopyrightNoticeService notices;
    private final ClientAddress clients;

    CopyrightNoticeResource(CopyrightNoticeService notices, ClientAddress clients) {
        this.notices = notices;
        this.clients = clients;
    }

    @Schema(name = "CopyrightNoticeRequest", description = "A notice under 17 U.S.C. § 512(c)(3). Every element (a)-(f) is required; "
            + "a notice missing any is refused with one error per missing field.")
    public record CopyrightNoticeRequest(
            @NotBlank @Size(max = 200) @Schema(description = "(a) Your full name, typed as your electronic signature", examples = "Jane Doe") String signature,
            @Size(max = 200) @Schema(description = "The copyright owner you act for, if not yourself", examples = "Acme Studios LLC") String copyrightOwner,
            @NotBlank @Size(max = 5000) @Schema(description = "(b) The copyrighted work you claim is infringed",
                    examples = "Photograph \"Lake at Dawn\", registration VA 2-123-456") String copyrightedWork,
            @NotBlank @Size(max = 5000) @Schema(description = "(c) The material you claim infringes it",
                    examples = "The main product image of the Lakeside mug") String infringingMaterial,
            @NotEmpty @Size(max = 50) @Schema(description = "(c) Where the material is on our website")
            List<@NotBlank @Size(max = 2000) @Pattern(regexp = "^https?://[^\\s]+$", message = "must be an http or https URL") String> infringingUrls,
            @NotNull @Valid @Schema(description = "(d) Your postal address") PostalAddress address,
            @NotBlank @Size(max = 30) @Pattern(regexp = PHONE, message = "must be a phone number") @com.harmony.platform.NoCardNumber(minDigits = 16) @Schema(description = "(d) Your telephone number",
                    examples = "+1 212 555 0142") String phone,
            @NotBlank @Email @Size(max = 254) @Schema(description = "(d) Your email address; the acknowledgement goes here",
                    examples = "jane.doe@example.com") String email,
            @NotNull @AssertTrue(message = "must be true: you have a good faith belief that the use of the material is not authorised "
                    + "by the copyright owner, its agent, or the law")
            @Schema(description = "(e) I have a good faith belief that the use of the material in the manner complained of is not "
                    + "authorised by the copyright owner, its agent, or the law") Boolean goodFaithStatement,
            @NotNull @AssertTrue(message = "must be true: under penalty of perjury, the notice is accurate and you are the owner or "
                    + "authorised to act for the owner")
            @Schema(description = "(f) Under penalty of perjury, the information in this notice is accurate and I am the copyright owner "
                    + "or authorised to act on the owner's behalf") Boolean accuracyStatement) {
    }

    @Schema(name = "CopyrightNoticeReceipt")
    public record Receipt(@Schema(description = "The notice's reference, also in the acknowledgement email") String id,
            @Schema(enumeration = "open") String status) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "fileCopyrightNotice", summary = "Send a notice of claimed copyright infringement",
            description = "For the copyright agent (P27). A complete notice is queued and acknowledged by email to the address given.")
    @APIResponse(responseCode = "202", description = "Filed for the copyright agent", content = @Content(schema = @Schema(implementation = Receipt.class)))
    @APIResponse(responseCode = "400", description = "An element (a)-(f) is missing or invalid; `errors` names each field (type `validation-failed`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "More than " + CopyrightNoticeService.LIMIT_PER_HOUR + " notices from this client in an hour (type `rate-limited`)",
            headers = @Header(name = "Retry-After", description = "Seconds to wait"),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<Receipt>> file(@Valid @NotNull CopyrightNoticeRequest r, @Context HttpServerRequest http) {
        Notice notice = new Notice(r.signature(), r.copyrightOwner(), r.copyrightedWork(), r.infringingMaterial(), r.infringingUrls(),
                r.address(), r.phone(), r.email());
        return notices.file(notice, clients.of(http))
                .map(id -> RestResponse.ResponseBuilder.create(RestResponse.Status.ACCEPTED, new Receipt(id.toString(), "open")).build());
    }
}
