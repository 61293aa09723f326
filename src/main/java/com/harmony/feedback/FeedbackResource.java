package com.harmony.feedback;

import com.harmony.consent.ConsentService;
import com.harmony.feedback.FeedbackService.Sender;
import com.harmony.feedback.FeedbackService.Topic;
import com.harmony.platform.ClientAddress;
import com.harmony.platform.Problem;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** Comments and suggestions (P6), open to visitors and signed-in customers alike. */
@Path("/v1/feedback")
@Tag(name = "Feedback")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class FeedbackResource {

    private final FeedbackService feedback;
    private final ConsentService consents;
    private final ClientAddress clients;

    FeedbackResource(FeedbackService feedback, ConsentService consents, ClientAddress clients) {
        this.feedback = feedback;
        this.consents = consents;
        this.clients = clients;
    }

    @Schema(name = "FeedbackRequest")
    public record FeedbackRequest(
            @NotNull @Pattern(regexp = "^(" + Topic.WIRE + ")$", message = "must be one of " + Topic.WIRE)
            @Schema(enumeration = {"product", "order", "delivery", "website", "privacy", "other"}) String topic,
            @NotBlank @Size(max = 5000) @Schema(examples = "The size guide for the hiking boots could show half sizes.") String message,
            @Email @Size(max = 254) @Schema(description = "Where we may answer, if you want an answer", examples = "ada@example.com") String contactEmail) {
    }

    @Schema(name = "MyFeedback", description = "Feedback as its sender sees it")
    public record MyFeedbackView(String id, String topic, String message, @Schema(nullable = true) String contactEmail,
            @Schema(enumeration = {"open", "resolved"}) String status, String createdAt, @Schema(nullable = true) String resolvedAt) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @com.harmony.platform.OptionalBearer
    @Operation(operationId = "sendFeedback", summary = "Send a comment or suggestion",
            description = "Anyone may write. Signed in, the feedback is kept with the account and listed under /v1/me/feedback; "
                    + "otherwise it is kept with the visitor the X-Visitor-Token (or cookie) proves, if any (P6).")
    @APIResponse(responseCode = "201", description = "The feedback as filed", content = @Content(schema = @Schema(implementation = MyFeedbackView.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields (type `validation-failed`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "More than " + FeedbackService.LIMIT_PER_HOUR + " messages from this client in an hour (type `rate-limited`)",
            headers = @Header(name = "Retry-After", description = "Seconds to wait"),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> send(@Valid @NotNull FeedbackRequest r, @Context HttpServerRequest http) {
        String client = clients.of(http);
        return consents.requester(http)
                .chain(who -> feedback.submit(new Sender(who.accountId(), who.visitorId()), Topic.of(r.topic()), r.message(), r.contactEmail(), client))
                .map(doc -> RestResponse.ResponseBuilder.<String>create(RestResponse.Status.CREATED).entity(doc)
                        .type(MediaType.APPLICATION_JSON_TYPE).build());
    }
}
