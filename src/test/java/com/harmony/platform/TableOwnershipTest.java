package com.harmony.platform;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each table has one owner in data-map.json, and only the owner's code (its package, subpackages
 * included) names it, in SQL or in a Hibernate mapping: another feature goes through the owner's
 * Service, and platform tables (outbox, idempotency_key, rate_limit) through platform classes.
 * DataMapTest checks the other half, that every table of the live schema is in the map.
 */
class TableOwnershipTest {

    private static final Path SOURCES = Path.of("src/main/java/com/harmony");

    /** Comments and string literals in source order, so a quote inside a comment never opens a string. */
    private static final Pattern TOKENS = Pattern.compile(
            "//[^\\n]*|/\\*.*?\\*/|\"\"\"(.*?)\"\"\"|\"((?:[^\"\\\\\\n]|\\\\.)*)\"|'(?:[^'\\\\]|\\\\.)+'", Pattern.DOTALL);

    /**
     * A name after a word that introduces a table. "for update", "for no key update", "on conflict do
     * update" and "is distinct from" introduce none; a name followed by a dot is a column (o.id).
     */
    private static final Pattern TABLE_REF = Pattern.compile(
            "(?i)\\b(from|join|into|(?<!\\b(?:for|key|do)\\s{1,20})update)(?<!\\bdistinct\\s{1,20}from)\\s+([a-z_][a-z0-9_]*)\\b(?!\\s*\\.)(\\s*\\()?");

    /** A common table expression (with x as (...)): a name the statement defines, not a table. */
    private static final Pattern CTE = Pattern.compile("(?i)\\b([a-z_][a-z0-9_]*)\\s+as\\s+(?:not\\s+)?(?:materialized\\s+)?\\(");

    /** Enough to tell SQL from prose such as "Remove a line from my cart". */
    private static final Pattern SQL = Pattern.compile(
            "(?i)\\bselect\\b|\\binsert\\s+into\\b|\\bdelete\\s+from\\b|\\bupdate\\s+\\w+(\\s+\\w+)?\\s+set\\b|\\$\\d");

    private static final Pattern TABLE_ANNOTATION = Pattern.compile("@(?:jakarta\\.persistence\\.)?Table\\s*\\(\\s*name\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern ENTITY_CLASS = Pattern.compile("@(?:jakarta\\.persistence\\.)?Entity\\b[\\s\\S]*?\\bclass\\s+(\\w+)");
    private static final Pattern CONCATENATION = Pattern.compile("\\s*\\+\\s*");

    private static final Set<String> SQL_WORDS = Set.of("lateral", "only");

    private static final Map<String, String> OWNERS = DataMap.load().owners();

    /** Where a package's code names a table. */
    record Use(String pkg, String file, String table, String as) {
        @Override
        public String toString() {
            return pkg + "/" + file + (table == null ? ": " + as + " has no @Table" : " names " + table + " (" + as + ")");
        }
    }

    @Test
    void everyTableInTheDataMapIsOwnedByAPackageOfTheService() {
        List<String> wrong = new ArrayList<>();
        OWNERS.forEach((table, owner) -> {
            if (owner.isBlank() || !Files.isDirectory(SOURCES.resolve(owner))) {
                wrong.add(table + " -> \"" + owner + "\"");
            }
        });
        assertTrue(wrong.isEmpty(), () -> "give each table in src/main/resources/data-map.json a \"feature\" naming a package "
                + "under com.harmony (platform for tables every feature uses through platform classes):" + lines(wrong));
    }

    @Test
    void eachPackageNamesOnlyTablesItOwns() {
        List<String> wrong = new ArrayList<>();
        for (Use use : uses()) {
            String owner = use.table() == null ? null : OWNERS.get(use.table());
            if (use.table() == null) {
                wrong.add(use + ": name its table with @Table(name = ...)");
            } else if (owner == null) {
                wrong.add(use + ": not in data-map.json; add it with its owner and classify its columns");
            } else if (!owner.equals(use.pkg())) {
                wrong.add(use + ": owned by " + owner + "; go through " + (owner.equals("platform") ? "the platform class that owns it" : owner + "'s Service"));
            }
        }
        assertTrue(wrong.isEmpty(), () -> "code names tables it does not own:" + lines(wrong));
    }

    /** Guards the scanner: if it stopped seeing SQL, the test above would pass on nothing. */
    @Test
    void everyTableIsNamedByItsOwnersCode() {
        Set<String> seen = new HashSet<>();
        uses().stream().filter(use -> use.pkg().equals(OWNERS.get(use.table()))).forEach(use -> seen.add(use.table()));
        Set<String> unseen = new TreeSet<>(OWNERS.keySet());
        unseen.removeAll(seen);
        assertTrue(unseen.isEmpty(), () -> "no code names these tables: drop them, or teach this scanner the SQL that reaches them:"
                + lines(unseen));
    }

    private static List<Use> uses() {
        Map<String, String> entityTables = new HashMap<>();
        List<Use> uses = new ArrayList<>();
        for (Path file : javaFiles()) {
            String source = read(file);
            Matcher t = TABLE_ANNOTATION.matcher(source);
            Matcher e = ENTITY_CLASS.matcher(source);
            if (e.find()) {
                // Without @Table the name would depend on Hibernate's naming strategy; null fails below.
                String table = t.find() ? t.group(1) : null;
                entityTables.put(e.group(1), table);
                uses.add(new Use(packageOf(file), file.getFileName().toString(), table, "@Entity " + e.group(1)));
            }
        }
        for (Path file : javaFiles()) {
            List<String> literals = literals(read(file));
            Set<String> ctes = new HashSet<>();
            literals.forEach(l -> CTE.matcher(l).results().forEach(r -> ctes.add(r.group(1).toLowerCase(Locale.ROOT))));
            for (String literal : literals) {
                Matcher m = TABLE_REF.matcher(literal);
                while (m.find()) {
                    String word = m.group(1).toLowerCase(Locale.ROOT);
                    // HQL names an entity; its table is the one @Table gives it.
                    String name = entityTables.containsKey(m.group(2)) ? entityTables.get(m.group(2)) : m.group(2).toLowerCase(Locale.ROOT);
                    if (name == null) {
                        continue;
                    }
                    boolean function = m.group(3) != null && (word.equals("from") || word.equals("join"));
                    boolean known = OWNERS.containsKey(name);
                    // An unknown name counts only where it is clearly SQL, so prose ("from the catalog") is ignored.
                    boolean sql = name.contains("_") || SQL.matcher(literal).find();
                    if (known || !function && !ctes.contains(name) && !SQL_WORDS.contains(name) && sql) {
                        uses.add(new Use(packageOf(file), file.getFileName().toString(), name, m.group(1) + " " + m.group(2)));
                    }
                }
            }
        }
        return uses;
    }

    /** Text blocks and string literals, where SQL lives, with "a " + "b" joined; comments are dropped. */
    private static List<String> literals(String source) {
        List<String> literals = new ArrayList<>();
        Matcher m = TOKENS.matcher(source);
        int end = -1;
        while (m.find()) {
            String literal = m.group(1) != null ? m.group(1) : m.group(2);
            if (literal != null && end >= 0 && CONCATENATION.matcher(source.substring(end, m.start())).matches()) {
                literals.set(literals.size() - 1, literals.get(literals.size() - 1) + literal);
            } else if (literal != null) {
                literals.add(literal);
            }
            end = literal == null ? -1 : m.end();
        }
        return literals;
    }

    private static List<Path> javaFiles() {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The package directly under com.harmony: the feature, or platform. */
    private static String packageOf(Path file) {
        return SOURCES.relativize(file).getName(0).toString();
    }

    private static String lines(Collection<?> items) {
        return items.stream().map(i -> "\n  " + i).collect(Collectors.joining());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
