package com.harmony.account;

import com.harmony.platform.DataMap;
import com.harmony.platform.MappedRows;
import com.harmony.platform.PersonalData;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The account's part in privacy requests: the account, its address book, sessions, refresh tokens
 * and emailed links. Erasure deletes them all, which also ends every access token at once (a token
 * only counts while its session row is live). It runs last: deleting the account row cascades into
 * other features' tables, which erase (and count) their own rows first.
 */
@jakarta.enterprise.context.ApplicationScoped
public class AccountPersonalData implements PersonalData {

    /** Children before parents, so each table's own count is reported rather than lost to a cascade. */
    private static final List<String> ERASE_ORDER = List.of("auth_refresh_token", "auth_session", "auth_email_token", "account_address", "account");

    private static final DataMap MAP = DataMap.load();

    /** Ended sessions and, through the foreign key, their refresh tokens; the CTE's snapshot still sees the tokens it takes along. */
    private static final String PURGE_SESSIONS = """
            with gone as (delete from auth_session s where s.expires_at < now() - interval '1 day' or s.revoked_at < now() - interval '1 day'
                          returning s.id)
            select (select count(*) from gone) as sessions,
                   (select count(*) from auth_refresh_token r where r.session_id in (select g.id from gone g)) as tokens""";
    private static final String PURGE_EMAIL_TOKENS = "delete from auth_email_token where expires_at < now() - interval '1 day'";

    private static final Pattern PHONE = Pattern.compile(AccountRequests.PHONE);

    @Override
    public String feature() {
        return "account";
    }

    @Override
    public List<String> tables() {
        return List.of("account", "account_address", "auth_session", "auth_refresh_token", "auth_email_token");
    }

    @Override
    public int order() {
        return 1000;
    }

    @Override
    public Uni<List<Erased>> erase(SqlConnection conn, Person person) {
        // the sessions first, as a refresh locks its session before its token: deleting the tokens first could meet a
        // refresh holding the session and waiting for a token, and one of the two would be aborted as a deadlock
        Uni<?> sessions = person.accountId() == null ? Uni.createFrom().voidItem()
                : conn.preparedQuery("select 1 from auth_session where account_id = $1 order by id for update").execute(Tuple.of(person.accountId()));
        return sessions.chain(() -> Multi.createFrom().iterable(ERASE_ORDER)
                .onItem().transformToUniAndConcatenate(table -> MappedRows.delete(conn, table, person))
                .collect().asList());
    }

    @Override
    public Uni<List<Purged>> purge(SqlConnection conn) {
        return conn.query(PURGE_SESSIONS).execute().map(rows -> {
            Row r = rows.iterator().next();
            return List.of(new Purged("auth_session", rule("auth_session"), r.getLong("sessions")),
                    new Purged("auth_refresh_token", rule("auth_refresh_token"), r.getLong("tokens")));
        }).chain(sessions -> conn.query(PURGE_EMAIL_TOKENS).execute().map(rows -> {
            List<Purged> all = new ArrayList<>(sessions);
            all.add(new Purged("auth_email_token", rule("auth_email_token"), rows.rowCount()));
            return all;
        }));
    }

    /** The profile fields a person may have corrected; the email has its own confirmed change. */
    @Override
    public List<String> correctable() {
        return List.of("name", "phone", "birth_date");
    }

    /**
     * Applies each correction that passes the same checks as the profile and registration forms (a
     * blank, oversized or malformed value, or a birth date of someone under 18, is not applied) and
     * that changes the stored value; bumps the version so an open edit of the old values fails.
     */
    @Override
    public Uni<List<String>> rectify(SqlConnection conn, Person person, Map<String, String> corrections) {
        if (person.accountId() == null || corrections == null) {
            return Uni.createFrom().item(List.of());
        }
        List<String> changed = new ArrayList<>();
        return Multi.createFrom().iterable(correctable())
                .filter(field -> corrections.get(field) != null)
                .onItem().transformToUniAndConcatenate(field -> {
                    Object value = valid(field, corrections.get(field));
                    if (value == null) {
                        return Uni.createFrom().voidItem();
                    }
                    String sql = "update account set " + field + " = $2, updated_at = now(), version = version + 1 "
                            + "where id = $1 and " + field + " is distinct from $2";
                    return conn.preparedQuery(sql).execute(Tuple.of(person.accountId(), value))
                            .invoke(rows -> {
                                if (rows.rowCount() > 0) {
                                    changed.add(field);
                                }
                            }).replaceWithVoid();
                })
                .collect().last().map(x -> List.copyOf(changed));
    }

    @Override
    public String invalidCorrection(String field, String value) {
        if (valid(field, value) != null) {
            return null;
        }
        return switch (field) {
            case "name" -> "must be a name of 1 to 200 characters, without control characters or a card number";
            case "phone" -> "must be a phone number (digits, spaces, +, -, parentheses; at most 30 characters), not a card number";
            case "birth_date" -> "must be a date (YYYY-MM-DD) of someone aged " + AccountService.ADULT_AGE + " to " + (AccountService.OLDEST_AGE - 1);
            default -> "cannot be corrected here";
        };
    }

    /** The value to store, or null when the correction must not be applied (the profile form's checks, P8 included). */
    static Object valid(String field, String raw) {
        String value = raw.strip();
        if (value.isEmpty() || value.chars().anyMatch(Character::isISOControl)) {
            return null;
        }
        return switch (field) {
            case "name" -> value.length() <= 200 && !com.harmony.platform.NoCardNumber.Check.holdsCardNumber(value, 13) ? value : null;
            case "phone" -> value.length() <= 30 && PHONE.matcher(value).matches()
                    && !com.harmony.platform.NoCardNumber.Check.holdsCardNumber(value, 16) ? value : null;
            case "birth_date" -> adultBirthDate(value);
            default -> null;
        };
    }

    private static LocalDate adultBirthDate(String value) {
        try {
            LocalDate date = LocalDate.parse(value);
            int age = date.isAfter(LocalDate.now()) ? -1 : Period.between(date, LocalDate.now()).getYears();
            return age >= AccountService.ADULT_AGE && age < AccountService.OLDEST_AGE ? date : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The map's retention rule: the text the run reports is the one the public data map shows. */
    private static String rule(String table) {
        return MAP.table(table).retention().rule();
    }
}
