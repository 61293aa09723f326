package com.harmony.partner;

import com.harmony.platform.ETags;
import com.harmony.platform.Problem;
import com.harmony.platform.QueryParams;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * A partner's own webhook subscriptions (scope webhooks:manage): create, read, change, pause or resume,
 * delete, see every delivery's attempts and replay a delivery. Another client's subscription does not
 * exist for the caller (404).
 */
@Path("/v1/partner/webhooks")
@Tag(name = "Partner API")
@RolesAllowed(PartnerScopes.WEBHOOKS_MANAGE)
@SecurityRequirement(name = OAuthTokenResource.SCHEME, scopes = PartnerScopes.WEBHOOKS_MANAGE)
@Produces(MediaType.APPLICATION_JSON)
public class PartnerWebhookResource {

    private static final String TYPES = "order.paid, order.shipped, order.delivered, order.cancelled, order.refunded (orders:read); "
            + "return.decided (orders:read); product.changed, stock.changed (catalog:read); privacy.erasure-notice (privacy:notices)";

    private final WebhookService webhooks;
    private final JsonWebToken jwt;

    PartnerWebhookResource(WebhookService webhooks, JsonWebToken jwt) {
        this.webhooks = webhooks;
        this.jwt = jwt;
    }

    @Schema(name = "CreateWebhookSubscriptionRequest")
    public record CreateSubscription(
            @NotBlank @Size(max = 2000) @Schema(description = "Where events are POSTed: https, on a public address", examples = "https://partner.example/hooks/harmony")
            String url,
            @NotEmpty @Size(max = 20) @Schema(description = "Event types: " + TYPES + ". The token must hold the scope each needs.",
                    examples = "[\"order.paid\", \"order.shipped\"]") List<@NotBlank @Size(max = 64) String> eventTypes) {
    }

    @Schema(name = "UpdateWebhookSubscriptionRequest", description = "Only the fields sent change")
    public record UpdateSubscription(
            @Size(max = 2000) @Schema(nullable = true, examples = "https://partner.example/hooks/harmony-v2") String url,
            @Size(min = 1, max = 20) @Schema(nullable = true, examples = "[\"order.paid\"]") List<@NotBlank @Size(max = 64) String> eventTypes,
            @Schema(nullable = true, enumeration = {"active", "paused"}, description = "active resumes a paused subscription and clears its failure count")
            String status) {
    }

    @Schema(name = "WebhookSubscription")
    public record SubscriptionView(@Schema(examples = "7c9e6679-7425-40de-944b-e07fc1f90ae7") String id,
            @Schema(examples = "https://partner.example/hooks/harmony") String url,
            @Schema(examples = "[\"order.paid\", \"order.shipped\"]") List<String> eventTypes,
            @Schema(enumeration = {"active", "paused"}) String status,
            @Schema(description = "Failed attempts since the last success; at the configured limit the subscription is paused", examples = "0")
            int consecutiveFailures,
            @Schema(nullable = true) String pausedAt, @Schema(nullable = true, examples = "15 consecutive failed deliveries") String pausedReason,
            String createdAt, String updatedAt) {
    }

    @Schema(name = "WebhookSubscriptionWithSecret")
    public record CreatedView(SubscriptionView subscription,
            @Schema(description = "The signing secret, shown this once: the key is the base64 after whsec_ (Standard Webhooks)",
                    examples = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") String signingSecret) {
    }

    @Schema(name = "WebhookSubscriptionList")
    public record SubscriptionList(List<SubscriptionView> data) {
    }

    @Schema(name = "WebhookAttempt")
    public record AttemptView(String attemptedAt, @Schema(examples = "84") int latencyMs,
            @Schema(nullable = true, description = "The receiver's HTTP status; null when none answered", examples = "503") Integer responseStatus,
            @Schema(nullable = true, examples = "HTTP 503") String error,
            @Schema(nullable = true, description = "At most 200 characters of the receiver's answer") String responseExcerpt) {
    }

    @Schema(name = "WebhookDelivery")
    public record DeliveryView(String id, @Schema(description = "The event's id, sent as webhook-id") String eventId,
            @Schema(examples = "order.paid") String eventType, @Schema(enumeration = {"pending", "delivered", "failed"}) String status,
            int attempts, @Schema(nullable = true) String nextAttemptAt, String retryUntil, String createdAt,
            @Schema(nullable = true) String deliveredAt, List<AttemptView> attemptHistory) {
    }

    @Schema(name = "WebhookDeliveryPage")
    public record DeliveryPage(List<DeliveryView> data, boolean hasMore, @Schema(nullable = true) String nextCursor) {
    }

    private UUID client() {
        return UUID.fromString(jwt.getSubject());
    }

    private Set<String> scopes() {
        return jwt.getGroups();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createWebhookSubscription", summary = "Subscribe to events (partner, webhooks:manage)",
            description = "Answers the signing secret once. Each delivery is a POST of {id, type, timestamp, data} with the headers "
                    + "webhook-id, webhook-timestamp and webhook-signature (Standard Webhooks, v1 HMAC-SHA256). Failed deliveries are "
                    + "retried with exponential backoff for three days.")
    @APIResponse(responseCode = "201", description = "The subscription and its signing secret",
            content = @Content(schema = @Schema(implementation = CreatedView.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields or an unknown event type (type `validation-failed`), or a target that is "
            + "not https or not public (type `webhook-target-refused`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "A token that is not a partner client's (type `forbidden`), or an event type the token's scopes do not cover (type `webhook-event-not-granted`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The client holds as many subscriptions as allowed (type `webhook-subscription-limit`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> create(@Valid @NotNull CreateSubscription r) {
        return webhooks.subscribe(client(), scopes(), r.url(), r.eventTypes())
                .map(c -> RestResponse.status(RestResponse.Status.CREATED,
                        "{\"subscription\":" + c.document() + ",\"signing_secret\":\"" + c.signingSecret() + "\"}"));
    }

    @GET
    @Operation(operationId = "listWebhookSubscriptions", summary = "My webhook subscriptions (partner, webhooks:manage)")
    @APIResponse(responseCode = "200", description = "Every subscription of the client, newest first",
            content = @Content(schema = @Schema(implementation = SubscriptionList.class)))
    public Uni<RestResponse<String>> list(HttpHeaders headers) {
        return webhooks.list(client()).map(body -> ETags.ok(headers, body));
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getWebhookSubscription", summary = "One of my webhook subscriptions (partner, webhooks:manage)")
    @APIResponse(responseCode = "200", description = "The subscription", content = @Content(schema = @Schema(implementation = SubscriptionView.class)))
    @APIResponse(responseCode = "404", description = "No such subscription of this client (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> get(@PathParam("id") UUID id, HttpHeaders headers) {
        return webhooks.get(client(), id).map(body -> ETags.ok(headers, body));
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "updateWebhookSubscription", summary = "Change, pause or resume a subscription (partner, webhooks:manage)")
    @APIResponse(responseCode = "200", description = "The subscription", content = @Content(schema = @Schema(implementation = SubscriptionView.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields (type `validation-failed`) or a refused target (type `webhook-target-refused`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "A token that is not a partner client's (type `forbidden`), or an event type the token's scopes do not cover (type `webhook-event-not-granted`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such subscription of this client (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<String> update(@PathParam("id") UUID id, @Valid @NotNull UpdateSubscription r) {
        return webhooks.update(client(), scopes(), id, r.url(), r.eventTypes(), r.status());
    }

    @DELETE
    @Path("/{id}")
    @Operation(operationId = "deleteWebhookSubscription", summary = "Delete a subscription and its deliveries (partner, webhooks:manage)")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such subscription of this client (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<Void>> delete(@PathParam("id") UUID id) {
        return webhooks.delete(client(), id).map(v -> RestResponse.noContent());
    }

    @GET
    @Path("/{id}/deliveries")
    @Operation(operationId = "listWebhookDeliveries", summary = "A subscription's deliveries and their attempts (partner, webhooks:manage)")
    @APIResponse(responseCode = "200", description = "Deliveries newest first, each with every attempt",
            content = @Content(schema = @Schema(implementation = DeliveryPage.class)))
    @APIResponse(responseCode = "404", description = "No such subscription of this client (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> deliveries(@PathParam("id") UUID id,
            @Parameter(description = "Page size, 1 to 100", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20"))
            @QueryParam("limit") String limit,
            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor,
            HttpHeaders headers) {
        return webhooks.deliveries(client(), id, QueryParams.intOr("limit", limit, 20, 1, 100), QueryParams.optionalText("cursor", cursor, 500))
                .map(body -> ETags.ok(headers, body));
    }

    @POST
    @Path("/{id}/deliveries/{deliveryId}/replay")
    @Operation(operationId = "replayWebhookDelivery", summary = "Send a delivery again (partner, webhooks:manage)",
            description = "Delivered, failed or pending: it is due at once, with a fresh retry period, and keeps its webhook-id.")
    @APIResponse(responseCode = "202", description = "Queued; the delivery as it now stands", content = @Content(schema = @Schema(implementation = DeliveryView.class)))
    @APIResponse(responseCode = "404", description = "No such delivery of this client's subscription (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> replay(@PathParam("id") UUID id, @PathParam("deliveryId") UUID deliveryId) {
        return webhooks.replay(client(), id, deliveryId).map(doc -> RestResponse.status(RestResponse.Status.ACCEPTED, doc));
    }

    @POST
    @Path("/{id}/events/{eventId}/replay")
    @Operation(operationId = "replayWebhookEvent", summary = "Send an event again, by its webhook-id (partner, webhooks:manage)")
    @APIResponse(responseCode = "202", description = "Queued; the delivery as it now stands", content = @Content(schema = @Schema(implementation = DeliveryView.class)))
    @APIResponse(responseCode = "404", description = "This subscription has no delivery of that event (type `not-found`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<String>> replayEvent(@PathParam("id") UUID id, @PathParam("eventId") UUID eventId) {
        return webhooks.replayEvent(client(), id, eventId).map(doc -> RestResponse.status(RestResponse.Status.ACCEPTED, doc));
    }
}
