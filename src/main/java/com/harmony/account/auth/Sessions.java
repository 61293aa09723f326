package com.harmony.account.auth;

import com.harmony.platform.Cookies;
import com.harmony.platform.Hashes;
import com.harmony.platform.Rows;
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
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sign-in sessions in PostgreSQL, so every instance sees a sign-out at once. A session owns a family
 * of refresh tokens (stored as SHA-256 hashes); each refresh uses one up, and presenting a used one
 * means it was stolen or replayed, so the whole session is revoked.
 */
@ApplicationScoped
public class Sessions {

    private final Pool pool;
    private final Duration sessionLifetime;
    private final Duration rememberedLifetime;

    Sessions(Pool pool,
            @ConfigProperty(name = "harmony.auth.session-lifetime", defaultValue = "PT12H") Duration sessionLifetime,
            @ConfigProperty(name = "harmony.auth.remembered-session-lifetime", defaultValue = "P30D") Duration rememberedLifetime) {
        this.pool = pool;
        this.sessionLifetime = sessionLifetime;
        this.rememberedLifetime = rememberedLifetime;
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

    /** Uses up a refresh token and issues the next; null when the token is unknown, used (the session is then revoked) or expired. */
    public Uni<Rotation> rotate(String refreshToken) {
        String hash = sha256(refreshToken);
        return pool.withTransaction(conn -> conn
                .preparedQuery("update auth_refresh_token set used_at = now() where token_hash = $1 and used_at is null returning session_id")
                .execute(Tuple.of(hash))
                .chain(rows -> rows.size() == 1
                        ? continueSession(conn, Rows.first(rows).getUUID("session_id"))
                        : revokeReusedFamily(conn, hash)));
    }

    private Uni<Rotation> continueSession(SqlConnection conn, UUID sessionId) {
        // tokens name their session, so a refresh-cookie request tells the CSRF check which session it is for
        String next = SessionIds.scopedToken(sessionId, Cookies.randomToken());
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
                    return insertToken(conn, sessionId, next).replaceWith(new Rotation(row.getUUID("account_id"), opened));
                });
    }

    /** A used token came back: whoever holds the family is not to be trusted, so the session ends (committed, then refused). */
    private Uni<Rotation> revokeReusedFamily(SqlConnection conn, String hash) {
        return conn.preparedQuery("""
                        update auth_session set revoked_at = coalesce(revoked_at, now())
                        where id = (select session_id from auth_refresh_token where token_hash = $1)""")
                .execute(Tuple.of(hash))
                .replaceWith((Rotation) null);
    }

    public Uni<Boolean> isActive(UUID sessionId) {
        return pool.preparedQuery("select 1 from auth_session where id = $1 and revoked_at is null and expires_at > now()")
                .execute(Tuple.of(sessionId))
                .map(rows -> rows.size() == 1);
    }

    public Uni<Void> revoke(UUID sessionId) {
        return pool.preparedQuery("update auth_session set revoked_at = now() where id = $1 and revoked_at is null")
                .execute(Tuple.of(sessionId)).replaceWithVoid();
    }

    /** Ends every session of the account except keep (null: all of them). */
    public Uni<Void> revokeAll(UUID accountId, UUID keep) {
        return pool.preparedQuery("update auth_session set revoked_at = now() where account_id = $1 and revoked_at is null and id <> $2")
                .execute(Tuple.of(accountId, keep == null ? new UUID(0, 0) : keep)).replaceWithVoid();
    }

    private static Uni<Void> insertToken(SqlConnection conn, UUID sessionId, String token) {
        return conn.preparedQuery("insert into auth_refresh_token (token_hash, session_id) values ($1, $2)")
                .execute(Tuple.of(sha256(token), sessionId)).replaceWithVoid();
    }


    /** SHA-256, base64url: what is stored instead of a token or a throttle subject. */
    static String sha256(String value) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(Hashes.sha256(value));
    }
}
