package com.harmony.account.auth;

import com.harmony.account.AccountCache;
import com.harmony.platform.Cookies;
import com.harmony.platform.Hashes;
import com.harmony.platform.Rows;
import com.harmony.platform.ServerKey;
import com.harmony.platform.SessionIds;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Sign-in sessions in PostgreSQL, so every instance sees a sign-out at once. A session owns a family
 * of refresh tokens (stored as SHA-256 hashes); each refresh uses one up. Presenting a used one again
 * within a short grace answers the same successor (two tabs, or a retry after a lost answer, must not
 * sign the user out); after the grace it means the token was stolen or replayed, so the whole session
 * is revoked. The successor is an HMAC of the token it replaces (ServerKey), so it can be answered
 * again without storing any token; and a thief replaying within the grace gets the very token the
 * rightful holder has, not one of their own, so the session still ends when both go on using it.
 */
@ApplicationScoped
public class Sessions {

    private final Pool pool;
    private final ServerKey key;
    private final Duration sessionLifetime;
    private final Duration rememberedLifetime;
    private final Duration refreshGrace;
    private final AccountCache cache;

    Sessions(Pool pool, ServerKey key, AccountCache cache,
            AuthConfig config) {
        this.cache = cache;
        Duration sessionLifetime = config.sessionLifetime();
        Duration rememberedLifetime = config.rememberedSessionLifetime();
        Duration refreshGrace = config.refreshGrace();
        this.pool = pool;
        this.key = key;
        this.sessionLifetime = sessionLifetime;
        this.rememberedLifetime = rememberedLifetime;
        this.refreshGrace = refreshGrace;
    }

    /** A new session and its first refresh token (returned once, stored hashed). */
    public record Opened(UUID sessionId, String refreshToken, boolean remember, OffsetDateTime expiresAt) {

        /** How long a "remember me" cookie should live; null for a session cookie. */
        public Duration cookieMaxAge() {
            return remember ? Duration.between(OffsetDateTime.now(), expiresAt) : null;
        }
    }

    /** The outcome of presenting a refresh token. */
    public record Rotation(UUID accountId, Opened session) {
    }

    public Uni<Opened> open(UUID accountId, boolean remember) {
        UUID id = UUID.randomUUID();
        String token = SessionIds.scopedToken(id, Cookies.randomToken());
        OffsetDateTime expires = OffsetDateTime.now().plus(remember ? rememberedLifetime : sessionLifetime);
        return pool.withTransaction(conn -> conn
                .preparedQuery("insert into auth_session (id, account_id, remember, expires_at) values ($1, $2, $3, $4)")
                .execute(Tuple.of(id, accountId, remember, expires))
                .chain(() -> insertToken(conn, id, token)))
                .replaceWith(new Opened(id, token, remember, expires));
    }

    /**
     * Uses up a refresh token and issues its successor; null when the token is unknown, expired, used
     * after the grace (the session is then revoked) or when its successor has been used already.
     */
    public Uni<Rotation> rotate(String refreshToken) {
        String hash = sha256(refreshToken);
        // the session row first, in every path: a token's rotation and its predecessor's replay both lock the
        // session and the successor's row, and in opposite orders they deadlocked
        return pool.withTransaction(conn -> conn.preparedQuery(LOCK_SESSION).execute(Tuple.of(hash))
                .chain(session -> session.size() == 0 ? Uni.createFrom().<Rotation>nullItem() : conn
                        .preparedQuery("update auth_refresh_token set used_at = now() where token_hash = $1 and used_at is null returning session_id")
                        .execute(Tuple.of(hash))
                        .chain(rows -> rows.size() == 1
                                ? continueSession(conn, Rows.first(rows).getUUID("session_id"), refreshToken)
                                : presentedAgain(conn, hash, refreshToken))));
    }

    private static final String LOCK_SESSION = """
            select s.id from auth_session s join auth_refresh_token t on t.session_id = s.id
            where t.token_hash = $1 for no key update of s""";

    /** A token already used (a concurrent duplicate waited for the first's row lock): within the grace, its successor again. */
    private Uni<Rotation> presentedAgain(SqlConnection conn, String hash, String refreshToken) {
        return conn.preparedQuery("""
                        select session_id, used_at > now() - make_interval(secs => $2) as in_grace
                        from auth_refresh_token where token_hash = $1""")
                .execute(Tuple.of(hash, refreshGrace.toMillis() / 1000.0))
                .chain(rows -> {
                    Row row = Rows.first(rows);
                    if (row == null) {
                        return Uni.createFrom().nullItem();
                    }
                    return row.getBoolean("in_grace")
                            ? continueSession(conn, row.getUUID("session_id"), refreshToken)
                            : revokeReusedFamily(conn, hash);
                });
    }

    private Uni<Rotation> continueSession(SqlConnection conn, UUID sessionId, String usedToken) {
        String next = successorOf(sessionId, usedToken);
        return conn.preparedQuery("""
                        update auth_session set last_used_at = now()
                        where id = $1 and revoked_at is null and expires_at > now()
                        returning account_id, remember, expires_at""")
                .execute(Tuple.of(sessionId))
                .chain(rows -> {
                    Row row = Rows.first(rows);
                    if (row == null) {
                        return Uni.createFrom().nullItem();
                    }
                    Opened opened = new Opened(sessionId, next, row.getBoolean("remember"), row.getOffsetDateTime("expires_at"));
                    return issueSuccessor(conn, sessionId, next)
                            .map(issued -> issued ? new Rotation(row.getUUID("account_id"), opened) : null);
                });
    }

    /** The same token for the same predecessor, unguessable without the server key. */
    private String successorOf(UUID sessionId, String usedToken) {
        return SessionIds.scopedToken(sessionId, key.sign("refresh-successor", usedToken));
    }

    /** Stores the successor, or finds it stored by the first presentation; false once it has been used itself. */
    private static Uni<Boolean> issueSuccessor(SqlConnection conn, UUID sessionId, String token) {
        return conn.preparedQuery("""
                        insert into auth_refresh_token (token_hash, session_id) values ($1, $2)
                        on conflict (token_hash) do update set session_id = excluded.session_id
                        where auth_refresh_token.used_at is null and auth_refresh_token.session_id = excluded.session_id
                        returning token_hash""")
                .execute(Tuple.of(sha256(token), sessionId))
                .map(rows -> rows.size() == 1);
    }

    /** A used token came back after the grace: whoever holds the family is not to be trusted, so the session ends (committed, then refused). */
    private Uni<Rotation> revokeReusedFamily(SqlConnection conn, String hash) {
        return conn.preparedQuery("""
                        update auth_session set revoked_at = coalesce(revoked_at, now())
                        where id = (select session_id from auth_refresh_token where token_hash = $1) returning id""")
                .execute(Tuple.of(hash))
                .invoke(rows -> rows.forEach(r -> cache.sessionEnded(r.getUUID(0))))
                .replaceWith((Rotation) null);
    }

    /**
     * Whether the session is live and is the account the token names (a token whose subject is not its session's
     * account, which only the holder of the signing key could make, is not honoured): from this instance's memory
     * for a moment (see {@link AccountCache}), else from PostgreSQL.
     */
    public Uni<Boolean> isActive(UUID sessionId, String subject) {
        return cache.session(sessionId, () -> pool.preparedQuery(
                        "select account_id, expires_at from auth_session where id = $1 and revoked_at is null and expires_at > now()")
                .execute(Tuple.of(sessionId))
                .map(rows -> {
                    Row live = Rows.first(rows);
                    return live == null ? null : new AccountCache.Live(live.getUUID(0), live.getOffsetDateTime(1));
                }))
                .map(live -> live != null && live.accountId().toString().equals(subject));
    }

    /** Ends the session; this instance forgets it at once, the others when the commit NOTIFYs them. */
    public Uni<Void> revoke(UUID sessionId) {
        return pool.preparedQuery("update auth_session set revoked_at = now() where id = $1 and revoked_at is null")
                .execute(Tuple.of(sessionId)).invoke(() -> cache.sessionEnded(sessionId)).replaceWithVoid();
    }

    /** Ends the session of a refresh token: a browser signing out once its access token has expired. */
    public Uni<Void> revokeByRefresh(String refreshToken) {
        return pool.preparedQuery("""
                        update auth_session set revoked_at = coalesce(revoked_at, now())
                        where id = (select session_id from auth_refresh_token where token_hash = $1) returning id""")
                .execute(Tuple.of(sha256(refreshToken)))
                .invoke(rows -> rows.forEach(r -> cache.sessionEnded(r.getUUID(0)))).replaceWithVoid();
    }

    /** Ends every session of the account except keep (null: all of them). */
    public Uni<Void> revokeAll(UUID accountId, UUID keep) {
        return revokeAll(pool, accountId, keep).invoke(() -> cache.accountChanged(accountId));
    }

    /** The same inside the caller's transaction; the caller tells this instance's cache once it has committed. */
    public static Uni<Void> revokeAll(io.vertx.mutiny.sqlclient.SqlClient client, UUID accountId, UUID keep) {
        return client.preparedQuery("update auth_session set revoked_at = now() where account_id = $1 and revoked_at is null and id <> $2")
                .execute(Tuple.of(accountId, keep == null ? new UUID(0, 0) : keep)).replaceWithVoid();
    }

    private static Uni<Void> insertToken(SqlConnection conn, UUID sessionId, String token) {
        return conn.preparedQuery("insert into auth_refresh_token (token_hash, session_id) values ($1, $2)")
                .execute(Tuple.of(sha256(token), sessionId)).replaceWithVoid();
    }


    /** SHA-256, base64url: what is stored instead of a token. */
    static String sha256(String value) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(Hashes.sha256(value));
    }
}
