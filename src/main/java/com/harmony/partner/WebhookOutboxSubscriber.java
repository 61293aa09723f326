package com.harmony.partner;

import com.harmony.platform.OutboxSubscriber;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * The partner feature's outbox subscriber: turns each event partners may subscribe to into deliveries
 * (once per subscription and event, so a re-published event adds none), and emails a client's contact
 * when a subscription was paused after repeated failures (after the pause committed; retried by the
 * outbox while the mail server is down).
 */
@ApplicationScoped
class WebhookOutboxSubscriber implements OutboxSubscriber {

    private final WebhookService webhooks;
    private final PartnerClientService clients;
    private final ReactiveMailer mailer;

    WebhookOutboxSubscriber(WebhookService webhooks, PartnerClientService clients, ReactiveMailer mailer) {
        this.webhooks = webhooks;
        this.clients = clients;
        this.mailer = mailer;
    }

    @Override
    public boolean handles(String topic) {
        return WebhookWorker.PAUSED_TOPIC.equals(topic) || WebhookEvents.ofTopic(topic) != null;
    }

    @Override
    public Uni<Void> handle(UUID eventId, String topic, JsonObject payload) {
        if (WebhookWorker.PAUSED_TOPIC.equals(topic)) {
            return pausedMail(UUID.fromString(payload.getString("subscription_id")), UUID.fromString(payload.getString("client_id")));
        }
        return webhooks.fanOut(eventId, topic, payload);
    }

    private Uni<Void> pausedMail(UUID subscription, UUID client) {
        return webhooks.paused(subscription).chain(row -> {
            if (row == null) {
                return Uni.createFrom().voidItem(); // resumed or deleted meanwhile: nothing to tell
            }
            return clients.contact(client).chain(contact -> {
                if (contact == null || contact[1] == null) {
                    return Uni.createFrom().voidItem();
                }
                return mailer.send(Mail.withText(contact[1], "Webhook subscription paused", """
                        Hello %s,

                        We paused your webhook subscription %s after %d consecutive failed deliveries to
                        %s

                        Deliveries already due wait while it is paused; events meanwhile are not queued for it.
                        Once your endpoint answers 2xx again, resume it with
                        PATCH /v1/partner/webhooks/%s {"status": "active"}; see each attempt with
                        GET /v1/partner/webhooks/%s/deliveries.
                        """.formatted(contact[0], subscription, row.getInteger("consecutive_failures"), row.getString("url"),
                        subscription, subscription)));
            });
        });
    }
}
