package com.harmony;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * Every clause of the policy (P1–P31, C1) is proved by at least one test whose name carries its
 * number, e.g. {@code P16_unsubscribeLinkWithdrawsWithoutSignIn}; the README's clause table lists
 * each one. The clause list is a copy of the requirements trace kept in the test resources, so the
 * project stands alone.
 */
class ClauseTraceabilityTest {

    /** Clauses with nothing to build, and why. */
    private static final Map<String, String> NEEDS_NO_TEST = Map.of("P26", "outside links: the API links to no other site");

    private static final Pattern CLAUSE_ROW = Pattern.compile("^\\| (P\\d+|C\\d+) \\|", Pattern.MULTILINE);

    static Set<String> clauses() throws IOException {
        String text = Files.readString(Path.of("src/test/resources/requirements.md"));
        Set<String> clauses = new LinkedHashSet<>();
        Matcher m = CLAUSE_ROW.matcher(text);
        while (m.find()) {
            clauses.add(m.group(1));
        }
        return clauses;
    }

    /** Clause number → the tests naming it, from the compiled test classes. */
    static Map<String, Set<String>> testsByClause() throws Exception {
        Path root = Path.of("target/test-classes");
        Map<String, Set<String>> found = new TreeMap<>();
        List<Path> classes;
        try (Stream<Path> files = Files.walk(root)) {
            classes = files.filter(p -> p.toString().endsWith(".class") && !p.getFileName().toString().contains("$")).toList();
        }
        for (Path file : classes) {
            String name = root.relativize(file).toString().replace(java.io.File.separatorChar, '.').replaceAll("\\.class$", "");
            Class<?> type = Class.forName(name, false, ClauseTraceabilityTest.class.getClassLoader());
            for (Method method : type.getDeclaredMethods()) {
                if (!method.isAnnotationPresent(Test.class) && !method.isAnnotationPresent(ParameterizedTest.class)) {
                    continue;
                }
                for (String token : method.getName().split("_")) {
                    if (token.matches("(P\\d+|C\\d+)")) {
                        found.computeIfAbsent(token, k -> new TreeSet<>()).add(type.getSimpleName() + "." + method.getName());
                    }
                }
            }
        }
        return found;
    }

    @Test
    void theClauseListIsTheWholeTrace() throws IOException {
        Set<String> clauses = clauses();
        assertEquals(32, clauses.size(), clauses::toString);
        assertTrue(clauses.containsAll(List.of("P1", "P31", "C1")), clauses::toString);
    }

    @Test
    void everyClauseHasATestNamedAfterIt() throws Exception {
        Map<String, Set<String>> tests = testsByClause();
        List<String> missing = new ArrayList<>();
        for (String clause : clauses()) {
            if (!NEEDS_NO_TEST.containsKey(clause) && !tests.containsKey(clause)) {
                missing.add(clause);
            }
        }
        assertEquals(List.of(), missing, "clauses no test names (name a test P<n>_what_it_proves)");
    }

    @Test
    void theReadmeTableHasARowPerClause() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        List<String> missing = Arrays.stream(clauses().toArray(String[]::new))
                .filter(c -> !Pattern.compile("^\\| " + c + " \\|", Pattern.MULTILINE).matcher(readme).find()).toList();
        assertEquals(List.of(), missing, "add these clauses to the README's clause table");
    }
}
