package com.harmony.privacy;

import com.harmony.platform.Audit;
import com.harmony.platform.ErasureGate;
import com.harmony.platform.ProblemException;
import com.harmony.platform.JsonText;
import com.harmony.platform.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Legal holds (P28): while a court, an authority or a claim requires a person's data be kept, the legal
 * team places a hold on their account or email, and erasure requests are answered with its reason
 * instead of carried out. Placing and lifting are audited with the change.
 */
@ApplicationScoped
public class LegalHoldService {

    private static final String DOC = """
            json_build_object('id', h.id, 'account_id', h.account_id, 'email', h.email, 'reason', h.reason, 'placed_by', h.placed_by,
                'placed_at', rfc3339(h.placed_at), 'lifted_by', h.lifted_by, 'lifted_at', rfc3339(h.lifted_at))::text""";
    private static final String INSERT = "insert into legal_hold (id, account_id, email, reason, placed_by) values ($1, $2, $3, $4, $5)";
    private static final String LIFT = "update legal_hold set lifted_at = now(), lifted_by = $2 where id = $1 and lifted_at is null";
    private static final String ONE = "select " + DOC + " as doc from legal_hold h where h.id = $1";
    private static final String ACTIVE = "select coalesce(json_agg(" + DOC.replace("::text", "") + " order by h.placed_at desc), '[]'::json)::text "
            + "from legal_hold h where h.lifted_at is null";

    private final Pool pool;
    private final Audit audit;

    LegalHoldService(Pool pool, Audit audit) {
        this.pool = pool;
        this.audit = audit;
    }

    public Uni<String> place(UUID accountId, String email, String reason, UUID staff) {
        if (accountId == null && (email == null || email.isBlank())) {
            throw ProblemException.invalid("account_id", "name the account or the email the hold is on");
        }
        UUID id = UUID.randomUUID();
        Audit.Entry entry = audit.entry("legal_hold.placed", "legal_hold", id, accountId);
        // through the erasure gate: an erasure under way ends first, or sees this hold and stops (it erased past a hold
        // answered 201 while it ran)
        return pool.withTransaction(conn -> (accountId == null ? ErasureGate.pass(conn, ErasureGate.email(email)).replaceWith(true)
                        : com.harmony.account.AccountService.passErasureGate(conn, accountId))
                .invoke(there -> {
                    if (!there) {
                        // a mistyped id held nobody and read as a hold in force; an erased account has nothing left to hold
                        throw ProblemException.invalid("account_id", "no account has this id");
                    }
                })
                .chain(() -> conn.preparedQuery(INSERT)
                        .execute(Tuple.of(id, accountId, email == null ? null : email.strip(), reason.strip(), staff)))
                        .chain(() -> audit.write(conn, entry)))
                .chain(() -> one(id));
    }

    public Uni<String> lift(UUID id, UUID staff) {
        Audit.Entry entry = audit.entry("legal_hold.lifted", "legal_hold", id, null).about("select account_id from legal_hold where id = $5::varchar::uuid");
        return pool.withTransaction(conn -> conn.preparedQuery(LIFT).execute(Tuple.of(id, staff)).chain(rows -> {
            if (rows.rowCount() == 0) {
                return one(conn, id).map(found -> {
                    throw new ProblemException(PrivacyProblems.WRONG_REQUEST, "This hold was lifted already.");
                });
            }
            return audit.write(conn, entry);
        })).chain(() -> one(id));
    }

    public Uni<String> active() {
        return pool.query(ACTIVE).execute().map(rows -> "{\"data\":" + JsonText.compact(Rows.first(rows).getString(0)) + "}");
    }

    private Uni<String> one(UUID id) {
        return one(pool, id);
    }

    /** Inside a transaction, on its own connection: a burst of lifts holds every other pooled one while it lasts. */
    private static Uni<String> one(io.vertx.mutiny.sqlclient.SqlClient client, UUID id) {
        return client.preparedQuery(ONE).execute(Tuple.of(id)).map(rows -> {
            if (Rows.first(rows) == null) {
                throw ProblemException.notFound("Legal hold");
            }
            return Rows.doc(Rows.first(rows));
        });
    }
}
