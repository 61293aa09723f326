package com.harmony.engagement;

import com.harmony.consent.ConsentProblems;
import com.harmony.consent.ConsentService.Purpose;
import com.harmony.consent.ConsentService.Requester;
import com.harmony.consent.ConsentService.Subject;
import com.harmony.engagement.EngagementRequests.MarketingAnswer;
import com.harmony.platform.Hashes;
import com.harmony.platform.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Who enters a contest or answers a survey: an adult (P31), known as a signed-in account or a visitor,
 * and one person across account, visitor and email when entries are counted.
 */
final class Entrants {

    private static final int ADULT_AGE = 18;

    /**
     * Advisory locks taken in ascending key order, so two entries naming the same keys never deadlock.
     * unnest yields the array in order and count() consumes it in that order.
     */
    private static final String LOCK = "select count(pg_advisory_xact_lock(k)) from unnest($1::bigint[]) as k";

    private Entrants() {
    }

    /**
     * P31: a birth date of someone 18 or older, or an explicit statement. Checked before anything is read
     * or written, so an under-age entry leaves no trace. Answers how adulthood was shown; the date is not kept.
     */
    static String adultBasis(LocalDate birthDate, Boolean adultConfirmed) {
        if (birthDate != null) {
            if (birthDate.isAfter(LocalDate.now())) {
                throw ProblemException.invalid("birth_date", "must be in the past");
            }
            if (birthDate.isBefore(LocalDate.of(1900, 1, 1))) {
                throw ProblemException.invalid("birth_date", "must be a real birth date");
            }
            if (Period.between(birthDate, LocalDate.now()).getYears() < ADULT_AGE) {
                throw underAge();
            }
            return "birth_date";
        }
        if (adultConfirmed == null) {
            throw ProblemException.invalid("birth_date", "give a birth date or adult_confirmed=true");
        }
        if (!adultConfirmed) {
            throw underAge();
        }
        return "statement";
    }

    private static ProblemException underAge() {
        return new ProblemException(EngagementProblems.UNDER_AGE,
                "Only adults may take part: we do not collect personal information from anyone under 18. Nothing was stored.");
    }

    /** Whose marketing answer this is: the signed-in account, else the visitor; neither is refused. */
    static Subject subject(Requester who) {
        Subject s = who.decider();
        if (s == null) {
            throw new ProblemException(ConsentProblems.NO_VISITOR,
                    "Sign in, or start a visitor with POST /v1/visitors and send its token in X-Visitor-Token, to take part.");
        }
        return s;
    }

    /** The same mailbox however it is typed: trimmed and lowercased. */
    static String emailKey(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }

    static Map<Purpose, Boolean> choices(MarketingAnswer m) {
        Map<Purpose, Boolean> choices = new EnumMap<>(Purpose.class);
        if (m != null) {
            if (m.email() != null) choices.put(Purpose.MARKETING_EMAIL, m.email());
            if (m.postalMail() != null) choices.put(Purpose.MARKETING_POSTAL_MAIL, m.postalMail());
            if (m.phone() != null) choices.put(Purpose.MARKETING_PHONE, m.phone());
        }
        return choices;
    }

    /**
     * Serialises, until the transaction ends, everything this person does in {@code scope} (a contest or
     * survey): one lock per way of recognising them, so a burst through any of them waits its turn and
     * the count that follows sees every committed entry.
     */
    static Uni<Void> lockPerson(SqlClient conn, String scope, Requester who, String emailKey) {
        List<Long> keys = new ArrayList<>();
        keys.add(key(scope, "email", emailKey));
        if (who.accountId() != null) keys.add(key(scope, "account", who.accountId().toString()));
        if (who.visitorId() != null) keys.add(key(scope, "visitor", who.visitorId().toString()));
        Long[] sorted = keys.stream().sorted().distinct().toArray(Long[]::new);
        return conn.preparedQuery(LOCK).execute(Tuple.of((Object) sorted)).replaceWithVoid();
    }

    private static long key(String scope, String kind, String value) {
        return ByteBuffer.wrap(Hashes.sha256("engagement|" + scope + "|" + kind + "|" + value)).getLong();
    }

    static UUID parseId(String id, String what) {
        try {
            if (id != null && id.length() == 36) {
                return UUID.fromString(id);
            }
        } catch (IllegalArgumentException e) {
            // falls through: an id that is not a UUID names nothing
        }
        throw ProblemException.notFound(what);
    }
}
