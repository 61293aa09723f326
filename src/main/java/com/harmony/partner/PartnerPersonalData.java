package com.harmony.partner;

import com.harmony.platform.DataMap;
import com.harmony.platform.PersonalData;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The partner feature's part in privacy requests and retention. Its one person is a partner's contact,
 * reached by the contact email of a client: the only personal value is that email (and the credentials
 * of the client's subscriptions, which belong to the organisation). No request kind files for a partner
 * contact today, so this answers nothing for anyone else and reaches a contact by hand. Erasure clears
 * the email; the client and its subscriptions stay, since they are the partner organisation's. The purge
 * deletes deliveries and attempts after keep-deliveries (P30D) and revoked clients, with their
 * subscriptions, a year after revocation.
 */
@ApplicationScoped
public class PartnerPersonalData implements PersonalData {

    private static final String MINE = " from partner_client t where lower(t.contact_email) = lower($1)";
    private static final String EXPORT = "select (to_jsonb(t) - array['secret_hash', 'previous_secret_hash']::text[])::text" + MINE;
    private static final String CLEAR = "update partner_client t set contact_email = null where lower(t.contact_email) = lower($1)";
    private static final String SUBSCRIPTIONS = "select count(*) from webhook_subscription s join partner_client t on t.id = s.client_id "
            + "where lower(t.contact_email) = lower($1)";
    private static final String PURGE_ATTEMPTS = "delete from webhook_attempt where attempted_at < now() - $1 * interval '1 millisecond'";
    private static final String PURGE_DELIVERIES = """
            delete from webhook_delivery where created_at < now() - $1 * interval '1 millisecond' and status <> 'pending'""";
    private static final String PURGE_CLIENTS = "delete from partner_client where status = 'revoked' and revoked_at < now() - interval '1 year'";

    private final PartnerConfig config;

    PartnerPersonalData(PartnerConfig config) {
        this.config = config;
    }

    @Override
    public String feature() {
        return "partner";
    }

    @Override
    public List<String> tables() {
        return List.of("partner_client", "webhook_subscription");
    }

    /** A request covers one contact at most: only a partner contact is reached, by the client's contact email. */
    @Override
    public Uni<Map<String, Long>> find(SqlConnection conn, List<Person> people) {
        Person person = people.stream().filter(PartnerPersonalData::contact).findFirst().orElse(null);
        if (person == null) {
            return Uni.createFrom().item(Map.of());
        }
        return conn.preparedQuery("select count(*)" + MINE).execute(Tuple.of(person.email()))
                .chain(clients -> conn.preparedQuery(SUBSCRIPTIONS).execute(Tuple.of(person.email()))
                        .map(subs -> Map.of("partner_client", clients.iterator().next().getLong(0),
                                "webhook_subscription", subs.iterator().next().getLong(0))));
    }

    /** The contact's clients without their secret digests; subscriptions hold nothing of the contact but the link. */
    @Override
    public Multi<Exported> export(SqlConnection conn, List<Person> people, String table) {
        Person person = people.stream().filter(PartnerPersonalData::contact).findFirst().orElse(null);
        if (person == null || !"partner_client".equals(table)) {
            return Multi.createFrom().empty();
        }
        return conn.preparedQuery(EXPORT).execute(Tuple.of(person.email()))
                .onItem().transformToMulti(rows -> Multi.createFrom().iterable(rows))
                .map(r -> new Exported("partner_client", r.getString(0)));
    }

    @Override
    public Uni<List<Erased>> erase(SqlConnection conn, Person person) {
        if (!contact(person)) {
            return Uni.createFrom().item(List.of());
        }
        return conn.preparedQuery(CLEAR).execute(Tuple.of(person.email()))
                .map(rows -> List.of(Erased.cleared("partner_client", rows.rowCount(), List.of("contact_email"))));
    }

    @Override
    public Uni<List<Purged>> purge(SqlConnection conn) {
        long keep = config.webhooks().keepDeliveries().toMillis();
        List<Purged> out = new ArrayList<>();
        return conn.preparedQuery(PURGE_ATTEMPTS).execute(Tuple.of(keep))
                .invoke(rows -> out.add(new Purged("webhook_attempt", rule("webhook_attempt"), rows.rowCount())))
                .chain(() -> conn.preparedQuery(PURGE_DELIVERIES).execute(Tuple.of(keep)))
                .invoke(rows -> out.add(new Purged("webhook_delivery", rule("webhook_delivery"), rows.rowCount())))
                .chain(() -> conn.query(PURGE_CLIENTS).execute())
                .invoke(rows -> out.add(new Purged("partner_client", rule("partner_client"), rows.rowCount())))
                .map(rows -> out);
    }

    private static String rule(String table) {
        return DataMap.load().table(table).retention().rule();
    }

    private static boolean contact(Person person) {
        // any request confirmed from the contact's email (its ENTRANT) reaches the clients naming it
        return (person.kind() == DataMap.Subject.PARTNER_CONTACT || person.kind() == DataMap.Subject.ENTRANT) && person.email() != null;
    }
}
