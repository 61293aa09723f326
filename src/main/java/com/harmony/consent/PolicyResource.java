package com.harmony.consent;

import com.harmony.platform.ApiDocs;
import com.harmony.platform.ETags;
import com.harmony.platform.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
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
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
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

/** The privacy statement and cookie policy as the API serves them (P30): the one in effect and every past version. */
@Path("/v1/policies/{kind}")
@Tag(name = "Policies")
@Produces(MediaType.APPLICATION_JSON)
public class PolicyResource {

    private final PolicyService policies;
    private final JsonWebToken jwt;

    PolicyResource(PolicyService policies, JsonWebToken jwt) {
        this.policies = policies;
        this.jwt = jwt;
    }

    @Schema(name = "PolicyDocument")
    public record PolicyView(@Schema(enumeration = {"privacy_statement", "cookie_policy"}) String kind,
            @Schema(examples = "2") String version, String effectiveAt, String publishedAt, String text) {
    }

    @Schema(name = "PolicyVersion")
    public record PolicyVersionView(@Schema(enumeration = {"privacy_statement", "cookie_policy"}) String kind, String version,
            String effectiveAt, String publishedAt, @Schema(description = "false for a version published to take effect later") boolean inEffect) {
    }

    @Schema(name = "PolicyVersions")
    public record PolicyVersions(List<PolicyVersionView> data) {
    }

    @Schema(name = "PublishPolicyRequest", examples = "{\"version\": \"2\", \"text\": \"# Cookie policy\\n\\nWhat each cookie does, and how to refuse the optional ones.\"}")
    public record PublishRequest(
            @NotBlank @Size(max = 40) @Pattern(regexp = "^[A-Za-z0-9._-]+$", message = "letters, digits, . _ -") @Schema(examples = "2") String version,
            @Schema(description = "When it takes effect: now when absent, never in the past") OffsetDateTime effectiveAt,
            @NotBlank @Size(max = 200_000) String text) {
    }

    @GET
    @PermitAll
    @Operation(operationId = "getPolicy", summary = "The version in effect now")
    @APIResponse(responseCode = "200", description = "The policy with its text", headers = @Header(name = "ETag", description = "Tag of this representation"),
            content = @Content(schema = @Schema(implementation = PolicyView.class)))
    @APIResponse(responseCode = "304", description = "Unchanged since the ETag sent in If-None-Match")
    @APIResponse(responseCode = "404", description = "Unknown kind, or none in effect yet (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> current(@Parameter(schema = @Schema(type = SchemaType.STRING, enumeration = {"privacy_statement", "cookie_policy"}))
            @PathParam("kind") String kind, HttpHeaders headers) {
        return policies.current(kind).map(body -> ETags.ok(headers, body));
    }

    @GET
    @Path("/versions")
    @PermitAll
    @Operation(operationId = "listPolicyVersions", summary = "Every published version, newest first")
    @APIResponse(responseCode = "200", description = "The versions, without their texts", content = @Content(schema = @Schema(implementation = PolicyVersions.class)))
    @APIResponse(responseCode = "404", description = "Unknown kind (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> versions(@PathParam("kind") String kind) {
        return policies.versions(kind);
    }

    @GET
    @Path("/versions/{version}")
    @PermitAll
    @Operation(operationId = "getPolicyVersion", summary = "One version, past, current or future")
    @APIResponse(responseCode = "200", description = "The version with its text", content = @Content(schema = @Schema(implementation = PolicyView.class)))
    @APIResponse(responseCode = "404", description = "No such version (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> version(@PathParam("kind") String kind, @PathParam("version") String version) {
        return policies.version(kind, version);
    }

    @POST
    @Path("/versions")
    @RolesAllowed("admin")
    @SecurityRequirement(name = ApiDocs.BEARER)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "adminPublishPolicy", summary = "Publish a new version (admin)",
            description = "Published versions never change; a change is a new version. It takes effect at effective_at (now by default); "
                    + "consents given from then on record it.")
    @APIResponse(responseCode = "201", description = "The published version", headers = @Header(name = "Location", description = "The version's URL"),
            content = @Content(schema = @Schema(implementation = PolicyView.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields (type `validation-failed`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "Unknown kind (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "That version is published already (type `policy-version-exists`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> publish(@PathParam("kind") String kind, @Valid @NotNull PublishRequest request) {
        return policies.publish(kind, request.version(), request.effectiveAt(), request.text(), UUID.fromString(jwt.getSubject()))
                .map(doc -> RestResponse.ResponseBuilder.<String>created(URI.create("/v1/policies/" + kind + "/versions/" + request.version()))
                        .entity(doc).type(MediaType.APPLICATION_JSON_TYPE).build());
    }
}
