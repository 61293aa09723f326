package com.harmony.support;

import com.harmony.platform.NewestFirst;
import com.harmony.platform.PostalAddress;
import com.harmony.platform.ProblemException;
import com.harmony.platform.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.util.Locale;
import java.util.UUID;

/**
 * Call-centre and service-desk contacts (P3): what a person called about and what the agent noted,
 * kept so the next agent can see the history. A contact is about an account, or, when the caller has
 * none, carries the caller's own name, phone and (if given) postal address.
 */
@ApplicationScoped
public class SupportContactService {

    /** How the person reached us. */
    public enum Channel {
        PHONE, EMAIL, CHAT, IN_PERSON, LETTER;

        public static final String WIRE = "phone|email|chat|in_person|letter";

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What the contact was about. */
    public enum Reason {
        PRODUCT, ORDER, DELIVERY, BILLING, RETURN, ACCOUNT, PRIVACY, COMPLAINT, OTHER;

        public static final String WIRE = "product|order|delivery|billing|return|account|privacy|complaint|other";

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A caller without an account: how to reach them again. The address may be missing (a caller may decline to give it). */
    public record Caller(String name, @Schema(nullable = true) String phone, @Schema(nullable = true) PostalAddress address,
            @Schema(nullable = true) String email) {
    }

    /** A recorded contact: its id and its document. */
    public record Recorded(UUID id, String doc) {
    }

    private static final String DOC = """
            json_build_object('id', c.id, 'account_id', c.account_id,
                'caller', case when c.caller_name is null then null else json_build_object('name', c.caller_name, 'phone', c.caller_phone,
                    'address', case when c.caller_line1 is null then null else json_build_object('name', c.caller_addressee,
                        'line1', c.caller_line1, 'line2', c.caller_line2, 'city', c.caller_city, 'region', c.caller_region,
                        'postal_code', c.caller_postal_code, 'country', c.caller_country) end, 'email', c.caller_email) end,
                'channel', c.channel, 'reason', c.reason, 'notes', c.notes, 'recorded_by', c.recorded_by,
                'created_at', rfc3339(c.created_at))::text""";
    private static final NewestFirst LIST = new NewestFirst("support_contact c", "c", "created_at", "support-contacts", DOC);
    private static final String INSERT = """
            insert into support_contact as c (id, account_id, caller_name, caller_phone, caller_addressee, caller_line1, caller_line2,
                caller_city, caller_region, caller_postal_code, caller_country, channel, reason, notes, recorded_by, caller_email)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
            returning""" + " " + DOC + " as doc";
    private static final String ONE = "select " + DOC + " as doc from support_contact c where c.id = $1";

    private final Pool pool;

    private final com.harmony.platform.Audit audit;

    SupportContactService(Pool pool, com.harmony.platform.Audit audit) {
        this.pool = pool;
        this.audit = audit;
    }

    /** Records a contact about an account (which must exist: 404) or from a caller without one. */
    public Uni<Recorded> record(UUID accountId, Caller caller, Channel channel, Reason reason, String notes, UUID agent) {
        if ((accountId == null) == (caller == null)) {
            throw ProblemException.invalid(accountId == null ? "account_id" : "caller",
                    accountId == null ? "give the customer's account_id, or the caller's details when there is no account"
                            : "must be left out when the contact is about an account: the account holds the details");
        }
        PostalAddress a = caller == null ? null : caller.address();
        UUID id = UUID.randomUUID();
        Tuple row = Tuple.from(new Object[] {id, accountId,
                caller == null ? null : caller.name().strip(), caller == null ? null : caller.phone().strip(),
                a == null ? null : a.name().strip(), a == null ? null : a.line1().strip(), a == null ? null : blankToNull(a.line2()),
                a == null ? null : a.city().strip(), a == null ? null : blankToNull(a.region()), a == null ? null : a.postalCode().strip(),
                a == null ? null : a.country(), channel.wire(), reason.wire(), notes.strip(), agent,
                caller == null ? null : blankToNull(caller.email())});
        com.harmony.platform.Audit.Entry entry = audit.entry("support_contact.recorded", "support_contact", id, accountId);
        return pool.withTransaction(conn -> conn.preparedQuery(INSERT).execute(row).call(() -> audit.write(conn, entry)))
                .onFailure(com.harmony.platform.Rows::isForeignKeyViolation).transform(e -> ProblemException.notFound("Account"))
                .map(rows -> new Recorded(id, Rows.doc(rows.iterator().next())));
    }

    /** Contacts newest first, optionally one account's: the history an agent reads before answering. */
    public Uni<String> list(UUID accountId, int limit, String cursor) {
        return LIST.page(pool, "account_id", accountId, limit, cursor);
    }

    public Uni<String> get(UUID id) {
        return pool.preparedQuery(ONE).execute(Tuple.of(id)).map(rows -> {
            var row = Rows.first(rows);
            if (row == null) {
                throw ProblemException.notFound("Support contact");
            }
            return Rows.doc(row);
        });
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

}
