package com.harmony.legal;

import com.harmony.platform.DataMap;
import com.harmony.platform.PersonalData;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * Legal's part in privacy requests: copyright notices, whose subject is the complainant, reached by
 * the notice's email (the map's path). No request kind files for a complainant today, but a customer
 * who filed a notice with the account's email is that complainant (a notice has no account id, signed
 * in or not), so a customer's request reaches the notices by that email too; MappedRows reaches only
 * customers, visitors and guest buyers by their own keys, so this reaches both by hand. A notice is the
 * record of why material was removed: erasure keeps it with the signature, owner, name, address, phone
 * and email removed (also where they recur in its free text).
 */
@ApplicationScoped
public class LegalPersonalData implements PersonalData {

    static final String ERASED = "[erased]";
    private static final String RULE = DataMap.load().table("copyright_notice").retention().rule();
    private static final String PURGE = "delete from copyright_notice where received_at < now() - interval '3 years'";
    private static final String MINE = " from copyright_notice t where lower(t.email) = lower($1)";

    /** The complainant's values, each replaced wherever it recurs in the free text (short ones would hit ordinary words). */
    private static final List<String> IDENTITY = List.of("signature", "copyright_owner", "addressee", "email", "phone", "line1", "line2", "city",
            "postal_code");
    private static final List<String> FREE_TEXT = List.of("copyrighted_work", "infringing_material", "handling_note");
    static final List<String> ERASED_COLUMNS = List.of("signature", "copyright_owner", "addressee", "line1", "line2", "city", "region",
            "postal_code", "country", "phone", "email", "copyrighted_work", "infringing_material", "handling_note");

    /**
     * $1 the complainant's email; every right-hand side reads the row as it was. The postal code and country keep the
     * form the API documents for them (ERASED, ZZ), so an anonymised notice still reads as the spec says an address
     * does. The email becomes the notice's own placeholder, not the person's pseudonym, which would link the notice to
     * their other pseudonymised records (orders, audit entries).
     */
    private static final String ANONYMISE = "update copyright_notice t set "
            + String.join(", ", FREE_TEXT.stream().map(c -> c + " = " + scrub("t." + c)).toList())
            + ", signature = '" + ERASED + "', copyright_owner = case when t.copyright_owner is null then null else '" + ERASED + "' end"
            + ", addressee = '" + ERASED + "', line1 = '" + ERASED + "', line2 = null, city = '" + ERASED + "', region = null"
            + ", postal_code = 'ERASED', country = 'ZZ', phone = '" + ERASED + "', email = 'erased-' || t.id || '@erased.invalid'"
            + " where lower(t.email) = lower($1) returning t.received_at";

    @Override
    public String feature() {
        return "legal";
    }

    @Override
    public List<String> tables() {
        return List.of("copyright_notice");
    }

    /** Of the people a request covers (an account and its browsers), only the account has an email to reach notices by. */
    @Override
    public Uni<Map<String, Long>> find(SqlConnection conn, List<Person> people) {
        Person person = complainant(people);
        if (person == null) {
            return Uni.createFrom().item(Map.of());
        }
        return conn.preparedQuery("select count(*)" + MINE).execute(Tuple.of(person.email()))
                .map(rows -> Map.of("copyright_notice", rows.iterator().next().getLong(0)));
    }

    /** A complainant has a handful of notices: read at once rather than through a cursor. */
    @Override
    public Multi<Exported> export(SqlConnection conn, List<Person> people, String table) {
        Person person = complainant(people);
        if (person == null) {
            return Multi.createFrom().empty();
        }
        return conn.preparedQuery("select to_jsonb(t)::text" + MINE).execute(Tuple.of(person.email()))
                .onItem().transformToMulti(rows -> Multi.createFrom().iterable(rows))
                .map(r -> new Exported("copyright_notice", r.getString(0)));
    }

    @Override
    public Uni<List<Erased>> erase(SqlConnection conn, Person person) {
        if (!complainant(person)) {
            return Uni.createFrom().item(List.of());
        }
        return conn.preparedQuery(ANONYMISE).execute(Tuple.of(person.email())).map(rows -> {
            OffsetDateTime newest = null;
            for (Row r : rows) {
                OffsetDateTime received = r.getOffsetDateTime("received_at");
                newest = newest == null || received.isAfter(newest) ? received : newest;
            }
            return List.of(Erased.kept("copyright_notice", rows.rowCount(), ERASED_COLUMNS, RULE, newest == null ? null : newest.plusYears(3)));
        });
    }

    @Override
    public Uni<List<Purged>> purge(SqlConnection conn) {
        return conn.query(PURGE).execute().map(rows -> List.of(new Purged("copyright_notice", RULE, rows.rowCount())));
    }

    private static Person complainant(List<Person> people) {
        return people.stream().filter(LegalPersonalData::complainant).findFirst().orElse(null);
    }

    private static boolean complainant(Person person) {
        // the owner of the email a request was confirmed from (ENTRANT) is whoever filed notices under it, signed in or not
        return (person.kind() == DataMap.Subject.COMPLAINANT || person.kind() == DataMap.Subject.CUSTOMER
                || person.kind() == DataMap.Subject.ENTRANT) && person.email() != null;
    }

    private static String scrub(String column) {
        String expr = column;
        for (String value : IDENTITY) {
            String v = "t." + value;
            expr = "replace(" + expr + ", case when length(" + v + ") >= 4 then " + v + " else '' end, '" + ERASED + "')";
        }
        return expr;
    }
}
