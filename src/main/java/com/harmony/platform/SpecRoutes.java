package com.harmony.platform;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The methods the spec gives each path, read from the checked-in openapi/openapi.yaml the build packages, so a
 * method the API does not have answers 405 with an {@code Allow} header (RFC 9110 §15.5.6). Quarkus REST knows
 * the methods of one resource class only: where two classes share a path's start ({@code /v1/admin/accounts}
 * and {@code /v1/admin/accounts/{id}/consents}) it answers a wrong method with 404, and its 405 carries no
 * {@code Allow}. A line scan of the paths section, not a YAML parse: it runs once, on the first such answer.
 */
public final class SpecRoutes {

    private static final Pattern PATH = Pattern.compile("^  (/\\S*):\\s*$");
    private static final Pattern METHOD = Pattern.compile("^    (get|put|post|delete|patch):\\s*$");

    private static final Pattern VARIABLE = Pattern.compile("\\{[^}/]+}");
    private static final List<String> ORDER = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");

    private record Route(Pattern pattern, int literals, Set<String> methods) {
    }

    private SpecRoutes() {
    }

    /**
     * The methods the spec allows on this request path (HEAD with GET, and OPTIONS, which Quarkus REST answers),
     * from the most specific path template that matches it; empty when the spec has no such path.
     */
    public static Optional<Set<String>> allowed(String path) {
        if (path == null) {
            return Optional.empty();
        }
        return Holder.ROUTES.stream().filter(r -> r.pattern().matcher(path).matches())
                .max(Comparator.comparingInt(Route::literals)).map(Route::methods);
    }

    private static final class Holder {
        static final List<Route> ROUTES = read();
    }

    private static List<Route> read() {
        InputStream in = SpecRoutes.class.getClassLoader().getResourceAsStream(PublicOpenApi.CHECKED_IN);
        if (in == null) {
            return List.of(); // a build without the spec: the framework's own answers stand
        }
        Map<String, Set<String>> methodsByTemplate = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            boolean inPaths = false;
            Set<String> methods = null;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isEmpty() && !line.startsWith(" ")) {
                    inPaths = line.startsWith("paths:");
                    methods = null;
                    continue;
                }
                Matcher p = PATH.matcher(line);
                Matcher m = METHOD.matcher(line);
                if (inPaths && p.matches()) {
                    methods = methodsByTemplate.computeIfAbsent(p.group(1), t -> new HashSet<>());
                } else if (methods != null && m.matches()) {
                    methods.add(m.group(1).toUpperCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return methodsByTemplate.entrySet().stream().map(e -> route(e.getKey(), inOrder(e.getValue()))).toList();
    }

    /** GET (and HEAD with it), POST, PUT, PATCH, DELETE as the spec has them, then OPTIONS, which Quarkus REST answers on every path. */
    private static Set<String> inOrder(Set<String> methods) {
        Set<String> ordered = new LinkedHashSet<>();
        ORDER.stream().filter(o -> methods.contains(o) || o.equals("HEAD") && methods.contains("GET")).forEach(ordered::add);
        ordered.add("OPTIONS");
        return java.util.Collections.unmodifiableSet(ordered);
    }

    /** {name} matches one path segment; the rest is literal. */
    private static Route route(String template, Set<String> methods) {
        StringBuilder regex = new StringBuilder();
        int literals = 0;
        Matcher v = VARIABLE.matcher(template);
        int at = 0;
        while (v.find()) {
            regex.append(Pattern.quote(template.substring(at, v.start()))).append("[^/]+");
            literals += v.start() - at;
            at = v.end();
        }
        regex.append(Pattern.quote(template.substring(at)));
        literals += template.length() - at;
        return new Route(Pattern.compile(regex.toString()), literals, methods);
    }
}
