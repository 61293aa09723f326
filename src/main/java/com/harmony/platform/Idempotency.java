package com.harmony.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Idempotent unsafe commands (checkout, refunds, returns). The first request with a key claims it in
 * PostgreSQL (insert … on conflict), runs, and stores its successful response; the same key with the
 * same request then replays that response with {@code Idempotent-Replayed: true}. The same key with
 * another request is 422; while the first attempt runs, 409. A failed attempt releases the key, so the
 * client may retry with it. Keys are scoped (per account) and kept for a configurable time (24 h).
 */
@ApplicationScoped
public class Idempotency {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED = "Idempotent-Replayed";
    public static final String HEADER_DOC = "A unique key (1-255 printable characters, such as a UUID) for this command; "
            + "retrying with the same key and body replays the first response (Idempotent-Replayed: true). Required.";

    public static final ProblemType KEY_MISSING = new ProblemType("idempotency-key-missing", 400, "Idempotency-Key required");
    public static final ProblemType KEY_REUSED = new ProblemType("idempotency-key-reused", 422, "Idempotency-Key used for another request");
    public static final ProblemType IN_PROGRESS = new ProblemType("idempotency-key-in-progress", 409, "Request with this key still running");

    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
    /** A claim older than this belongs to an attempt that died (crashed instance) and may be taken over. */
    private static final long CLAIM_SECONDS = 60;

    private static final String CLAIM = """
            insert into idempotency_key as k (scope, key, request_hash, status, locked_until, expires_at)
            values ($1, $2, $3, 'in_progress', now() + $4 * interval '1 second', now() + $5 * interval '1 second')
            on conflict (scope, key) do update set request_hash = excluded.request_hash, status = 'in_progress',
                locked_until = excluded.locked_until, response_status = null, response_body = null,
                response_headers = null, created_at = now(), expires_at = excluded.expires_at
            where k.expires_at <= now()
               or (k.status = 'in_progress' and k.locked_until <= now() and k.request_hash = excluded.request_hash)
            returning 1""";
    private static final String EXISTING = """
            select request_hash, status, response_status, response_body, response_headers::text as headers
            from idempotency_key where scope = $1 and key = $2""";
    private static final String COMPLETE = """
            update idempotency_key set status = 'completed', response_status = $3, response_body = $4, response_headers = $5
            where scope = $1 and key = $2""";
    private static final String RELEASE = "delete from idempotency_key where scope = $1 and key = $2 and status = 'in_progress'";
    private static final String PURGE = "delete from idempotency_key where expires_at <= now()";

    private final Pool pool;
    private final ObjectMapper json;
    private final long retentionSeconds;

    Idempotency(Pool pool, ObjectMapper json,
            @ConfigProperty(name = "harmony.idempotency.retention", defaultValue = "PT24H") Duration retention) {
        this.pool = pool;
        this.json = json;
        this.retentionSeconds = retention.toSeconds();
    }

    /** A response worth storing: status, JSON body and the headers to replay (Location, ETag). */
    public record Stored(int status, String body, Map<String, String> headers) {

        public static Stored created(String location, String body) {
            return new Stored(201, body, Map.of("Location", location));
        }

        public static Stored ok(String body) {
            return new Stored(200, body, Map.of());
        }
    }

    /** Runs action at most once per (scope, key, request); see the class comment for the outcomes. */
    public Uni<RestResponse<String>> run(String scope, String key, String fingerprint, Supplier<Uni<Stored>> action) {
        if (key == null || key.isBlank()) {
            return Uni.createFrom().failure(new ProblemException(KEY_MISSING,
                    "Send an Idempotency-Key header (a new UUID per command) so a retry cannot repeat it."));
        }
        if (!KEY.matcher(key).matches()) {
            return Uni.createFrom().failure(ProblemException.invalid(HEADER, "must be 1 to 255 printable ASCII characters"));
        }
        return pool.preparedQuery(CLAIM).execute(Tuple.of(scope, key, fingerprint, CLAIM_SECONDS, retentionSeconds))
                .chain(rows -> rows.size() == 1 ? runClaimed(scope, key, action) : answerExisting(scope, key, fingerprint));
    }

    private Uni<RestResponse<String>> runClaimed(String scope, String key, Supplier<Uni<Stored>> action) {
        return Uni.createFrom().<Stored>deferred(action::get)
                .onFailure().call(() -> pool.preparedQuery(RELEASE).execute(Tuple.of(scope, key)))
                .call(stored -> pool.preparedQuery(COMPLETE).execute(Tuple.of(scope, key, stored.status(), stored.body(),
                        new JsonObject(new LinkedHashMap<>(stored.headers())))))
                .map(stored -> response(stored, false));
    }

    private Uni<RestResponse<String>> answerExisting(String scope, String key, String fingerprint) {
        return pool.preparedQuery(EXISTING).execute(Tuple.of(scope, key)).map(rows -> {
            Row row = Rows.first(rows);
            if (row == null) {
                // released or purged between our claim attempt and this read: the client may simply retry
                throw new ProblemException(IN_PROGRESS, "A request with this key just finished without a result; retry it.");
            }
            if (!fingerprint.equals(row.getString("request_hash"))) {
                throw new ProblemException(KEY_REUSED, "This Idempotency-Key was used with a different request; use a new key.");
            }
            if (!"completed".equals(row.getString("status"))) {
                throw new ProblemException(IN_PROGRESS, "The first request with this key is still running; retry in a moment.",
                        java.util.List.of(), Map.of("Retry-After", "1"));
            }
            Map<String, String> headers = new LinkedHashMap<>();
            new JsonObject(row.getString("headers")).forEach(e -> headers.put(e.getKey(), String.valueOf(e.getValue())));
            return response(new Stored(row.getInteger("response_status"), row.getString("response_body"), headers), true);
        });
    }

    private static RestResponse<String> response(Stored stored, boolean replayed) {
        RestResponse.ResponseBuilder<String> b = RestResponse.ResponseBuilder.<String>create(stored.status())
                .entity(stored.body()).type(MediaType.APPLICATION_JSON_TYPE);
        stored.headers().forEach(b::header);
        if (replayed) {
            b.header(REPLAYED, "true");
        }
        return b.build();
    }

    /** A digest of what makes two requests "the same": method, path and the body as the API read it. */
    public String fingerprint(String method, String path, Object body) {
        try {
            String canonical = method + ' ' + path + '\n' + json.writeValueAsString(body);
            return HexFormat.of().formatHex(Hashes.sha256(canonical));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deletes expired keys: one statement, safe when every instance runs it. */
    @Scheduled(every = "${harmony.idempotency.purge-interval:1h}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purgeExpired() {
        return purgeExpiredNow().replaceWithVoid();
    }

    public Uni<Integer> purgeExpiredNow() {
        return pool.query(PURGE).execute().map(RowSet::rowCount);
    }

}
