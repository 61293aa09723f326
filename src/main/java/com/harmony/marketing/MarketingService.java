package com.harmony.marketing;

import com.harmony.account.AccountService;
import com.harmony.account.AccountService.AudienceProfile;
import com.harmony.consent.ConsentService;
import com.harmony.consent.ConsentService.Purpose;
import com.harmony.consent.ConsentService.Subject;
import com.harmony.consent.ConsentService.UnsubscribeLink;
import com.harmony.platform.Outbox;
import com.harmony.platform.OutboxSubscriber;
import com.harmony.platform.Rows;
import com.harmony.privacy.DisclosureService;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Marketing (P16, P18): emails to those who consented to them, each with a signed one-click
 * unsubscribe link, and the partner audience, which holds only people who consented to partner
 * sharing and only their name, postal address and interests.
 */
@ApplicationScoped
public class MarketingService implements OutboxSubscriber {

    static final String TOPIC = "marketing.email";
    private static final int BATCH = 500;

    /** The fields a partner audience discloses, as the disclosure log records them. */
    static final List<String> AUDIENCE_FIELDS = List.of("name", "postal_address", "interests");

    private static final String INSERT_CAMPAIGN = """
            insert into marketing_campaign (id, subject, body, created_by, recipients) values ($1, $2, $3, $4, $5)
            returning rfc3339(created_at) as created_at""";
    private static final String CAMPAIGN = "select subject, body from marketing_campaign where id = $1";
    private static final String DELIVERED = "select 1 from marketing_delivery where event_id = $1";
    private static final String DELIVERY = """
            insert into marketing_delivery (event_id, campaign_id, account_id, outcome) values ($1, $2, $3, $4) on conflict do nothing""";

    private final Pool pool;
    private final Outbox outbox;
    private final ConsentService consents;
    private final AccountService accounts;
    private final DisclosureService disclosures;
    private final ReactiveMailer mailer;

    MarketingService(Pool pool, Outbox outbox, ConsentService consents, AccountService accounts, DisclosureService disclosures,
            ReactiveMailer mailer) {
        this.pool = pool;
        this.outbox = outbox;
        this.consents = consents;
        this.accounts = accounts;
        this.disclosures = disclosures;
        this.mailer = mailer;
    }

    /** A campaign as it was queued. */
    public record Campaign(UUID id, String subject, int recipients, String createdAt) {
    }

    /**
     * Queues one email per account that consents to marketing by email now: the campaign and its
     * outbox events commit together, and the outbox sends them (again after a crash, never lost).
     */
    public Uni<Campaign> send(String subject, String body, UUID staff) {
        return recipients(null, new ArrayList<>()).chain(ids -> {
            UUID id = UUID.randomUUID();
            List<JsonObject> payloads = ids.stream().map(a -> new JsonObject().put("campaign_id", id.toString()).put("account_id", a.toString())).toList();
            return pool.withTransaction(conn -> conn.preparedQuery(INSERT_CAMPAIGN).execute(Tuple.of(id, subject, body, staff, ids.size()))
                    .call(() -> outbox.appendAll(conn, TOPIC, ids.stream().map(x -> id).toList(), payloads))
                    .map(rows -> new Campaign(id, subject, ids.size(), rows.iterator().next().getString("created_at"))));
        });
    }

    private Uni<List<UUID>> recipients(UUID after, List<UUID> found) {
        return consents.grantingAccounts(Purpose.MARKETING_EMAIL, after, BATCH).chain(ids -> {
            found.addAll(ids);
            return ids.size() < BATCH ? Uni.createFrom().item(found) : recipients(ids.get(ids.size() - 1), found);
        });
    }

    @Override
    public boolean handles(String topic) {
        return TOPIC.equals(topic);
    }

    /**
     * Sends one campaign email, unless it went out already (a redelivered event) or the person withdrew
     * in the meantime: the consent is read again at sending time.
     */
    @Override
    public Uni<Void> handle(UUID eventId, String topic, JsonObject payload) {
        UUID campaign = UUID.fromString(payload.getString("campaign_id"));
        UUID account = UUID.fromString(payload.getString("account_id"));
        return pool.preparedQuery(DELIVERED).execute(Tuple.of(eventId)).chain(done -> Rows.first(done) != null ? Uni.createFrom().voidItem()
                : consents.allows(Subject.account(account), Purpose.MARKETING_EMAIL).chain(allowed -> !allowed
                        ? delivered(eventId, campaign, null, "skipped") // the account may be gone (erased): no reference to it
                        : accounts.emailOf(account).chain(email -> email == null ? delivered(eventId, campaign, null, "skipped")
                                : pool.preparedQuery(CAMPAIGN).execute(Tuple.of(campaign)).chain(rows -> {
                                    Row c = Rows.first(rows);
                                    return c == null ? Uni.createFrom().voidItem()
                                            : mailer.send(mail(email, c.getString("subject"), c.getString("body"),
                                                    consents.unsubscribeLink(account, Purpose.MARKETING_EMAIL)))
                                                    .chain(() -> delivered(eventId, campaign, account, "sent"));
                                }))));
    }

    private Uni<Void> delivered(UUID eventId, UUID campaign, UUID account, String outcome) {
        return pool.preparedQuery(DELIVERY).execute(Tuple.of(eventId, campaign, account, outcome)).replaceWithVoid();
    }

    /** RFC 8058: List-Unsubscribe with the one-click URL and List-Unsubscribe-Post, plus the page link in the text. */
    static Mail mail(String to, String subject, String body, UnsubscribeLink link) {
        return Mail.withText(to, subject, body + """


                --
                You receive this because you agreed to marketing emails from Harmony.
                Unsubscribe with one click, no sign-in needed: %s
                """.formatted(link.page()))
                .addHeader("List-Unsubscribe", "<" + link.oneClick() + ">")
                .addHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
    }

    /**
     * The partner audience (P18), streamed: people whose current choice allows partner sharing (a GPC
     * signal withdraws it), as records that have no field for a phone, a card or an email. Each batch
     * is written to the disclosure log before it is sent.
     */
    public Multi<AudienceMember> audience(String recipient, UUID staff) {
        UUID exportId = UUID.randomUUID();
        AtomicReference<UUID> after = new AtomicReference<>();
        return Multi.createBy().repeating()
                .uni(() -> after, last -> consents.grantingAccounts(Purpose.PARTNER_SHARING, last.get(), BATCH)
                        .invoke(ids -> last.set(ids.isEmpty() ? null : ids.get(ids.size() - 1)))
                        .chain(ids -> accounts.audienceProfiles(ids).map(profiles -> new Batch(ids, profiles))))
                .until(batch -> batch.ids().isEmpty())
                .onItem().transformToUniAndConcatenate(batch -> disclosures
                        .recordExport(batch.profiles().stream().map(AudienceProfile::id).toList(), recipient, AUDIENCE_FIELDS, exportId, staff)
                        .replaceWith(batch))
                .onItem().transformToIterable(batch -> batch.profiles().stream().map(AudienceMember::of).toList());
    }

    private record Batch(List<UUID> ids, List<AudienceProfile> profiles) {
    }
}
