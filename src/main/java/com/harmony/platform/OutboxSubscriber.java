package com.harmony.platform;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * A feature inside the service that reacts to outbox events (commissions follow order events). The
 * worker calls every subscriber that handles a topic before the event counts as published; delivery is
 * at least once, so a subscriber must do its work once per event id (record the id in the same
 * transaction as the work).
 */
public interface OutboxSubscriber {

    boolean handles(String topic);

    Uni<Void> handle(UUID eventId, String topic, JsonObject payload);
}
