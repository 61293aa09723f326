package com.harmony.platform;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Cursor;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds, streams and deletes a person's rows of one table the way the data map says the table
 * reaches its subject ({@code account_id}, {@code payload->>account_id}, {@code scope[order:] ->
 * orders.email}, …), so a feature's {@link PersonalData} need not spell out a query the map already
 * states. Only the feature that owns a table calls this for it.
 */
public final class MappedRows {

    /** Rows per cursor read: an export of a long history is held in memory a batch at a time. */
    static final int BATCH = 200;

    private static final DataMap MAP = DataMap.load();
    private static volatile Map<String, String> types;

    private MappedRows() {
    }

    /** The condition on alias {@code t} that picks the person's rows of the table, with $1 the person's key; null when none can. */
    public static String where(String table, PersonalData.Person person) {
        return where(table, person, 1);
    }

    /**
     * The condition that picks the rows of any of several people (an account and the browsers linked to it),
     * each row once, with {@link #keys} the parameters; null when it reaches none of them.
     */
    public static String where(String table, List<PersonalData.Person> people) {
        List<String> each = new ArrayList<>();
        for (PersonalData.Person p : reaching(table, people)) {
            each.add(where(table, p, each.size() + 1));
        }
        return each.isEmpty() ? null : "(" + String.join(" or ", each) + ")";
    }

    /** The parameters that go with {@link #where(String, List)}: the key of each person the table reaches, in order. */
    public static Tuple keys(String table, List<PersonalData.Person> people) {
        Tuple keys = Tuple.tuple();
        reaching(table, people).forEach(p -> keys.addValue(key(p).getValue(0)));
        return keys;
    }

    private static List<PersonalData.Person> reaching(String table, List<PersonalData.Person> people) {
        return people.stream().filter(p -> where(table, p, 1) != null).toList();
    }

    /** The person's condition with their key as parameter {@code $param}. */
    private static String where(String table, PersonalData.Person person, int param) {
        DataMap.Table t = MAP.table(table);
        if (t == null || types == null) {
            throw new IllegalStateException("unknown table " + table + " or schema not read yet");
        }
        List<String> alternatives = new ArrayList<>();
        t.subjectPaths().forEach((kind, paths) -> {
            if (reaches(person, kind)) {
                paths.forEach(p -> alternatives.add(condition(table, p, person, param)));
            }
        });
        return alternatives.isEmpty() ? null : "(" + String.join(" or ", alternatives) + ")";
    }

    /**
     * The condition on alias {@code t} that picks rows whose text column names, anywhere, the id of a row one
     * of the table's paths leads through to the person ({@code scope[order:] -> orders.account_id}: a staff
     * member's stored answer about one of their orders holds its id), with $1 the person's key; null when no
     * path goes through another table. Ids are UUIDs, so a match cannot be a coincidence.
     */
    public static String mentioning(String table, String column, PersonalData.Person person) {
        List<String> alternatives = new ArrayList<>();
        MAP.table(table).subjectPaths().forEach((kind, paths) -> {
            if (reaches(person, kind)) {
                paths.stream().filter(p -> !p.parents().isEmpty()).forEach(p -> alternatives.add(
                        "exists (select 1 from (" + parents(p.parents(), 0, person, 1) + ") p where strpos(t." + column + ", p.id::text) > 0)"));
            }
        });
        return alternatives.isEmpty() ? null : "(" + String.join(" or ", alternatives) + ")";
    }

    /** The parameter that goes with {@link #where}: the account id, visitor id or email. */
    public static Tuple key(PersonalData.Person person) {
        return Tuple.of(switch (person.kind()) {
            case CUSTOMER, AFFILIATE -> person.accountId().toString();
            case VISITOR -> person.visitorId().toString();
            default -> person.email();
        });
    }

    /** Reads the schema's column types once (they decide casts); every other method needs it done. */
    public static Uni<Void> ready(SqlConnection conn) {
        if (types != null) {
            return Uni.createFrom().voidItem();
        }
        return conn.query("select table_name, column_name, data_type from information_schema.columns where table_schema = current_schema()")
                .execute().invoke(rows -> {
                    Map<String, String> found = new HashMap<>();
                    for (Row r : rows) {
                        found.put(r.getString(0) + "." + r.getString(1), r.getString(2));
                    }
                    types = found;
                }).replaceWithVoid();
    }

    /** The rows of any of the people per table, each row once. */
    public static Uni<Map<String, Long>> count(SqlConnection conn, List<String> tables, List<PersonalData.Person> people) {
        return count(conn, tables, people, Map.of(), null);
    }

    /** The same, each table widened by the feature's own condition in {@code also}, if any (see {@link #stream(SqlConnection, String, List, String, Object)}). */
    public static Uni<Map<String, Long>> count(SqlConnection conn, List<String> tables, List<PersonalData.Person> people, Map<String, String> also,
            Object value) {
        Map<String, Long> counts = new LinkedHashMap<>();
        return ready(conn).chain(() -> Multi.createFrom().iterable(tables).onItem().transformToUniAndConcatenate(table -> {
            Selection rows = Selection.of(table, people, also.get(table), value);
            return rows == null ? Uni.createFrom().item(0L)
                    : conn.preparedQuery("select count(*) from " + table + " t where " + rows.where()).execute(rows.keys())
                            .map(found -> found.iterator().next().getLong(0)).invoke(n -> counts.put(table, n));
        }).collect().last()).map(x -> counts);
    }

    /** The condition on {@code t} and its parameters that pick the people's rows of a table, widened by a feature's own condition. */
    private record Selection(String where, Tuple keys, String shownWhole) {

        /** Null when neither the map nor the feature's condition reaches any of the people. */
        static Selection of(String table, List<PersonalData.Person> people, String also, Object value) {
            String mapped = MappedRows.where(table, people);
            Tuple keys = MappedRows.keys(table, people);
            String widened = also == null ? null : also.replace("$?", "$" + (keys.size() + 1));
            if (widened != null) {
                keys.addValue(value);
            }
            String where = widened == null ? mapped : mapped == null ? widened : "(" + mapped + " or " + widened + ")";
            return where == null ? null : new Selection(where, keys, MappedRows.shownWhole(table, people, widened));
        }
    }

    /**
     * The condition under which a row shows every column: one of the people reaches it through a kind of subject that
     * withholds nothing (or the feature's own condition picked it). A row reached only as, say, the affiliate whose link
     * brought a visit is that visitor's too, and its export leaves out the columns the map withholds from the affiliate.
     */
    private static String shownWhole(String table, List<PersonalData.Person> people, String widened) {
        DataMap.Table t = MAP.table(table);
        List<String> open = new ArrayList<>();
        List<PersonalData.Person> reaching = reaching(table, people);
        for (int i = 0; i < reaching.size(); i++) {
            PersonalData.Person p = reaching.get(i);
            int param = i + 1;
            t.subjectPaths().forEach((kind, paths) -> {
                if (reaches(p, kind) && t.withheldFrom(kind).isEmpty()) {
                    paths.forEach(path -> open.add(condition(table, path, p, param)));
                }
            });
        }
        if (widened != null) {
            open.add(widened);
        }
        return open.isEmpty() ? "false" : "(" + String.join(" or ", open) + ")";
    }

    /** Every column some kind of subject of the table is kept from (see {@link DataMap.Table#withheldFrom}). */
    private static List<String> withheld(String table) {
        DataMap.Table t = MAP.table(table);
        return t.subjects().stream().flatMap(k -> t.withheldFrom(k).stream()).distinct().toList();
    }

    /** The rows of any of the people, each row once, as JSON objects of every mapped column but credentials, read through a cursor. */
    public static Multi<String> stream(SqlConnection conn, String table, List<PersonalData.Person> people) {
        return stream(conn, table, people, null, null);
    }

    /**
     * The same, widened by a feature's own condition on {@code t} with one parameter written {@code $?}: rows the
     * feature knows to be the person's although no path of the map leads to them (a request filed under their email).
     */
    public static Multi<String> stream(SqlConnection conn, String table, List<PersonalData.Person> people, String also, Object value) {
        return ready(conn).onItem().transformToMulti(x -> {
            Selection selection = Selection.of(table, people, also, value);
            if (selection == null) {
                return Multi.createFrom().empty();
            }
            String where = selection.where();
            Tuple keys = selection.keys();
            List<String> secrets = MAP.table(table).columns().values().stream().filter(c -> "credential".equals(c.dataClass()))
                    .map(c -> "'" + c.name() + "'").toList();
            String row = secrets.isEmpty() ? "to_jsonb(t)" : "(to_jsonb(t) - array[" + String.join(", ", secrets) + "]::text[])";
            List<String> withheld = withheld(table);
            if (!withheld.isEmpty()) {
                row = "case when " + selection.shownWhole() + " then " + row + " else " + row + " - array["
                        + String.join(", ", withheld.stream().map(c -> "'" + c + "'").toList()) + "]::text[] end";
            }
            String sql = "select " + row + "::text from " + table + " t where " + where;
            return conn.prepare(sql).onItem().transformToMulti(ps -> {
                Cursor cursor = ps.cursor(keys);
                return Multi.createBy().repeating().uni(() -> cursor.read(BATCH)).whilst(rows -> cursor.hasMore())
                        .onItem().transformToIterable(rows -> {
                            List<String> out = new ArrayList<>(rows.size());
                            rows.forEach(r -> out.add(r.getString(0)));
                            return out;
                        })
                        .onTermination().call(() -> cursor.close().chain(ps::close).onFailure().recoverWithNull());
            });
        });
    }

    /**
     * Deletes the person's rows of the table; answers how many. A browser's erasure also takes its id off the rows
     * that name an account (sent signed in from it): they are that account's, and deleting the browser would
     * otherwise take them with it (the foreign key cascades).
     */
    public static Uni<PersonalData.Erased> delete(SqlConnection conn, String table, PersonalData.Person person) {
        return ready(conn).chain(() -> {
            String where = where(table, person);
            if (where == null) {
                return Uni.createFrom().item(PersonalData.Erased.deleted(table, 0));
            }
            Uni<?> first = person.kind() == DataMap.Subject.VISITOR && sentFromBrowsers(table)
                    ? conn.preparedQuery(detach(table, "$1::text::uuid")).execute(key(person)) : Uni.createFrom().voidItem();
            return first.chain(() -> conn.preparedQuery("delete from " + table + " t where " + where).execute(key(person)))
                    .map(rows -> PersonalData.Erased.deleted(table, rows.rowCount()));
        });
    }

    /**
     * Takes the ids of the browsers {@code visitorIds} (a query answering visitor ids) off every row that names an
     * account, in every table of the map, before those browsers are deleted by something other than their own
     * erasure (the retention run's purge of idle ones): the foreign keys cascade, and those rows are the account's.
     * Answers how many rows were detached.
     */
    public static Uni<Integer> detachFromBrowsers(SqlConnection conn, String visitorIds) {
        return ready(conn).chain(() -> {
            Uni<Integer> total = Uni.createFrom().item(0);
            for (String table : MAP.definitions().keySet()) {
                if (sentFromBrowsers(table)) {
                    String sql = detach(table, "any(array(" + visitorIds + "))");
                    total = total.chain(n -> conn.query(sql).execute().map(rows -> n + rows.rowCount()));
                }
            }
            return total;
        });
    }

    private static boolean sentFromBrowsers(String table) {
        return accountOwned(table) && type(table, "visitor_id") != null;
    }

    private static String detach(String table, String visitor) {
        return "update " + table + " set visitor_id = null where visitor_id = " + visitor + " and account_id is not null";
    }

    /**
     * Whether the table's rows belong to the account they name (its customer path is its own {@code account_id}):
     * a browser reaches only those of no account. On a shared computer a browser is linked to the first account
     * that signed in on it, and what another account sent from it since is that account's alone.
     */
    private static boolean accountOwned(String table) {
        DataMap.Table t = MAP.table(table);
        return t != null && t.subjectPaths().getOrDefault(DataMap.Subject.CUSTOMER, List.of()).stream()
                .anyMatch(p -> p.parents().isEmpty() && p.jsonKey() == null && p.prefix() == null && "account_id".equals(p.column()));
    }

    private static boolean reaches(PersonalData.Person person, DataMap.Subject kind) {
        return switch (person.kind()) {
            case CUSTOMER, AFFILIATE -> kind == DataMap.Subject.CUSTOMER || kind == DataMap.Subject.AFFILIATE;
            case VISITOR -> kind == DataMap.Subject.VISITOR;
            case GUEST_BUYER -> kind == DataMap.Subject.GUEST_BUYER;
            case ENTRANT -> kind == DataMap.Subject.ENTRANT;
            default -> false;
        };
    }

    private static boolean byEmail(PersonalData.Person person) {
        return person.kind() == DataMap.Subject.GUEST_BUYER || person.kind() == DataMap.Subject.ENTRANT;
    }

    /** The path's first column compared with the person's key, directly or through the parent rows it names. */
    private static String condition(String table, DataMap.SubjectPath path, PersonalData.Person person, int param) {
        String column = "t." + path.column();
        if (path.parents().isEmpty()) {
            return terminal(table, path.column(), path.jsonKey(), path.prefix(), "t", person, param);
        }
        String ids = parents(path.parents(), 0, person, param);
        DataMap.Hop first = path.parents().get(0);
        boolean sameType = path.jsonKey() == null && path.prefix() == null
                && java.util.Objects.equals(type(table, path.column()), type(first.table(), "id"));
        if (path.prefix() != null) {
            return column + " in (select '" + path.prefix() + "' || id from (" + ids + ") p)";
        }
        if (path.jsonKey() != null) {
            return column + "->>'" + path.jsonKey() + "' in (select id::text from (" + ids + ") p)";
        }
        return sameType ? column + " in (" + ids + ")" : column + "::text in (select id::text from (" + ids + ") p)";
    }

    /** The ids of the rows of hop {@code i}'s table that lead to the person. */
    private static String parents(List<DataMap.Hop> hops, int i, PersonalData.Person person, int param) {
        DataMap.Hop hop = hops.get(i);
        String alias = "h" + i;
        String inner;
        if (i == hops.size() - 1) {
            inner = terminal(hop.table(), hop.column(), null, null, alias, person, param);
        } else {
            DataMap.Hop next = hops.get(i + 1);
            String ids = parents(hops, i + 1, person, param);
            inner = java.util.Objects.equals(type(hop.table(), hop.column()), type(next.table(), "id"))
                    ? alias + "." + hop.column() + " in (" + ids + ")"
                    : alias + "." + hop.column() + "::text in (select id::text from (" + ids + ") p" + i + ")";
        }
        return "select " + alias + ".id from " + hop.table() + " " + alias + " where " + inner;
    }

    /**
     * A column that holds the person's key itself. $1 is always read as text (then cast), so a table
     * reached through a uuid column and a text one (audit_log: subject_account_id or target_id) gives
     * the parameter one type whichever alternative PostgreSQL reads first.
     */
    private static String terminal(String table, String column, String jsonKey, String prefix, String alias, PersonalData.Person person, int param) {
        String value = alias + "." + column + (jsonKey == null ? "" : "->>'" + jsonKey + "'");
        String key = "$" + param + "::text";
        if (byEmail(person)) {
            // on an account's own rows an email is no key: whoever holds the address now (it may have changed hands since an
            // email change) reaches only the rows of no account, and a guest buyer those of the proven order's account too
            String match = "lower(" + value + ") = lower(" + key + ")";
            return !accountOwned(table) ? match : "(" + match + " and " + (person.kind() == DataMap.Subject.GUEST_BUYER
                    ? ofProvenAccount(alias, person) : alias + ".account_id is null") + ")";
        }
        if (prefix != null) {
            return value + " = '" + prefix + "' || " + key;
        }
        String match = jsonKey == null && "uuid".equals(type(table, column)) ? value + " = " + key + "::uuid" : value + "::text = " + key;
        return person.kind() == DataMap.Subject.VISITOR && accountOwned(table) ? "(" + match + " and " + alias + ".account_id is null)" : match;
    }

    /**
     * A guest buyer reaches the rows of an account-owned table (the orders, and through them what hangs off an order) under
     * their email only when they name no account or the account that placed the order they proved: the same email on
     * another account's order was typed by, or for, that account's holder. The account id is a UUID written by {@link java.util.UUID#toString}, so it
     * goes into the SQL as a literal.
     */
    private static String ofProvenAccount(String alias, PersonalData.Person person) {
        return person.provenAccount() == null ? alias + ".account_id is null"
                : "(" + alias + ".account_id is null or " + alias + ".account_id = '" + person.provenAccount() + "'::uuid)";
    }

    private static String type(String table, String column) {
        return types.get(table + "." + column);
    }
}
