package com.harmony.account.auth;

import com.harmony.platform.Cookies;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

/** Single-use, short-lived tokens sent by email (password reset, email change); only their hashes are stored. */
@ApplicationScoped
public class EmailTokens {

    public static final String PASSWORD_RESET = "password_reset";
    public static final String EMAIL_CHANGE = "email_change";

    private final Pool pool;

    EmailTokens(Pool pool) {
        this.pool = pool;
    }

    /** What a consumed token was for. */
    public record Redeemed(UUID accountId, String newEmail) {
    }

    public Uni<String> issue(UUID accountId, String purpose, String newEmail, Duration ttl) {
        String token = Cookies.randomToken();
        return pool.preparedQuery("""
                        insert into auth_email_token (token_hash, account_id, purpose, new_email, expires_at)
                        values ($1, $2, $3, $4, $5)""")
                .execute(Tuple.of(Sessions.sha256(token), accountId, purpose, newEmail, OffsetDateTime.now().plus(ttl)))
                .replaceWith(token);
    }

    /**
     * Uses the token up, and with it every other open link of its account (an older reset link, a pending
     * email change): one link acts, then none of the others can. The account's open links are locked in one
     * order, so two of them used at the same moment are taken one after the other and the second finds itself
     * used. What the token was for is done in the same transaction: the link is spent only if that change is made (a
     * database lost in between, a unique violation, leave both as they were). Null, and nothing done, when the token
     * is unknown, expired, used or for another purpose.
     */
    public <T> Uni<T> redeemWith(String token, String purpose, java.util.function.BiFunction<SqlConnection, Redeemed, Uni<T>> change) {
        return pool.withTransaction(conn -> redeem(conn, token, purpose)
                .chain(redeemed -> redeemed == null ? Uni.createFrom().<T>nullItem() : change.apply(conn, redeemed)));
    }

    private static Uni<Redeemed> redeem(SqlClient client, String token, String purpose) {
        String hash = Sessions.sha256(token);
        return client.preparedQuery(REDEEM).execute(Tuple.of(hash, purpose)).map(rows -> {
            for (Row row : rows) {
                if (row.getBoolean("redeemed")) {
                    return new Redeemed(row.getUUID("account_id"), row.getString("new_email"));
                }
            }
            return null;
        });
    }

    static final String REDEEM = """
            with mine as (select account_id from auth_email_token
                          where token_hash = $1 and purpose = $2 and used_at is null and expires_at > now()),
                 open as (select token_hash from auth_email_token
                          where account_id = (select account_id from mine) and used_at is null
                          order by token_hash for update)
            update auth_email_token t set used_at = now()
            from open where t.token_hash = open.token_hash
            returning t.account_id, t.new_email, t.token_hash = $1 and t.purpose = $2 and t.expires_at > now() as redeemed""";

    /** The account a live token belongs to, without using it up; null when it is unknown, expired, used or for another purpose. */
    public Uni<UUID> peek(String token, String purpose) {
        return pool.preparedQuery("""
                        select account_id from auth_email_token
                        where token_hash = $1 and purpose = $2 and used_at is null and expires_at > now()""")
                .execute(Tuple.of(Sessions.sha256(token), purpose))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getUUID("account_id") : null);
    }

    /** Voids every open token of the account: after a password reset or change, no older link may act. */
    public Uni<Void> revokeAll(UUID accountId) {
        return pool.preparedQuery("update auth_email_token set used_at = now() where account_id = $1 and used_at is null")
                .execute(Tuple.of(accountId)).replaceWithVoid();
    }
}
