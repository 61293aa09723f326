package com.harmony.platform;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every SQL statement the service keeps in a constant prepares on PostgreSQL as written, with the types
 * PostgreSQL infers for its parameters. One that does not still runs: the client catches the error and
 * sends it again, unnamed, with the types of the values it binds. But then PostgreSQL logs an ERROR,
 * and parses and plans the statement again, at every execution: the webhook fan-out did that for every
 * event of every order ("inconsistent types deduced for parameter $2").
 */
@QuarkusTest
class StatementsPrepareTest {

    private static final Path CLASSES = Path.of("target/classes");
    private static final Pattern STATEMENT = Pattern.compile("(?is)\\s*(select|insert|update|delete|with)\\s.*");

    /** Constants that are the tail of a statement their callers complete, not statements of their own. */
    private static final Set<String> FRAGMENTS = Set.of("OrderPersonalData.NEWEST");

    @Inject
    Pool pool;

    @Test
    void everyStatementOfOursPreparesAsWritten_soPostgresqlNeverRetriesItUnnamed() throws Exception {
        Map<String, String> statements = statements();
        assertTrue(statements.size() > 100, "found only " + statements.size() + " statements under " + CLASSES);
        List<String> refused = new ArrayList<>();
        pool.withConnection(conn -> Multi.createFrom().iterable(statements.entrySet())
                .onItem().transformToUniAndConcatenate(s -> conn.prepare(s.getValue())
                        .call(prepared -> prepared.close())
                        .onFailure().invoke(e -> refused.add(s.getKey() + ": " + e.getMessage()))
                        .onFailure().recoverWithNull())
                .collect().asList())
                .await().atMost(Duration.ofMinutes(1));
        assertTrue(refused.isEmpty(), "statements PostgreSQL refuses to prepare as written:\n" + String.join("\n", refused));
    }

    /** The static final String fields of our classes that hold one SQL statement (templates with %s left out). */
    private static Map<String, String> statements() throws IOException {
        Map<String, String> found = new TreeMap<>();
        try (Stream<Path> files = Files.walk(CLASSES.resolve("com/harmony"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = CLASSES.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type;
                try {
                    type = Class.forName(name, false, StatementsPrepareTest.class.getClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    continue;
                }
                for (Field f : type.getDeclaredFields()) {
                    int m = f.getModifiers();
                    if (!Modifier.isStatic(m) || !Modifier.isFinal(m) || f.getType() != String.class) {
                        continue;
                    }
                    try {
                        f.setAccessible(true);
                        String sql = (String) f.get(null);
                        String key = type.getSimpleName() + "." + f.getName();
                        if (sql != null && STATEMENT.matcher(sql).matches() && !sql.contains("%") && !FRAGMENTS.contains(key)) {
                            // an event's payload query (Outbox.appendQueried) runs inside the outbox's insert
                            found.put(key, f.getName().endsWith("_PAYLOAD") ? Outbox.APPEND_QUERIED.formatted(sql) : sql);
                        }
                    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                        // a class that cannot be initialised here holds no statement we can read
                    }
                }
            }
        }
        return found;
    }
}
