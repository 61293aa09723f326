package com.harmony.platform;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Writes events into the outbox table in the caller's transaction, so an event exists exactly when the
 * change it announces was committed. {@link OutboxWorker} publishes them.
 */
@ApplicationScoped
public class Outbox {

    private static final String APPEND = "insert into outbox (topic, aggregate_id, payload) values ($1, $2, $3) returning id";

    static final String APPEND_QUERIED = """
            insert into outbox (topic, aggregate_id, payload) select $2, $1, p.payload::jsonb from (%s) p""";

    /**
     * An event whose payload a query builds (one row, a JSON text column named payload; $1 is the
     * aggregate's id, $3 onwards the values given): read and written in one statement. No row, no event.
     */
    public Uni<Void> appendQueried(SqlConnection conn, String topic, UUID aggregateId, String payloadQuery, Object... values) {
        Tuple args = Tuple.of(aggregateId, topic);
        for (Object v : values) {
            args.addValue(v);
        }
        return conn.preparedQuery(APPEND_QUERIED.formatted(payloadQuery)).execute(args).replaceWithVoid();
    }

    public Uni<UUID> append(SqlConnection conn, String topic, UUID aggregateId, JsonObject payload) {
        return conn.preparedQuery(APPEND).execute(Tuple.of(topic, aggregateId, payload))
                .map(rows -> rows.iterator().next().getUUID("id"));
    }

    /** Many events of one topic in one round trip, in the caller's transaction. */
    public Uni<Void> appendAll(SqlConnection conn, String topic, java.util.List<UUID> aggregateIds, java.util.List<JsonObject> payloads) {
        if (aggregateIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        java.util.List<Tuple> batch = new java.util.ArrayList<>();
        for (int i = 0; i < aggregateIds.size(); i++) {
            batch.add(Tuple.of(topic, aggregateIds.get(i), payloads.get(i)));
        }
        return conn.preparedQuery(APPEND).executeBatch(batch).replaceWithVoid();
    }
}
