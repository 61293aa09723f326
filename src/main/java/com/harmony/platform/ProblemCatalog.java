package com.harmony.platform;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every problem type the service can answer, found in the compiled classes (static ProblemType
 * constants), so the spec's catalogue cannot miss one a feature adds. Platform names no feature:
 * it scans its own code base.
 */
public final class ProblemCatalog {

    private static final String ROOT = "com/harmony/";

    private static volatile List<ProblemType> all;

    private ProblemCatalog() {
    }

    /** The types sorted by status, then slug; a slug appears once. */
    public static List<ProblemType> all() {
        List<ProblemType> found = all;
        if (found == null) {
            found = Collections.unmodifiableList(scan());
            all = found;
        }
        return found;
    }

    private static List<ProblemType> scan() {
        Map<String, ProblemType> bySlug = new TreeMap<>();
        for (String className : classNames()) {
            for (ProblemType type : constantsOf(className)) {
                bySlug.putIfAbsent(type.slug(), type);
            }
        }
        List<ProblemType> sorted = new ArrayList<>(bySlug.values());
        sorted.sort(Comparator.comparingInt(ProblemType::status).thenComparing(ProblemType::slug));
        return sorted;
    }

    private static List<ProblemType> constantsOf(String className) {
        List<ProblemType> found = new ArrayList<>();
        try {
            Class<?> type = Class.forName(className, false, ProblemCatalog.class.getClassLoader());
            for (Field field : type.getDeclaredFields()) {
                int m = field.getModifiers();
                if (field.getType() == ProblemType.class && Modifier.isStatic(m) && Modifier.isFinal(m)) {
                    field.setAccessible(true);
                    found.add((ProblemType) field.get(null));
                }
            }
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            // a class that cannot load here declares nothing we can document
        }
        return found;
    }

    private static List<String> classNames() {
        URL self = ProblemCatalog.class.getResource("ProblemCatalog.class");
        if (self == null) {
            return List.of(ProblemType.class.getName());
        }
        String url = self.toString();
        String suffix = ROOT + "platform/ProblemCatalog.class";
        try {
            if (url.startsWith("jar:")) {
                URI jar = URI.create(url.substring(0, url.indexOf("!/") + 2));
                try (FileSystem fs = FileSystems.newFileSystem(jar, Map.of())) {
                    return classesUnder(fs.getPath("/" + ROOT), fs.getPath("/"));
                }
            }
            if (url.startsWith("file:")) {
                Path root = Path.of(URI.create(url.substring(0, url.length() - suffix.length())));
                return classesUnder(root.resolve(ROOT), root);
            }
        } catch (IOException | RuntimeException e) {
            // fall through to the platform's own types
        }
        return List.of(ProblemType.class.getName());
    }

    private static List<String> classesUnder(Path dir, Path root) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> p.endsWith(".class") && !p.contains("$"))
                    .map(p -> p.substring(0, p.length() - ".class".length()).replace('/', '.'))
                    .sorted().toList();
        }
    }
}
