package com.harmony.platform;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** In tests, events of topic {@code test.unreachable} fail to publish, so retries can be observed; the rest go to the log publisher. */
@ApplicationScoped
public class TestOutboxPublisher implements OutboxPublisher {

    public static final String UNREACHABLE = "test.unreachable";

    private final LogOutboxPublisher log = new LogOutboxPublisher();

    @Override
    public Uni<Void> publish(UUID eventId, String topic, JsonObject payload) {
        if (UNREACHABLE.equals(topic)) {
            return Uni.createFrom().failure(new IllegalStateException("carrier unreachable"));
        }
        return log.publish(eventId, topic, payload);
    }
}
