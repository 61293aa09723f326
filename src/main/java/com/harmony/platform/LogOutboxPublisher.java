package com.harmony.platform;

import io.quarkus.arc.DefaultBean;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Stands in for a carrier integration: logs that the event went out, by id and topic only (payloads hold personal data). */
@ApplicationScoped
@DefaultBean
public class LogOutboxPublisher implements OutboxPublisher {

    private static final Logger LOG = Logger.getLogger(LogOutboxPublisher.class);

    @Override
    public Uni<Void> publish(UUID eventId, String topic, JsonObject payload) {
        LOG.infof("Published outbox event %s (%s)", eventId, topic);
        return Uni.createFrom().voidItem();
    }
}
