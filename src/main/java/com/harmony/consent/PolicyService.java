package com.harmony.consent;

import com.harmony.platform.ProblemException;
import com.harmony.platform.ProblemType;
import com.harmony.platform.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Set;
import java.util.UUID;

/**
 * Policy documents (P30): the privacy statement and the cookie policy, versioned. A version takes
 * effect at its effective time; the current one is the latest in effect. Every version stays readable,
 * so anyone can see what they agreed to.
 */
@ApplicationScoped
public class PolicyService {

    public static final String PRIVACY_STATEMENT = "privacy_statement";
    public static final String COOKIE_POLICY = "cookie_policy";
    static final Set<String> KINDS = Set.of(PRIVACY_STATEMENT, COOKIE_POLICY);

    static final ProblemType VERSION_EXISTS = new ProblemType("policy-version-exists", 409, "Policy version exists");

    private static final String DOC_JSON = """
            json_build_object('kind', p.kind, 'version', p.version, 'effective_at', rfc3339(p.effective_at),
                'published_at', rfc3339(p.published_at), 'text', p.body)::text""";
    private static final String SUMMARY_JSON = """
            json_build_object('kind', p.kind, 'version', p.version, 'effective_at', rfc3339(p.effective_at),
                'published_at', rfc3339(p.published_at), 'in_effect', p.effective_at <= now())""";
    private static final String CURRENT = "select " + DOC_JSON + " as doc, p.version from policy_document p "
            + "where p.kind = $1 and p.effective_at <= now() order by p.effective_at desc, p.published_at desc limit 1";
    private static final String VERSION = "select " + DOC_JSON + " as doc from policy_document p where p.kind = $1 and p.version = $2";
    private static final String VERSIONS = "select coalesce(json_agg(" + SUMMARY_JSON + " order by p.effective_at desc, p.published_at desc), "
            + "'[]'::json)::text as doc from policy_document p where p.kind = $1";
    private static final String PUBLISH = """
            insert into policy_document (kind, version, effective_at, body, published_by) values ($1, $2, $3, $4, $5)""";

    private final Pool pool;

    PolicyService(Pool pool) {
        this.pool = pool;
    }

    /** The version of this kind in force now, or null when none was published. */
    public Uni<String> currentVersion(String kind) {
        return pool.preparedQuery(CURRENT).execute(Tuple.of(kind)).map(rows -> {
            Row r = Rows.first(rows);
            return r == null ? null : r.getString("version");
        });
    }

    public Uni<String> current(String kind) {
        checkKind(kind);
        return pool.preparedQuery(CURRENT).execute(Tuple.of(kind))
                .map(rows -> Rows.doc(require(Rows.first(rows), "A " + kind.replace('_', ' ') + " in effect")));
    }

    public Uni<String> version(String kind, String version) {
        checkKind(kind);
        return pool.preparedQuery(VERSION).execute(Tuple.of(kind, version))
                .map(rows -> Rows.doc(require(Rows.first(rows), "Version " + version + " of the " + kind.replace('_', ' '))));
    }

    /** Every version, newest first, without the texts. */
    public Uni<String> versions(String kind) {
        checkKind(kind);
        return pool.preparedQuery(VERSIONS).execute(Tuple.of(kind)).map(rows -> "{\"data\":" + Rows.doc(Rows.first(rows)) + "}");
    }

    /** Publishes a version; effective now unless a later time is given. A published version never changes. */
    public Uni<String> publish(String kind, String version, OffsetDateTime effectiveAt, String text, UUID publishedBy) {
        checkKind(kind);
        OffsetDateTime effective = effectiveAt == null ? OffsetDateTime.now() : effectiveAt;
        if (effective.isBefore(OffsetDateTime.now().minusMinutes(1))) {
            // consents name the version in effect when they were given: a backdated text would rewrite that history
            throw ProblemException.invalid("effective_at", "must not be in the past: a text takes effect when it is published or later");
        }
        return pool.preparedQuery(PUBLISH).execute(Tuple.from(new Object[] {kind, version, effective, text, publishedBy}))
                .onFailure(e -> e instanceof PgException pg && "23505".equals(pg.getSqlState()))
                .transform(e -> new ProblemException(VERSION_EXISTS, "Version " + version + " of the " + kind.replace('_', ' ')
                        + " is published already; published versions never change. Publish a new version."))
                .chain(() -> version(kind, version));
    }

    private static void checkKind(String kind) {
        if (!KINDS.contains(kind)) {
            throw ProblemException.notFound("A policy called " + kind);
        }
    }

    private static Row require(Row row, String what) {
        if (row == null) {
            throw ProblemException.notFound(what);
        }
        return row;
    }
}
