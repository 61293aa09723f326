package com.harmony.privacy;

import com.harmony.platform.Audit;
import com.harmony.platform.NewestFirst;
import com.harmony.platform.ProblemException;
import com.harmony.platform.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The disclosure log (P18, P20): every time a person's data left the company, to whom, on which legal
 * basis, which fields and when. Staff record subpoenas, debt collection and business transfers by
 * hand; the partner audience export writes its own entries. Each person sees their entries.
 */
@ApplicationScoped
public class DisclosureService {

    /** Why the data could be disclosed. */
    public enum LegalBasis {
        CONSENT, SUBPOENA, COURT_ORDER, LAW_ENFORCEMENT, DEBT_COLLECTION, BUSINESS_TRANSFER, FRAUD_PREVENTION, OTHER;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final String DOC = """
            json_build_object('id', d.id, 'account_id', d.account_id, 'recipient', d.recipient, 'legal_basis', d.legal_basis,
                'fields', to_json(d.fields), 'note', d.note, 'disclosed_at', rfc3339(d.disclosed_at), 'recorded_at', rfc3339(d.recorded_at),
                'export_id', d.export_id)::text""";
    private static final NewestFirst LOG = new NewestFirst("disclosure d", "d", "recorded_at", "disclosures", DOC);
    private static final String INSERT = """
            insert into disclosure (id, account_id, recipient, legal_basis, fields, note, disclosed_at, recorded_by, export_id)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9)""";
    private static final String INSERT_MANY = """
            insert into disclosure (id, account_id, recipient, legal_basis, fields, note, disclosed_at, recorded_by, export_id)
            select gen_random_uuid(), a, $2, 'consent', $3, $4, now(), $5, $6 from unnest($1::uuid[]) as a""";
    private static final String ONE = "select " + DOC + " as doc from disclosure d where d.id = $1";

    private final Pool pool;
    private final Audit audit;

    DisclosureService(Pool pool, Audit audit) {
        this.pool = pool;
        this.audit = audit;
    }

    /** One disclosure staff made; the account must exist. */
    public Uni<String> record(UUID accountId, String recipient, LegalBasis basis, List<String> fields, String note,
            OffsetDateTime disclosedAt, UUID staff) {
        if (basis == LegalBasis.OTHER && (note == null || note.isBlank())) {
            throw ProblemException.invalid("note", "must say what the legal basis was when it is other");
        }
        if (disclosedAt.isAfter(OffsetDateTime.now().plusMinutes(5))) {
            throw ProblemException.invalid("disclosed_at", "must not be in the future");
        }
        UUID id = UUID.randomUUID();
        Audit.Entry entry = audit.entry("disclosure.recorded", "disclosure", id, accountId);
        return pool.withTransaction(conn -> conn.preparedQuery(INSERT)
                        .execute(Tuple.from(new Object[] {id, accountId, recipient.strip(), basis.wire(),
                                fields.stream().map(String::strip).distinct().toArray(String[]::new), note, disclosedAt, staff, null}))
                        .call(() -> audit.write(conn, entry)))
                .onFailure(com.harmony.platform.Rows::isForeignKeyViolation).transform(e -> ProblemException.notFound("Account"))
                .chain(() -> pool.preparedQuery(ONE).execute(Tuple.of(id))).map(rows -> Rows.doc(rows.iterator().next()));
    }

    /** Entries for everyone in one partner export, written before their data is sent (P18). */
    public Uni<Void> recordExport(List<UUID> accounts, String recipient, List<String> fields, UUID exportId, UUID staff) {
        if (accounts.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Audit.Entry entry = audit.entry("audience.exported", "partner_audience_export", exportId, null);
        return pool.withTransaction(conn -> conn.preparedQuery(INSERT_MANY)
                .execute(Tuple.from(new Object[] {accounts.toArray(UUID[]::new), recipient, fields.toArray(String[]::new),
                        "partner audience export", staff, exportId}))
                .call(() -> audit.write(conn, entry))).replaceWithVoid();
    }

    /** The log, newest first, optionally for one account. */
    public Uni<String> list(UUID accountId, int limit, String cursor) {
        return LOG.page(pool, "account_id", accountId, limit, cursor);
    }

}
