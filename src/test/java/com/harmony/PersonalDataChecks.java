package com.harmony;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.harmony.platform.PersonalData;
import com.harmony.platform.PersonalData.Person;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Runs a feature's PersonalData contributor the way the privacy feature does: on one connection, in a transaction. */
public final class PersonalDataChecks {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private PersonalDataChecks() {
    }

    /** One exported row, parsed. */
    public record ExportedRow(String table, JsonNode json) {
    }

    public static <T> T inTransaction(Pool pool, Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(work).await().atMost(WAIT);
    }

    public static Map<String, Long> find(Pool pool, PersonalData data, Person person) {
        return inTransaction(pool, conn -> data.find(conn, person));
    }

    public static List<ExportedRow> export(Pool pool, PersonalData data, Person person) {
        List<PersonalData.Exported> rows = inTransaction(pool, conn -> data.export(conn, person).collect().asList());
        List<ExportedRow> out = new ArrayList<>();
        for (PersonalData.Exported e : rows) {
            try {
                out.add(new ExportedRow(e.table(), JSON.readTree(e.json())));
            } catch (com.fasterxml.jackson.core.JsonProcessingException x) {
                throw new UncheckedIOException(x);
            }
        }
        return out;
    }

    public static List<ExportedRow> exported(List<ExportedRow> rows, String table) {
        return rows.stream().filter(r -> r.table().equals(table)).toList();
    }

    public static List<PersonalData.Erased> erase(Pool pool, PersonalData data, Person person) {
        return inTransaction(pool, conn -> data.erase(conn, person));
    }

    public static List<PersonalData.Purged> purge(Pool pool, PersonalData data) {
        return inTransaction(pool, data::purge);
    }

    /** The erasure's result for one table. */
    public static PersonalData.Erased of(List<PersonalData.Erased> erased, String table) {
        return erased.stream().filter(e -> e.table().equals(table)).findFirst()
                .orElseThrow(() -> new AssertionError("no result for " + table + " in " + erased));
    }

    /** Rows deleted or changed per table. */
    public static long rows(List<PersonalData.Erased> erased, String table) {
        return of(erased, table).rows();
    }

    public static long purged(List<PersonalData.Purged> purged, String table) {
        return purged.stream().filter(p -> p.table().equals(table)).findFirst()
                .orElseThrow(() -> new AssertionError("no rule for " + table + " in " + purged)).rows();
    }

    public static List<Row> query(Pool pool, String sql, Object... args) {
        List<Row> out = new ArrayList<>();
        pool.preparedQuery(sql).execute(Tuple.from(args)).await().atMost(WAIT).forEach(out::add);
        return out;
    }

    public static long count(Pool pool, String sql, Object... args) {
        return query(pool, sql, args).get(0).getLong(0);
    }

    public static void execute(Pool pool, String sql, Object... args) {
        pool.preparedQuery(sql).execute(Tuple.from(args)).await().atMost(WAIT);
    }
}
