package com.harmony.partner;

import com.harmony.platform.Audit;
import com.harmony.platform.Cursor;
import com.harmony.platform.Hashes;
import com.harmony.platform.ProblemException;
import com.harmony.platform.Rows;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Partner clients: created by an admin with a fixed set of scopes, authenticated by a secret shown once
 * and stored as its SHA-256 digest (a 256-bit random secret cannot be guessed, so a fast hash is enough;
 * digests are compared in constant time). A rotation keeps the previous secret valid for an overlap; a
 * revocation ends the client and, since every partner request checks {@link #isActive}, its tokens at once.
 */
@ApplicationScoped
public class PartnerClientService {

    private static final SecureRandom RANDOM = new SecureRandom();
    static final String SECRET_PREFIX = "hpc_";

    private static final String COLUMNS = """
            id, name, contact_email, scopes, status, rfc3339(created_at) as created_at, rfc3339(secret_rotated_at) as secret_rotated_at,
            rfc3339(previous_secret_expires_at) as previous_secret_expires_at, rfc3339(revoked_at) as revoked_at""";
    private static final String INSERT = """
            insert into partner_client (id, name, contact_email, scopes, secret_hash, created_by) values ($1, $2, $3, $4, $5, $6)""";
    private static final String ONE = "select " + COLUMNS + " from partner_client where id = $1";
    private static final String PAGE = "select " + COLUMNS + ", created_at::text as k from partner_client %s order by created_at desc, id desc limit $1";
    private static final String REVOKE = """
            update partner_client set status = 'revoked', revoked_at = now(), revoked_by = $2,
                previous_secret_hash = null, previous_secret_expires_at = null
            where id = $1 and status = 'active'""";
    private static final String ROTATE = """
            update partner_client set previous_secret_hash = secret_hash, previous_secret_expires_at = now() + $3 * interval '1 millisecond',
                secret_hash = $2, secret_rotated_at = now()
            where id = $1 and status = 'active'""";
    private static final String CREDENTIALS = """
            select scopes, secret_hash, case when previous_secret_expires_at > now() then previous_secret_hash end as previous_hash
            from partner_client where id = $1 and status = 'active'""";
    private static final String ACTIVE = "select 1 from partner_client where id = $1 and status = 'active'";
    private static final String CONTACT = "select name, contact_email from partner_client where id = $1";

    private final Pool pool;
    private final Audit audit;
    private final PartnerConfig config;

    PartnerClientService(Pool pool, Audit audit, PartnerConfig config) {
        this.pool = pool;
        this.audit = audit;
        this.config = config;
    }

    /** A client as the back office sees it; never its secret. */
    public record Client(String id, String name, String contactEmail, List<String> scopes, String status, String createdAt,
            String secretRotatedAt, String previousSecretExpiresAt, String revokedAt) {
    }

    /** A client with its new secret, shown this once. */
    public record Issued(Client client, String clientSecret) {
    }

    /** A client that proved its secret: its id and granted scopes. */
    public record Authenticated(UUID clientId, Set<String> scopes) {
    }

    public Uni<Issued> create(String name, String contactEmail, List<String> scopes, UUID admin) {
        List<String> granted = checkScopes(scopes);
        UUID id = UUID.randomUUID();
        String secret = newSecret();
        Audit.Entry entry = audit.entry("partner_client.created", "partner_client", id, null);
        return pool.withTransaction(conn -> conn.preparedQuery(INSERT)
                        .execute(Tuple.from(new Object[] {id, name.strip(), blankToNull(contactEmail), granted.toArray(String[]::new),
                                Hashes.sha256Hex(secret), admin}))
                        .chain(() -> audit.write(conn, entry)))
                .chain(() -> get(id)).map(c -> new Issued(c, secret));
    }

    public Uni<Client> get(UUID id) {
        return pool.preparedQuery(ONE).execute(Tuple.of(id)).map(rows -> {
            Row r = Rows.first(rows);
            if (r == null) {
                throw ProblemException.notFound("Partner client");
            }
            return client(r);
        });
    }

    /** Clients newest first, keyset-paginated. */
    public Uni<Page> list(int limit, String cursor) {
        String where = "";
        Tuple params = Tuple.of(limit + 1);
        if (cursor != null) {
            Cursor c = Cursor.decode(cursor, "newest");
            UUID after;
            try {
                after = UUID.fromString(c.id());
            } catch (IllegalArgumentException e) {
                throw Cursor.invalid();
            }
            where = "where (created_at, id) < ($2::text::timestamptz, $3)";
            params = Tuple.of(limit + 1, c.key(), after);
        }
        return pool.preparedQuery(PAGE.formatted(where)).execute(params).map(rows -> {
            List<Row> all = new java.util.ArrayList<>();
            rows.forEach(all::add);
            boolean more = all.size() > limit;
            List<Row> shown = more ? all.subList(0, limit) : all;
            String next = more ? new Cursor("newest", shown.get(limit - 1).getString("k"), shown.get(limit - 1).getUUID("id").toString()).encode()
                    : null;
            return new Page(shown.stream().map(PartnerClientService::client).toList(), more, next);
        });
    }

    /** A page of clients. */
    public record Page(List<Client> data, boolean hasMore, String nextCursor) {
    }

    /** Ends the client at once: its secrets and every token issued to it stop working. */
    public Uni<Client> revoke(UUID id, UUID admin) {
        Audit.Entry entry = audit.entry("partner_client.revoked", "partner_client", id, null);
        return pool.withTransaction(conn -> conn.preparedQuery(REVOKE).execute(Tuple.of(id, admin))
                        .call(rows -> rows.rowCount() == 1 ? audit.write(conn, entry) : Uni.createFrom().voidItem())
                        .map(rows -> rows.rowCount() == 1))
                .chain(revoked -> revoked ? get(id) : notActive(id));
    }

    /** A new secret; the current one keeps working for the configured overlap, the one before it stops. */
    public Uni<Issued> rotate(UUID id) {
        String secret = newSecret();
        Audit.Entry entry = audit.entry("partner_client.secret_rotated", "partner_client", id, null);
        return pool.withTransaction(conn -> conn.preparedQuery(ROTATE)
                        .execute(Tuple.of(id, Hashes.sha256Hex(secret), config.secretOverlap().toMillis()))
                        .call(rows -> rows.rowCount() == 1 ? audit.write(conn, entry) : Uni.createFrom().voidItem())
                        .map(rows -> rows.rowCount() == 1))
                .chain(rotated -> rotated ? get(id).map(c -> new Issued(c, secret)) : notActive(id));
    }

    /** After the transaction (never holding its connection): 404 for an unknown client, else 409 revoked. */
    private <T> Uni<T> notActive(UUID id) {
        return get(id).map(c -> {
            throw new ProblemException(PartnerProblems.CLIENT_REVOKED, "This client is revoked; create a new one.");
        });
    }

    /** The client, when the secret is its current one or its previous one within the overlap; null otherwise. */
    public Uni<Authenticated> authenticate(UUID clientId, String secret) {
        byte[] presented = Hashes.sha256Hex(secret).getBytes(StandardCharsets.US_ASCII);
        return pool.preparedQuery(CREDENTIALS).execute(Tuple.of(clientId)).map(rows -> {
            Row r = Rows.first(rows);
            if (r == null) {
                return null;
            }
            boolean current = MessageDigest.isEqual(presented, r.getString("secret_hash").getBytes(StandardCharsets.US_ASCII));
            String previous = r.getString("previous_hash");
            boolean old = previous != null && MessageDigest.isEqual(presented, previous.getBytes(StandardCharsets.US_ASCII));
            return current | old ? new Authenticated(clientId, new LinkedHashSet<>(Arrays.asList(r.getArrayOfStrings("scopes")))) : null;
        });
    }

    /** A signed access token: its text, seconds to expiry and the scopes granted, space-separated. */
    public record Token(String accessToken, long expiresIn, String scope) {
    }

    /**
     * A short-lived RS256 token for the client, signed by the service's issuer: sub and client_id name the
     * client, scope lists the scopes and groups holds them (so @RolesAllowed("orders:read") works) plus partner.
     */
    public Token issue(UUID clientId, Set<String> scopes) {
        Set<String> groups = new LinkedHashSet<>(scopes);
        groups.add(PartnerScopes.PARTNER);
        String scope = String.join(" ", scopes);
        String token = Jwt.subject(clientId.toString())
                .groups(groups)
                .claim(PartnerScopes.CLIENT_CLAIM, clientId.toString())
                .claim("scope", scope)
                .expiresIn(config.tokenTtl())
                .sign();
        return new Token(token, config.tokenTtl().toSeconds(), scope);
    }

    /** Whether the client may still act: checked on every partner request, so a revocation holds on every instance at once. */
    public Uni<Boolean> isActive(UUID clientId) {
        return pool.preparedQuery(ACTIVE).execute(Tuple.of(clientId)).map(rows -> rows.size() == 1);
    }

    /** Who to tell about the client's webhooks: its name and contact email (null when none or erased). */
    Uni<String[]> contact(UUID clientId) {
        return pool.preparedQuery(CONTACT).execute(Tuple.of(clientId)).map(rows -> {
            Row r = Rows.first(rows);
            return r == null ? null : new String[] {r.getString("name"), r.getString("contact_email")};
        });
    }

    static List<String> checkScopes(List<String> scopes) {
        if (scopes == null || scopes.isEmpty()) {
            throw ProblemException.invalid("scopes", "grant at least one scope");
        }
        for (String s : scopes) {
            if (!PartnerScopes.ALL.containsKey(s)) {
                throw new ProblemException(PartnerProblems.UNKNOWN_SCOPE, "Unknown scope '" + s + "'; known scopes: "
                        + String.join(", ", PartnerScopes.ALL.keySet()) + ".");
            }
        }
        return List.copyOf(new LinkedHashSet<>(scopes));
    }

    private static Client client(Row r) {
        return new Client(r.getUUID("id").toString(), r.getString("name"), r.getString("contact_email"), List.of(r.getArrayOfStrings("scopes")),
                r.getString("status"), r.getString("created_at"), r.getString("secret_rotated_at"), r.getString("previous_secret_expires_at"),
                r.getString("revoked_at"));
    }

    /** 256 random bits, base64url, with a prefix that secret scanners can recognise. */
    private static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
