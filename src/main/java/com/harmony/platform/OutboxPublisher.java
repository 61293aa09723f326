package com.harmony.platform;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** Delivers one outbox event to the outside world (a carrier, a broker). Must tolerate duplicates' receivers: delivery is at least once. */
public interface OutboxPublisher {

    Uni<Void> publish(UUID eventId, String topic, JsonObject payload);
}
