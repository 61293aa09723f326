package com.harmony.marketing;

import com.harmony.consent.ConsentService;
import com.harmony.consent.ConsentService.Purpose;
import com.harmony.consent.ConsentService.Subject;
import com.harmony.platform.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What partners and service providers told us about a customer (P7, P15), kept with its source and
 * date and always shown to the customer; used to personalise only while they consent to it.
 */
@ApplicationScoped
class PartnerAttributes {

    private static final String UPSERT = """
            insert into partner_attribute (account_id, source, name, value, received_at)
            select $1, $2, n, v, $5 from unnest($3::text[], $4::text[]) as t(n, v)
            on conflict (account_id, source, name) do update set value = excluded.value, received_at = excluded.received_at,
                recorded_at = now()
            where partner_attribute.received_at <= excluded.received_at""";
    private static final String LIST = """
            select source, name, value, rfc3339(received_at) as received_at, rfc3339(recorded_at) as recorded_at
            from partner_attribute where account_id = $1 order by source, name""";

    private final Pool pool;
    private final ConsentService consents;

    private final com.harmony.platform.Audit audit;

    PartnerAttributes(Pool pool, ConsentService consents, com.harmony.platform.Audit audit) {
        this.audit = audit;
        this.pool = pool;
        this.consents = consents;
    }

    @Schema(name = "PartnerAttribute", description = "A fact a partner or provider gave us, with where and when it came from")
    record Attribute(@Schema(examples = "Acme Data Co") String source, @Schema(examples = "interest") String name,
            @Schema(examples = "gardening") String value, String receivedAt, String recordedAt) {
    }

    @Schema(name = "PartnerAttributes")
    record Attributes(List<Attribute> data) {
    }

    @Schema(name = "Personalisation", description = "What the storefront may personalise with (P15); empty without consent")
    record Personalisation(@Schema(description = "Whether the customer consents to personalisation") boolean personalised,
            @Schema(description = "Their own interests and those partners reported") List<String> interests) {
    }

    /** Stores what one source reported; an older report never overwrites a newer one. The account must exist. */
    Uni<Attributes> store(UUID account, String source, OffsetDateTime receivedAt, Map<String, String> values) {
        if (receivedAt.isAfter(OffsetDateTime.now().plusMinutes(5))) {
            throw ProblemException.invalid("received_at", "must not be in the future");
        }
        String[] names = values.keySet().toArray(String[]::new);
        String[] vals = values.keySet().stream().map(values::get).toArray(String[]::new);
        com.harmony.platform.Audit.Entry entry = audit.entry("partner_attributes.stored", "account", account, account);
        return pool.withTransaction(conn -> conn.preparedQuery(UPSERT).execute(Tuple.from(new Object[] {account, source.strip(), names, vals, receivedAt}))
                        .call(() -> audit.write(conn, entry)))
                .onFailure(com.harmony.platform.Rows::isForeignKeyViolation)
                .transform(e -> ProblemException.notFound("Account"))
                .chain(() -> list(account));
    }

    Uni<Attributes> list(UUID account) {
        return pool.preparedQuery(LIST).execute(Tuple.of(account)).map(rows -> {
            List<Attribute> out = new ArrayList<>();
            rows.forEach(r -> out.add(new Attribute(r.getString("source"), r.getString("name"), r.getString("value"),
                    r.getString("received_at"), r.getString("recorded_at"))));
            return new Attributes(out);
        });
    }

    /** The interests to personalise with: none unless the customer consents (P15). */
    Uni<Personalisation> personalisation(UUID account, List<String> ownInterests) {
        return consents.allows(Subject.account(account), Purpose.PERSONALISATION).chain(allowed -> !allowed
                ? Uni.createFrom().item(new Personalisation(false, List.of()))
                : list(account).map(a -> {
                    List<String> interests = new ArrayList<>(ownInterests);
                    a.data().stream().filter(x -> x.name().equals("interest")).map(Attribute::value)
                            .filter(v -> !interests.contains(v)).forEach(interests::add);
                    return new Personalisation(true, interests);
                }));
    }
}
