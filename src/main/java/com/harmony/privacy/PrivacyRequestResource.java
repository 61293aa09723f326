package com.harmony.privacy;

import com.harmony.consent.ConsentService;
import com.harmony.platform.ClientAddress;
import com.harmony.platform.Problem;
import com.harmony.privacy.PrivacyRequestService.Kind;
import com.harmony.privacy.PrivacyRequestService.Requester;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.mutiny.core.buffer.Buffer;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Filing and confirming privacy requests (P13, P29). Open to everyone: a signed-in customer or
 * affiliate files for themselves; a visitor with its token and an email; a guest buyer with an order's
 * number, email and postal code. Nothing is done before the emailed link is confirmed.
 */
@Path("/v1/privacy-requests")
@Tag(name = "Privacy requests")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class PrivacyRequestResource {

    private final PrivacyRequestService requests;
    private final ConsentService consents;
    private final ClientAddress clients;
    private final PrivacyDocuments documents;
    private final RequestProcessor processor;

    PrivacyRequestResource(PrivacyRequestService requests, ConsentService consents, ClientAddress clients, PrivacyDocuments documents,
            RequestProcessor processor) {
        this.documents = documents;
        this.processor = processor;
        this.requests = requests;
        this.consents = consents;
        this.clients = clients;
    }

    @Schema(name = "PrivacyRequestFiling", examples = "{\"kind\": \"export\", \"email\": \"ada@example.com\"}")
    public record Filing(
            @NotNull @Pattern(regexp = "^(export|erasure|access|rectification)$", message = "must be export, erasure, access or rectification")
            @Schema(enumeration = {"export", "erasure", "access", "rectification"}) String kind,
            @Email @Size(max = 254) @Schema(description = "Where the confirmation link goes: required for visitors and guest buyers; "
                    + "a signed-in requester's account email is used", examples = "ada@example.com") String email,
            @Size(max = 20) @Schema(description = "Guest buyers: the order's number", examples = "HC-7Q2M9K4TXB") String orderNumber,
            @Size(max = 20) @Schema(description = "Guest buyers: the order's billing postal code", examples = "62701") String postalCode,
            @Size(max = 20) @Schema(description = "Rectification: the corrections proposed, field to new value; applied after verification")
            Map<@NotBlank @Size(max = 60) String, @NotNull @Size(max = 500) String> corrections) {
    }

    @Schema(name = "PrivacyRequestConfirmation")
    public record Confirmation(@NotBlank @Size(max = 200) String token) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @com.harmony.platform.OptionalBearer
    @Operation(operationId = "filePrivacyRequest", summary = "Ask for an export, erasure, access summary or correction of my data",
            description = "Signed in: for my account (bearer token or session cookie). Otherwise with the visitor token (X-Visitor-Token or "
                    + "the harmony_visitor cookie) and an email, or as a guest buyer with order_number, email and postal_code. A single-use "
                    + "confirmation link, valid 24 hours, is emailed; nothing is done before it is confirmed (P13). The answer never says "
                    + "whether the email or order is known. Throttled per client address and per email.")
    @APIResponse(responseCode = "202", description = "Received; confirm through the emailed link", content = @Content(schema = @Schema(implementation = PrivacyRequestService.Received.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields, or nobody to file for (type `validation-failed`); a correction of a "
            + "field that cannot be corrected this way (type `field-not-correctable`, its detail lists the fields that can)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Too many requests from this client or for this email (type `rate-limited`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<PrivacyRequestService.Received>> file(@Valid @NotNull Filing f, @Context HttpServerRequest http) {
        Kind kind = Kind.valueOf(f.kind().toUpperCase(Locale.ROOT));
        if (kind == Kind.RECTIFICATION && (f.corrections() == null || f.corrections().isEmpty())) {
            throw com.harmony.platform.ProblemException.invalid("corrections", "a rectification names at least one correction");
        }
        if (kind != Kind.RECTIFICATION && f.corrections() != null) {
            throw com.harmony.platform.ProblemException.invalid("corrections", "only a rectification carries corrections");
        }
        if (f.corrections() != null) {
            processor.checkCorrections(f.corrections());
        }
        String ip = clients.of(http);
        return consents.requester(http).chain(r -> {
            Requester who;
            if (r.accountId() != null) {
                who = new Requester(r.accountId(), null, null, null);
            } else if (f.orderNumber() != null) {
                need(f.email(), "email", "a guest buyer gives the order's email");
                need(f.postalCode(), "postal_code", "a guest buyer gives the order's postal code");
                who = new Requester(null, null, f.orderNumber().strip(), f.postalCode().strip());
            } else if (r.visitorId() != null) {
                need(f.email(), "email", "a visitor gives an email for the confirmation link");
                who = new Requester(null, r.visitorId(), null, null);
            } else {
                throw com.harmony.platform.ProblemException.invalid("order_number",
                        "sign in, send your visitor token with an email, or give an order's number, email and postal code");
            }
            return requests.file(kind, who, f.email(), f.corrections(), ip);
        }).map(filed -> RestResponse.accepted(new PrivacyRequestService.Received(filed.id() == null ? null : filed.id().toString(), "awaiting_confirmation",
                "If we could match the details, a confirmation link is on its way to the email address. Nothing happens until it is confirmed.")));
    }

    private static void need(String value, String field, String message) {
        if (value == null || value.isBlank()) {
            throw com.harmony.platform.ProblemException.invalid(field, message);
        }
    }

    @POST
    @Path("/confirmations")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "confirmPrivacyRequest", summary = "Confirm a privacy request with the emailed token",
            description = "Works once, within 24 hours; then the request is confirmed and due within 30 days.")
    @APIResponse(responseCode = "200", description = "The confirmed request", content = @Content(schema = @Schema(implementation = MyPrivacyRequestResource.RequestView.class)))
    @APIResponse(responseCode = "400", description = "Invalid, expired or used token (type `confirmation-invalid`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> confirm(@Valid @NotNull Confirmation c) {
        return requests.confirm(c.token());
    }

    @Schema(name = "PrivacyDocumentDownload")
    public record Download(@NotBlank @Size(max = 200) @Schema(description = "The token of the emailed link") String token) {
    }

    @POST
    @Path("/downloads")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "downloadPrivacyDocument", summary = "Download an export or access summary with the emailed link's token",
            description = "The link works once and only until the document expires (3 days by default); then the document is deleted. "
                    + "A POST, not a GET, so that mail scanners following links cannot use it up. The body is the document itself: an "
                    + "export groups every row of yours by feature and table (format harmony-export/1); an access summary lists what is "
                    + "held, why, on which legal basis, who receives it and how long it is kept (format harmony-access-summary/1).")
    @APIResponse(responseCode = "200", description = "The document, streamed", content = @Content(schema = @Schema(type = SchemaType.OBJECT,
            description = "harmony-export/1 or harmony-access-summary/1")))
    @APIResponse(responseCode = "400", description = "Invalid, expired or used link (type `download-link-invalid`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Multi<Buffer> download(@Valid @NotNull Download d) {
        return PrivacyDocuments.attachment(documents.claim(d.token()).onItem().transformToMulti(ready -> documents.content(ready.requestId())));
    }
}
