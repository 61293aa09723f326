package com.harmony;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.restassured.RestAssuredRequest;
import com.atlassian.oai.validator.restassured.RestAssuredResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Every REST Assured call of every test is checked against the checked-in spec, so the spec cannot
 * drift from what the service does:
 * <ul>
 * <li>every answer of a documented operation must match it: status, headers, content type, body schema;</li>
 * <li>a problem answer's {@code type} must be one the operation lists for that status;</li>
 * <li>a request the spec refuses must be refused (4xx): the spec may not promise limits the service does
 * not keep.</li>
 * </ul>
 * Registered for every {@code @QuarkusTest} through the Quarkus test callback SPI. swagger-request-validator
 * 2.x (the last for Java 17) reads OpenAPI 3.0, so it is given the 3.1 spec translated: nullable types,
 * schema examples and const are the only 3.1 features the spec uses. {@code -Dspec.conformance=report}
 * writes findings to target/spec-conformance.txt instead of failing.
 */
public class SpecConformance implements QuarkusTestBeforeEachCallback {

    static final Path SPEC = Path.of("openapi/openapi.yaml");
    private static final Path REPORT = Path.of("target/spec-conformance.txt");
    private static final boolean REPORT_ONLY = "report".equals(System.getProperty("spec.conformance"));

    private static volatile Check instance;

    /** The shared check, for tests of the check itself. */
    static Check check() {
        if (instance == null) {
            synchronized (SpecConformance.class) {
                if (instance == null) {
                    instance = new Check();
                }
            }
        }
        return instance;
    }

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        Check check = check();
        if (!RestAssured.filters().contains(check)) {
            RestAssured.filters(check);
        }
    }

    /** The REST Assured filter: one per test JVM, built once from the spec. */
    static final class Check implements Filter {

        private final OpenApiInteractionValidator validator;
        private final JsonNode spec;
        private final List<Template> templates = new ArrayList<>();

        Check() {
            this.spec = read();
            // who may call what is EndpointSecurityTest's to prove, with the tokens REST Assured adds after this filter runs
            this.validator = OpenApiInteractionValidator.createForInlineApiSpecification(toOpenApi30(spec.deepCopy()).toString())
                    .withLevelResolver(LevelResolver.create().withLevel("validation.request.security", ValidationReport.Level.IGNORE).build())
                    .build();
            spec.path("paths").fieldNames().forEachRemaining(p -> templates.add(new Template(p)));
            templates.sort((a, b) -> Integer.compare(b.literals, a.literals));
        }

        @Override
        public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification responseSpec, FilterContext ctx) {
            Response response = ctx.next(request, responseSpec);
            Request req = RestAssuredRequest.of(request);
            String message = check(req, RestAssuredResponse.of(response), !request.getFormParams().isEmpty());
            if (message != null) {
                if (REPORT_ONLY) {
                    append(message);
                } else {
                    throw new AssertionError("Spec conformance (openapi/openapi.yaml): " + message);
                }
            }
            return response;
        }

        String check(Request req, com.atlassian.oai.validator.model.Response response) {
            return check(req, response, false);
        }

        /** What is wrong with one exchange, or null when the spec describes it. */
        String check(Request req, com.atlassian.oai.validator.model.Response response, boolean form) {
            Template template = templates.stream().filter(t -> t.matches(req.getPath())).findFirst().orElse(null);
            if (template == null) {
                return null; // not part of the API (health, metrics, documents)
            }
            JsonNode operation = spec.path("paths").path(template.path).path(req.getMethod().name().toLowerCase());
            if (operation.isMissingNode()) {
                return null; // an undocumented method: the service answers 405, which the tests check themselves
            }
            int status = response.getStatus();
            String body = bodyOf(response);
            if (status == 403 && !req.getHeaderValues("Origin").isEmpty() && body.isEmpty()) {
                return null; // Quarkus' CORS filter refused a foreign origin before any operation ran (CorsTest)
            }
            List<String> findings = new ArrayList<>();
            ValidationReport requestReport = validator.validateRequest(req);
            if (req.getBody().isEmpty()) {
                // REST Assured labels a bodiless POST as a form; there is no body whose type could matter. Its form
                // fields (the OAuth token request) are not a body to the validator's adapter either: the endpoint's
                // own tests check them.
                requestReport = ValidationReport.from(requestReport.getMessages().stream()
                        .filter(m -> !m.getKey().equals("validation.request.contentType.notAllowed"))
                        .filter(m -> !(form && m.getKey().equals("validation.request.body.missing"))).toList());
            }
            if (errors(requestReport) && status < 400) {
                findings.add("the spec refuses this request but the service answered " + status + ": " + messages(requestReport));
            }
            ValidationReport responseReport = validator.validateResponse(req.getPath(), req.getMethod(), response);
            if (errors(responseReport)) {
                findings.add("the answer does not match the spec: " + messages(responseReport));
            }
            String contentType = response.getHeaderValues("Content-Type").stream().findFirst().orElse("");
            if (contentType.startsWith("application/problem+json")) {
                String slug = problemSlug(body);
                JsonNode examples = response(spec, operation.path("responses").path(String.valueOf(status))).path("content")
                        .path("application/problem+json").path("examples");
                if (slug == null || !examples.has(slug)) {
                    findings.add("problem type " + slug + " is not listed for " + status + " (listed: " + fieldNames(examples) + ")");
                }
            }
            if (findings.isEmpty()) {
                return null;
            }
            return req.getMethod() + " " + template.path + " -> " + status + "\n  " + String.join("\n  ", findings) + "\n  body: "
                    + (body.length() > 600 ? body.substring(0, 600) + "…" : body);
        }

        private static String bodyOf(com.atlassian.oai.validator.model.Response response) {
            try {
                return response.getResponseBody().isPresent() ? response.getResponseBody().get().toString(StandardCharsets.UTF_8) : "";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static String problemSlug(String body) {
            try {
                String type = new ObjectMapper().readTree(body).path("type").asText(null);
                return type == null ? null : type.substring(type.lastIndexOf('/') + 1);
            } catch (IOException e) {
                return null;
            }
        }
    }

    private static boolean errors(ValidationReport report) {
        return report.getMessages().stream().anyMatch(m -> m.getLevel() == ValidationReport.Level.ERROR);
    }

    private static String messages(ValidationReport report) {
        return report.getMessages().stream().filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .map(m -> m.getKey() + ": " + m.getMessage()).collect(Collectors.joining("; "));
    }

    private static String fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return String.join(", ", names);
    }

    private static synchronized void append(String message) {
        try {
            Files.createDirectories(REPORT.getParent());
            Files.writeString(REPORT, message + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(SPEC.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An operation's response as written, or the shared one in components/responses it refers to. */
    public static JsonNode response(JsonNode spec, JsonNode response) {
        String ref = response.path("$ref").asText("");
        return ref.startsWith("#/") ? spec.at(ref.substring(1)) : response;
    }

    /** A path template of the spec, matched against concrete paths; more literal segments win. */
    private static final class Template {
        final String path;
        final Pattern pattern;
        final int literals;

        Template(String path) {
            this.path = path;
            this.pattern = Pattern.compile("^" + path.replaceAll("\\{[^/]+}", "[^/]+") + "/?$");
            this.literals = (int) java.util.Arrays.stream(path.split("/")).filter(s -> !s.startsWith("{")).count();
        }

        boolean matches(String concrete) {
            return pattern.matcher(concrete).matches();
        }
    }

    // ---- OpenAPI 3.1 to 3.0, for the validator ----

    public static JsonNode toOpenApi30(JsonNode root) {
        ObjectNode doc = (ObjectNode) root;
        doc.put("openapi", "3.0.3");
        doc.remove("webhooks");
        doc.remove("jsonSchemaDialect");
        if (doc.path("info").path("license") instanceof ObjectNode license) {
            license.remove("identifier");
        }
        convert(doc);
        return doc;
    }

    private static void convert(JsonNode node) {
        if (node instanceof ArrayNode array) {
            array.forEach(SpecConformance::convert);
            return;
        }
        if (!(node instanceof ObjectNode object)) {
            return;
        }
        JsonNode type = object.get("type");
        if (type instanceof ArrayNode types) {
            List<String> kinds = new ArrayList<>();
            types.forEach(t -> kinds.add(t.asText()));
            boolean nullable = kinds.remove("null");
            if (kinds.isEmpty()) {
                object.remove("type");
            } else {
                object.put("type", kinds.get(0));
            }
            if (nullable) {
                object.put("nullable", true);
            }
        }
        for (String key : List.of("anyOf", "oneOf")) {
            if (object.get(key) instanceof ArrayNode branches) {
                boolean nullable = false;
                for (Iterator<JsonNode> it = branches.iterator(); it.hasNext();) {
                    JsonNode branch = it.next();
                    if (branch.size() == 1 && "null".equals(branch.path("type").asText())) {
                        it.remove();
                        nullable = true;
                    }
                }
                if (nullable) {
                    // 3.0 has no null type: a branch that admits null and nothing else
                    branches.add(JsonNodeFactory.instance.objectNode().put("nullable", true)
                            .set("enum", JsonNodeFactory.instance.arrayNode().addNull()));
                }
            }
        }
        if (object.get("examples") instanceof ArrayNode examples) {
            object.remove("examples");
            if (!examples.isEmpty()) {
                object.set("example", examples.get(0));
            }
        }
        if (object.has("const")) {
            object.set("enum", JsonNodeFactory.instance.arrayNode().add(object.remove("const")));
        }
        for (String bound : List.of("Minimum", "Maximum")) {
            JsonNode exclusive = object.get("exclusive" + bound);
            if (exclusive != null && exclusive.isNumber()) {
                object.set(bound.toLowerCase(), exclusive);
                object.put("exclusive" + bound, true);
            }
        }
        object.remove("contentMediaType");
        object.remove("contentEncoding");
        for (Map.Entry<String, JsonNode> e : iterable(object)) {
            convert(e.getValue());
        }
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(ObjectNode object) {
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
        object.fields().forEachRemaining(entries::add);
        return entries;
    }
}
