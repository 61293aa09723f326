package com.harmony.visitor;

import com.harmony.platform.ClientAddress;
import com.harmony.platform.Cookies;
import com.harmony.platform.Throttle;
import java.time.Duration;
import com.harmony.platform.Hashes;
import com.harmony.platform.ProblemException;
import com.harmony.platform.Rows;
import com.harmony.platform.SignInListener;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Visitors: a browser or app install before (or without) an account. A visitor token is
 * {@code <id>.<secret>}: the id names the visitor, the secret (stored only as a digest) proves the
 * holder is that visitor, so knowing an id never grants access to its data. When the holder signs in
 * or registers, the visitor is mapped to the account (P11) and the link is kept.
 */
@ApplicationScoped
public class VisitorService implements SignInListener {

    private static final Logger LOG = Logger.getLogger(VisitorService.class);

    private static final String INSERT = "insert into visitor (id, secret_hash) values ($1, $2)";
    private static final String FIND = "select id, secret_hash, account_id, rfc3339(linked_at) as linked_at, rfc3339(created_at) as created_at "
            + "from visitor where id = $1";
    private static final String TOUCH = "update visitor set last_seen_at = now() where id = $1 and last_seen_at < now() - interval '1 hour'";
    private static final String LINK = """
            update visitor set account_id = $2, linked_at = now() where id = $1 and (account_id is null or account_id = $2)""";

    private final Pool pool;
    private final Throttle throttle;

    VisitorService(Pool pool, Throttle throttle) {
        this.pool = pool;
        this.throttle = throttle;
    }

    /** A new visitor and the token that proves it (shown once). */
    public record NewVisitor(UUID id, String token) {
    }

    /** What a visitor may read about itself. */
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "Visitor")
    public record VisitorView(String id, boolean linkedToAccount, @org.eclipse.microprofile.openapi.annotations.media.Schema(nullable = true) String linkedAt, String createdAt) {
    }

    /** A new visitor; at most 60 per client (an IPv6 /64) per 10 minutes, so nobody fills the table for free. */
    public Uni<NewVisitor> create(String clientIp) {
        UUID id = UUID.randomUUID();
        String secret = Cookies.randomToken();
        return throttle.acquire(Throttle.Limit.of("new-visitor:" + ClientAddress.bucket(clientIp), 60, Duration.ofMinutes(10)))
                .chain(() -> pool.preparedQuery(INSERT).execute(Tuple.of(id, digest(secret))))
                .replaceWith(new NewVisitor(id, id + "." + secret));
    }

    /** The visitor a token proves, or null for a missing, malformed or wrong token. */
    public Uni<UUID> verify(String token) {
        if (token == null) {
            return Uni.createFrom().nullItem();
        }
        int dot = token.indexOf('.');
        UUID id;
        try {
            id = dot == 36 ? UUID.fromString(token.substring(0, dot)) : null;
        } catch (IllegalArgumentException e) {
            id = null;
        }
        if (id == null || token.length() > 200) {
            return Uni.createFrom().nullItem();
        }
        UUID visitorId = id;
        byte[] presented = digest(token.substring(dot + 1)).getBytes(StandardCharsets.US_ASCII);
        return pool.preparedQuery(FIND).execute(Tuple.of(visitorId)).map(rows -> {
            Row r = Rows.first(rows);
            return r != null && MessageDigest.isEqual(r.getString("secret_hash").getBytes(StandardCharsets.US_ASCII), presented)
                    ? visitorId : null;
        }).call(v -> v == null ? Uni.createFrom().voidItem() : pool.preparedQuery(TOUCH).execute(Tuple.of(v)).replaceWithVoid());
    }

    /**
     * The visitor the token proves when it is this account's browser: not linked yet, or linked to this
     * account. A browser another person signed in on before is not theirs to speak for; null then.
     */
    public Uni<UUID> verifyFor(String token, UUID accountId) {
        return verify(token).chain(id -> id == null ? Uni.createFrom().<UUID>nullItem()
                : pool.preparedQuery(FIND).execute(Tuple.of(id)).map(rows -> {
                    Row r = Rows.first(rows);
                    UUID owner = r == null ? null : r.getUUID("account_id");
                    return r != null && (owner == null || owner.equals(accountId)) ? id : null;
                }));
    }

    /** The visitor the token proves, or a 404 (a wrong secret and an unknown id look the same). */
    public Uni<VisitorView> view(String token) {
        return verify(token).chain(id -> {
            if (id == null) {
                return Uni.createFrom().failure(ProblemException.notFound("A visitor with this token"));
            }
            return pool.preparedQuery(FIND).execute(Tuple.of(id)).map(rows -> {
                Row r = Rows.first(rows);
                return new VisitorView(id.toString(), r.getUUID("account_id") != null, r.getString("linked_at"), r.getString("created_at"));
            });
        });
    }

    /** The visitors (browsers, apps) linked to an account, read on the caller's transaction: an erasure of the account erases them too. */
    public Uni<java.util.List<UUID>> linkedTo(io.vertx.mutiny.sqlclient.SqlConnection conn, UUID accountId) {
        return conn.preparedQuery("select id from visitor where account_id = $1").execute(io.vertx.mutiny.sqlclient.Tuple.of(accountId))
                .map(rows -> {
                    java.util.List<UUID> ids = new java.util.ArrayList<>();
                    rows.forEach(r -> ids.add(r.getUUID("id")));
                    return ids;
                });
    }

    @Override
    public Uni<Void> onSignIn(UUID accountId, Guest guest) {
        return link(guest.visitorToken(), accountId);
    }

    @Override
    public Uni<Void> onRegistered(UUID accountId, String visitorToken) {
        return link(visitorToken, accountId);
    }

    /** Maps the visitor to the account (once; a visitor already mapped to another account stays as it is). */
    private Uni<Void> link(String token, UUID accountId) {
        return verify(token).chain(id -> id == null ? Uni.createFrom().voidItem()
                        : pool.preparedQuery(LINK).execute(Tuple.of(id, accountId)).replaceWithVoid())
                .onFailure().recoverWithUni(e -> {
                    LOG.warnf("Linking a visitor at sign-in failed (%s); sign-in goes on", e.getClass().getSimpleName());
                    return Uni.createFrom().voidItem();
                });
    }

    private static String digest(String secret) {
        return Hashes.sha256Hex(secret);
    }
}
