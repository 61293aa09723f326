package com.harmony.privacy;

import com.harmony.platform.PersonalData.Purged;
import com.harmony.platform.PersonalData;
import com.harmony.platform.JsonText;
import com.harmony.platform.Rows;
import com.harmony.platform.ScheduledRounds;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Retention for everyone, not only on request (P28): every feature's rules run on a schedule, each
 * feature in its own transaction, and the counts are logged and kept. The rules are set-based and
 * idempotent, so two instances running at once, or a run repeated, remove nothing twice and no more.
 */
@ApplicationScoped
public class RetentionRun {

    private static final Logger LOG = Logger.getLogger(RetentionRun.class);

    private static final String START = "insert into retention_run default values returning id";
    private static final String FINISH = """
            update retention_run set finished_at = now(), counts = $2 where id = $1
            returning json_build_object('id', id, 'started_at', rfc3339(started_at), 'finished_at', rfc3339(finished_at), 'counts', counts)::text""";
    private static final String RECENT = """
            select coalesce(json_agg(json_build_object('id', id, 'started_at', rfc3339(started_at), 'finished_at', rfc3339(finished_at),
                'counts', counts) order by id desc), '[]'::json)::text from (select * from retention_run order by id desc limit $1) r""";

    private final Pool pool;
    private final RequestProcessor processor;

    RetentionRun(Pool pool, RequestProcessor processor) {
        this.pool = pool;
        this.processor = processor;
    }

    @Scheduled(every = "${harmony.privacy.retention-interval:1h}", delayed = "3m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return ScheduledRounds.retriedNextRound("Retention run", run());
    }

    /** One run of every rule; answers the run with its counts. A feature whose rules fail is logged and retried next run. */
    public Uni<String> run() {
        JsonArray counts = new JsonArray();
        return pool.query(START).execute().map(rows -> Rows.first(rows).getLong(0)).chain(id -> Multi.createFrom().iterable(processor.features())
                .onItem().transformToUniAndConcatenate(feature -> pool.withTransaction(conn -> feature.purge(conn))
                        .invoke(purged -> purged.forEach(p -> counts.add(entry(feature, p))))
                        .onFailure().recoverWithItem(e -> {
                            LOG.warnf(e, "Retention rules of %s failed; they run again next time", feature.feature());
                            counts.add(new JsonObject().put("feature", feature.feature()).put("error", e.getClass().getSimpleName()));
                            return null;
                        }))
                .collect().last()
                .chain(() -> pool.preparedQuery(FINISH).execute(Tuple.of(id, counts)))
                .map(rows -> {
                    counts.stream().map(JsonObject.class::cast).filter(c -> c.getLong("rows", 0L) > 0)
                            .forEach(c -> LOG.infof("Retention: %s %s: %d row(s) (%s)", c.getString("feature"), c.getString("table"), c.getLong("rows"),
                                    c.getString("rule")));
                    return Rows.first(rows).getString(0);
                }));
    }

    public Uni<String> recent(int limit) {
        return pool.preparedQuery(RECENT).execute(Tuple.of(limit)).map(rows -> "{\"data\":" + JsonText.compact(Rows.first(rows).getString(0)) + "}");
    }

    private static JsonObject entry(PersonalData feature, Purged p) {
        return new JsonObject().put("feature", feature.feature()).put("table", p.table()).put("rule", p.rule()).put("rows", p.rows());
    }
}
