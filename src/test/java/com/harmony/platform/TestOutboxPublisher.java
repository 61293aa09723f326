package com.harmony.platform;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * In tests, events of topic {@code test.unreachable} fail to publish, so retries can be observed; events of
 * topic {@code test.counted} are counted per id, so a test sees how often each went out; the rest go to
 * the log publisher.
 */
@ApplicationScoped
public class TestOutboxPublisher implements OutboxPublisher {

    public static final String UNREACHABLE = "test.unreachable";
    public static final String COUNTED = "test.counted";

    /** How many times each {@code test.counted} event was published. */
    public static final Map<UUID, AtomicInteger> PUBLISHED = new ConcurrentHashMap<>();

    /** The payloads of {@code test.counted} events in the order they went out. */
    public static final java.util.Queue<JsonObject> SEQUENCE = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private final LogOutboxPublisher log = new LogOutboxPublisher();

    @Override
    public Uni<Void> publish(UUID eventId, String topic, JsonObject payload) {
        if (UNREACHABLE.equals(topic)) {
            return Uni.createFrom().failure(new IllegalStateException("carrier unreachable"));
        }
        if (COUNTED.equals(topic)) {
            PUBLISHED.computeIfAbsent(eventId, id -> new AtomicInteger()).incrementAndGet();
            SEQUENCE.add(payload);
            return Uni.createFrom().voidItem();
        }
        return log.publish(eventId, topic, payload);
    }
}
