package com.harmony.support;

import com.harmony.platform.ApiDocs;
import com.harmony.platform.PostalAddress;
import com.harmony.platform.Problem;
import com.harmony.platform.ProblemException;
import com.harmony.platform.QueryParams;
import com.harmony.support.SupportContactService.Caller;
import com.harmony.support.SupportContactService.Channel;
import com.harmony.support.SupportContactService.Reason;
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
import java.net.URI;
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

/** Call-centre and service-desk contacts (P3), for support agents and admins only. */
@Path("/v1/admin/support-contacts")
@Tag(name = "Support contacts")
@RolesAllowed({"support", "admin"})
@SecurityRequirement(name = ApiDocs.BEARER)
@Produces(MediaType.APPLICATION_JSON)
public class SupportContactResource {

    private static final String PHONE = com.harmony.platform.PostalAddress.PHONE;

    private final SupportContactService contacts;
    private final JsonWebToken jwt;

    SupportContactResource(SupportContactService contacts, JsonWebToken jwt) {
        this.contacts = contacts;
        this.jwt = jwt;
    }

    @Schema(name = "SupportCaller", description = "A caller without an account: how to reach them again")
    public record CallerInput(
            @NotBlank @Size(max = 200) @Schema(examples = "Grace Hopper") String name,
            @NotBlank @Size(max = 30) @Pattern(regexp = PHONE, message = "must be a phone number") @com.harmony.platform.NoCardNumber(minDigits = 16) @Schema(examples = "+1 217 555 0199") String phone,
            @Valid @Schema(nullable = true, description = "If the caller gave it; its phone field stays empty (the caller's phone is above)") PostalAddress address,
            @jakarta.validation.constraints.Email @Size(max = 254) @Schema(nullable = true, description = "If the caller gave it: a privacy "
                    + "request confirmed from this address (export, erasure) reaches the contact", examples = "grace@example.com") String email) {
    }

    @Schema(name = "SupportContactRequest", description = "Either account_id (the caller is a customer) or caller (no account), never both",
            examples = "{\"caller\": {\"name\": \"Grace Hopper\", \"phone\": \"+1 217 555 0199\"}, \"channel\": \"phone\", "
                    + "\"reason\": \"order\", \"notes\": \"Asked when order H-1042 ships; told Thursday.\"}")
    public record SupportContactRequest(
            @Schema(description = "The customer the contact is about") UUID accountId,
            @Valid CallerInput caller,
            @NotNull @Pattern(regexp = "^(" + Channel.WIRE + ")$", message = "must be one of " + Channel.WIRE)
            @Schema(enumeration = {"phone", "email", "chat", "in_person", "letter"}) String channel,
            @NotNull @Pattern(regexp = "^(" + Reason.WIRE + ")$", message = "must be one of " + Reason.WIRE)
            @Schema(enumeration = {"product", "order", "delivery", "billing", "return", "account", "privacy", "complaint", "other"}) String reason,
            @NotBlank @Size(max = 5000) @Schema(examples = "Asked when order H-1042 ships; told Thursday.") String notes) {
    }

    @Schema(name = "SupportContact")
    public record SupportContactView(String id, @Schema(nullable = true) String accountId, @Schema(nullable = true) CallerInput caller,
            String channel, String reason, String notes, @Schema(description = "The agent who recorded it") String recordedBy, String createdAt) {
    }

    @Schema(name = "SupportContactPage")
    public record SupportContactPage(List<SupportContactView> data, boolean hasMore, @Schema(nullable = true) String nextCursor) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "adminRecordSupportContact", summary = "Record a call-centre or desk contact (support, admin)",
            description = "Kept to assist the person in the future (P3); a customer's contacts are exported and erased with the account.")
    @APIResponse(responseCode = "201", description = "The contact", headers = @Header(name = "Location", description = "The contact"),
            content = @Content(schema = @Schema(implementation = SupportContactView.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields, or both or neither of account_id and caller (type `validation-failed`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such account (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> record(@Valid @NotNull SupportContactRequest r) {
        Caller caller = null;
        if (r.caller() != null) {
            if (r.caller().address() != null && r.caller().address().phone() != null) {
                throw ProblemException.invalid("caller.address.phone", "leave empty: the caller's phone is caller.phone");
            }
            caller = new Caller(r.caller().name(), r.caller().phone(), r.caller().address(), r.caller().email());
        }
        return contacts.record(r.accountId(), caller, Channel.valueOf(r.channel().toUpperCase(Locale.ROOT)),
                        Reason.valueOf(r.reason().toUpperCase(Locale.ROOT)), r.notes(), UUID.fromString(jwt.getSubject()))
                .map(c -> RestResponse.ResponseBuilder.<String>created(URI.create("/v1/admin/support-contacts/" + c.id()))
                        .entity(c.doc()).type(MediaType.APPLICATION_JSON_TYPE).build());
    }

    @GET
    @Operation(operationId = "adminListSupportContacts", summary = "Contacts newest first, optionally one customer's (support, admin)",
            description = "With account_id: the customer's earlier contacts, for the agent answering them now.")
    @APIResponse(responseCode = "200", description = "A page of contacts", content = @Content(schema = @Schema(implementation = SupportContactPage.class)))
    @APIResponse(responseCode = "400", description = "Bad account_id, limit or cursor (types `validation-failed`, `invalid-cursor`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> list(
            @Parameter(description = "Only this customer's contacts", schema = @Schema(type = SchemaType.STRING, format = "uuid")) @QueryParam("account_id") String accountId,
            @Parameter(description = "Page size, 1 to 100", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @QueryParam("limit") String limit,
            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor) {
        return contacts.list(QueryParams.optionalUuid("account_id", accountId), QueryParams.intOr("limit", limit, 20, 1, 100), QueryParams.optionalText("cursor", cursor, 500));
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "adminGetSupportContact", summary = "One contact (support, admin)")
    @APIResponse(responseCode = "200", description = "The contact", content = @Content(schema = @Schema(implementation = SupportContactView.class)))
    @APIResponse(responseCode = "404", description = "No such contact (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> get(@PathParam("id") UUID id) {
        return contacts.get(id);
    }

}
