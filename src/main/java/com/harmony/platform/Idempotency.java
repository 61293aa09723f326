package com.harmony.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import io.vertx.core.Vertx;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Idempotent unsafe commands (checkout, refunds, returns). The first request with a key claims it in
 * PostgreSQL (insert … on conflict), runs, and stores its successful response; the same key with the
 * same request then replays that response with {@code Idempotent-Replayed: true}. The same key with
 * another request is 422; while the first attempt runs, 409. A failed attempt releases the key, so the
 * client may retry with it; an attempt that failed after committing what it recorded on its claim (checkout's
 * order) leaves the key for a retry that is answered with what it made ({@link #runRecoverable}). Keys are scoped (per account) and kept for a configurable time (24 h);
 * {@link PlatformPersonalData#purge} deletes expired ones.
 *
 * <p>A claim is a lease owned by one running attempt: the attempt renews it while it runs, and
 * completes or releases it only while it still owns it. Only a lease that ran out (its instance died)
 * can be taken over, so a slow first attempt is never run a second time beside itself.
 */
@ApplicationScoped
public class Idempotency {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED = "Idempotent-Replayed";
    public static final String HEADER_DOC = "A unique key (1-255 printable characters, such as a UUID) for this command; "
            + "retrying with the same key and body replays the first response (Idempotent-Replayed: true). Required.";
    public static final String OPTIONAL_HEADER_DOC = "Optional: a unique key (1-255 printable characters, such as a UUID) for this "
            + "command; retrying with the same key and body replays the first response (Idempotent-Replayed: true) instead of "
            + "running it again.";

    public static final ProblemType KEY_MISSING = new ProblemType("idempotency-key-missing", 400, "Idempotency-Key required");
    public static final ProblemType KEY_REUSED = new ProblemType("idempotency-key-reused", 422, "Idempotency-Key used for another request");
    public static final ProblemType IN_PROGRESS = new ProblemType("idempotency-key-in-progress", 409, "Request with this key still running");

    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
    private static final String CLAIM = """
            insert into idempotency_key as k (scope, key, request_hash, status, locked_until, expires_at, owner)
            values ($1, $2, $3, 'in_progress', now() + $4 * interval '1 millisecond', now() + $5 * interval '1 second', $6)
            on conflict (scope, key) do update set request_hash = excluded.request_hash, status = 'in_progress',
                locked_until = excluded.locked_until, response_status = null, response_body = null,
                response_headers = null, created_at = now(), expires_at = excluded.expires_at, owner = excluded.owner,
                recovery = case when k.expires_at <= now() then null else k.recovery end
            where k.expires_at <= now()
               or (k.status = 'in_progress' and k.locked_until <= now() and k.request_hash = excluded.request_hash)
            returning recovery""";
    private static final String RENEW = """
            update idempotency_key set locked_until = now() + $4 * interval '1 millisecond'
            where scope = $1 and key = $2 and owner = $3 and status = 'in_progress'""";
    private static final String EXISTING = """
            select request_hash, status, response_status, response_body, response_headers::text as headers
            from idempotency_key where scope = $1 and key = $2""";
    private static final String COMPLETE = """
            update idempotency_key set status = 'completed', response_status = $3, response_body = $4, response_headers = $5
            where scope = $1 and key = $2 and owner = $6 and status = 'in_progress'""";
    /**
     * A failed attempt frees its key: deleted, or, when it committed what it names in recovery, left for a retry to take
     * over at once. The claim is locked first, so a transaction whose COMMIT is still on its way (its answer lost with
     * the connection) is waited out and its recovery read as it ended, not as this statement's snapshot saw it.
     */
    private static final String RELEASE = """
            with claim as (select recovery from idempotency_key
                           where scope = $1 and key = $2 and owner = $3 and status = 'in_progress' for update),
                 released as (delete from idempotency_key
                              where scope = $1 and key = $2 and owner = $3 and status = 'in_progress'
                                and exists (select 1 from claim where recovery is null))
            update idempotency_key set locked_until = now()
            where scope = $1 and key = $2 and owner = $3 and status = 'in_progress'
              and exists (select 1 from claim where recovery is not null)""";
    private static final String RECORD = """
            update idempotency_key set recovery = $4 where scope = $1 and key = $2 and owner = $3 and status = 'in_progress'""";

    private static final Logger LOG = Logger.getLogger(Idempotency.class);
    /** How long a finished command keeps trying to store its answer while the database fails (milliseconds). */
    private static final long COMPLETE_RETRIES_FOR = 10 * 60 * 1000L;

    private final Pool pool;
    private final ObjectMapper json;
    private final Vertx vertx;
    private final long retentionSeconds;
    private final long leaseMillis;

    Idempotency(Pool pool, ObjectMapper json, Vertx vertx, IdempotencyConfig config) {
        this.pool = pool;
        this.json = json;
        this.vertx = vertx;
        this.retentionSeconds = config.retention().toSeconds();
        this.leaseMillis = config.lease().toMillis();
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
        return runRecoverable(scope, key, fingerprint, claim -> action.get(), null);
    }

    /**
     * Like {@link #run}, for a command that can name what it made in the transaction that makes it ({@link Claim#record}):
     * if the attempt then fails (the database went away after the commit), a retry with the key is answered by
     * {@code recover} from that name instead of running the command again.
     */
    public Uni<RestResponse<String>> runRecoverable(String scope, String key, String fingerprint, Function<Claim, Uni<Stored>> action,
            Function<String, Uni<Stored>> recover) {
        if (key == null || key.isBlank()) {
            return Uni.createFrom().failure(new ProblemException(KEY_MISSING,
                    "Send an Idempotency-Key header (a new UUID per command) so a retry cannot repeat it."));
        }
        return claimAndRun(scope, key, fingerprint, action, recover);
    }

    /** The running attempt's hold on its key. */
    public record Claim(String scope, String key, UUID owner) {

        /** A command run without a key (or by a worker): nothing to record. */
        public static final Claim NONE = new Claim(null, null, null);

        /** In the command's own transaction: what it made, for a retry to be answered from if the attempt fails after the commit. */
        public Uni<Void> record(SqlConnection conn, String made) {
            return this == NONE ? Uni.createFrom().voidItem()
                    : conn.preparedQuery(RECORD).execute(Tuple.of(scope, key, owner, made)).replaceWithVoid();
        }
    }

    /** Like {@link #run} when a key is sent; without one the command simply runs (its own checks keep it safe to repeat). */
    public Uni<RestResponse<String>> runOptional(String scope, String key, String fingerprint, Supplier<Uni<Stored>> action) {
        return runOptionalRecoverable(scope, key, fingerprint, claim -> action.get(), null);
    }

    /** Like {@link #runRecoverable} when a key is sent; without one the command simply runs. */
    public Uni<RestResponse<String>> runOptionalRecoverable(String scope, String key, String fingerprint,
            Function<Claim, Uni<Stored>> action, Function<String, Uni<Stored>> recover) {
        if (key == null) {
            return Uni.createFrom().<Stored>deferred(() -> action.apply(Claim.NONE)).map(stored -> response(stored, false));
        }
        return runRecoverable(scope, key, fingerprint, action, recover);
    }

    private Uni<RestResponse<String>> claimAndRun(String scope, String key, String fingerprint, Function<Claim, Uni<Stored>> action,
            Function<String, Uni<Stored>> recover) {
        if (!KEY.matcher(key).matches()) {
            return Uni.createFrom().failure(ProblemException.invalid(HEADER, "must be 1 to 255 printable ASCII characters"));
        }
        Claim claim = new Claim(scope, key, UUID.randomUUID());
        Uni<RestResponse<String>> outcome = pool.preparedQuery(CLAIM)
                .execute(Tuple.of(scope, key, fingerprint, leaseMillis, retentionSeconds, claim.owner()))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return answerExisting(scope, key, fingerprint);
                    }
                    String made = Rows.first(rows).getString("recovery");
                    // an earlier attempt committed and then failed: answer what it made
                    return made == null || recover == null ? runClaimed(claim, () -> action.apply(claim), false)
                            : runClaimed(claim, () -> recover.apply(made), true);
                })
                .memoize().indefinitely();
        // a claim made after the client went away (it waited for a connection) still runs its command, as in runClaimed:
        // else the key would stay claimed by an attempt that never runs
        outcome.subscribe().with(r -> { }, e -> { });
        return outcome;
    }

    /**
     * Runs the claimed command, renewing the lease every third of its length until it ends. The command
     * runs to its end even if the client goes away meanwhile (the server cancels the request's Uni on a
     * reset connection): a command that committed must still complete its claim, or a retry would run it
     * again once the lease ran out.
     */
    private Uni<RestResponse<String>> runClaimed(Claim claim, Supplier<Uni<Stored>> action, boolean recovered) {
        String scope = claim.scope();
        String key = claim.key();
        UUID owner = claim.owner();
        long timer = vertx.setPeriodic(Math.max(leaseMillis / 3, 10), id -> pool.preparedQuery(RENEW)
                .execute(Tuple.of(scope, key, owner, leaseMillis))
                .subscribe().with(r -> { }, e -> LOG.warnf("Renewing idempotency lease failed (%s)", e.getClass().getSimpleName())));
        Uni<Stored> work = Uni.createFrom().<Stored>deferred(action::get)
                .onFailure().call(() -> {
                    vertx.cancelTimer(timer);
                    return release(Tuple.of(scope, key, owner), System.currentTimeMillis() + leaseMillis);
                })
                // the command is done and its answer stands, even when storing it fails (then retried, the lease kept meanwhile)
                .call(stored -> complete(Tuple.from(new Object[] {scope, key, stored.status(), stored.body(),
                        new JsonObject(new LinkedHashMap<>(stored.headers())), owner}), timer, System.currentTimeMillis() + COMPLETE_RETRIES_FOR))
                .onCancellation().invoke(() -> vertx.cancelTimer(timer))
                .memoize().indefinitely();
        work.subscribe().with(stored -> { }, e -> { }); // detached from the request: see above
        return work.map(stored -> response(stored, recovered));
    }

    /**
     * Stores the answer of a command that is done. The database may be failing: then storing is tried again every
     * second (the lease renewed meanwhile, so no retry of the client's takes the key over and runs the command a
     * second time) for up to {@link #COMPLETE_RETRIES_FOR}.
     */
    private Uni<Void> complete(Tuple answer, long renewals, long until) {
        return pool.preparedQuery(COMPLETE).execute(answer).invoke(rows -> {
            vertx.cancelTimer(renewals);
            if (rows.rowCount() == 0) {
                LOG.warnf("An idempotent command outlived its lease; its response was not stored for replay");
            }
        }).replaceWithVoid().onFailure().recoverWithUni(e -> {
            if (System.currentTimeMillis() + 1000 < until) {
                vertx.setTimer(1000, id -> complete(answer, renewals, until).subscribe().with(v -> { }, x -> { }));
            } else {
                vertx.cancelTimer(renewals);
                LOG.warnf("An idempotent command's response could not be stored (%s)", e.getClass().getSimpleName());
            }
            return Uni.createFrom().voidItem();
        });
    }

    /**
     * Frees the key of a failed attempt. The database may be what failed: then the release is tried again every
     * second within the lease, so a retry once the database is back need not wait for the lease to run out.
     */
    private Uni<Void> release(Tuple claim, long until) {
        return pool.preparedQuery(RELEASE).execute(claim).replaceWithVoid().onFailure().recoverWithUni(e -> {
            if (System.currentTimeMillis() + 1000 < until) {
                vertx.setTimer(1000, id -> release(claim, until).subscribe().with(v -> { }, x -> { }));
            }
            return Uni.createFrom().voidItem();
        });
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
            return Hashes.sha256Hex(canonical);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
