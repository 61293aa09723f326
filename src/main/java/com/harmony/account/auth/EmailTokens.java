package com.harmony.account.auth;

import com.harmony.platform.Cookies;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
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

    /** Uses the token up; null when it is unknown, expired, used or for another purpose. */
    public Uni<Redeemed> redeem(String token, String purpose) {
        return pool.preparedQuery("""
                        update auth_email_token set used_at = now()
                        where token_hash = $1 and purpose = $2 and used_at is null and expires_at > now()
                        returning account_id, new_email""")
                .execute(Tuple.of(Sessions.sha256(token), purpose))
                .map(rows -> {
                    var it = rows.iterator();
                    if (!it.hasNext()) {
                        return null;
                    }
                    Row row = it.next();
                    return new Redeemed(row.getUUID("account_id"), row.getString("new_email"));
                });
    }

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
