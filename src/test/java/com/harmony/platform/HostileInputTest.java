package com.harmony.platform;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import com.harmony.AuthFixtures;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Walks every operation of the generated OpenAPI document and throws hostile and malformed input at it,
 * anonymously and as an admin: garbage path, query and header values, bodies that are not JSON, have the
 * wrong shape or wrong types, are too large or have the wrong media type, and unacceptable Accept headers.
 * The service may refuse anything, but only with a well-formed problem document: never a 5xx, a stack
 * trace or a Java class name.
 */
@QuarkusTest
class HostileInputTest {

    /** Keeps the run short on a 2-core machine: each input is sent twice (anonymous, admin). */
    private static final int MAX_INPUTS_PER_OPERATION = 100000;
    private static final List<String> LEAKS = List.of("Exception", "at com.", "java.", "org.hibernate", "io.vertx");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String LONG_100K = "a".repeat(100_000);
    private static final String OVER_LIMIT = "a".repeat(310 * 1024);
    private static final String DEEP_200;
    private static final Map<String, String> PATH_GARBAGE = new LinkedHashMap<>();
    private static final Map<String, String> QUERY_GARBAGE = new LinkedHashMap<>();
    private static final Map<String, String> HEADER_GARBAGE = new LinkedHashMap<>();

    static {
        DEEP_200 = "{\"a\":".repeat(200) + "1" + "}".repeat(200);
        PATH_GARBAGE.put("SQL injection", "'; drop table x; --");
        PATH_GARBAGE.put("NUL byte (%00)", "\u0000");
        PATH_GARBAGE.put("literal '%00'", "%00");
        PATH_GARBAGE.put("2,000-char string", "x".repeat(2_000));
        PATH_GARBAGE.put("path traversal", "../../etc/passwd");
        PATH_GARBAGE.put("random valid UUID", UUID.randomUUID().toString());
        PATH_GARBAGE.put("-1", "-1");
        PATH_GARBAGE.put("unicode", "ü🙂");
        QUERY_GARBAGE.put("-1", "-1");
        QUERY_GARBAGE.put("0", "0");
        QUERY_GARBAGE.put("20-digit number", "99999999999999999999");
        QUERY_GARBAGE.put("abc", "abc");
        QUERY_GARBAGE.put("true", "true");
        QUERY_GARBAGE.put("empty", "");
        QUERY_GARBAGE.put("5,000-char string", "q".repeat(5_000));
        QUERY_GARBAGE.put("%", "%");
        QUERY_GARBAGE.put("NUL byte", "a\u0000b");
        HEADER_GARBAGE.put("-1", "-1");
        HEADER_GARBAGE.put("SQL injection", "'; drop table x; --");
        HEADER_GARBAGE.put("2,000-char string", "h".repeat(2_000));
        HEADER_GARBAGE.put("*", "*");
    }

    /** Operations whose sessions a hostile input may end: they get an admin session of their own. */
    private static final Set<String> ENDS_THE_SESSION = Set.of("POST /v1/auth/sign-out");
    /** Browsers refresh with the cookie and no JSON body, so any media type is accepted there (and answered 401 without a cookie). */
    private static final Set<String> ACCEPTS_ANY_MEDIA_TYPE = Set.of("POST /v1/auth/refresh");

    @TestHTTPResource("/")
    URI root;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private JsonNode spec;
    /** Inputs generated before the bound, for the summary line. */
    private int generated;

    enum Expect { ANY, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, NOT_ACCEPTABLE }

    record Operation(String method, String path, JsonNode node, List<JsonNode> parameters, JsonNode bodySchema, boolean secured) {
        String name() {
            return method + " " + path;
        }
    }

    record Input(String description, Map<String, String> pathValues, Map<String, String> query, Map<String, String> headers,
            String contentType, String body, Expect expect) {
    }

    @Test
    void everyOperationAnswersHostileInputWithProblemDocumentsNever5xxOrInternals() throws Exception {
        spec = json.readTree(Files.readString(Paths.get("target/openapi/openapi.json")));
        String admin = AuthFixtures.admin().accessToken();
        String disposableAdmin = AuthFixtures.signIn(AuthFixtures.ADMIN_EMAIL, AuthFixtures.ADMIN_PASSWORD).accessToken();
        List<String> failures = new ArrayList<>();
        int operations = 0;
        int requests = 0;
        long started = System.nanoTime();
        for (Operation op : operations()) {
            operations++;
            String token = ENDS_THE_SESSION.contains(op.name()) ? disposableAdmin : admin;
            for (Input input : inputsFor(op)) {
                for (String bearer : new String[] { null, token }) {
                    requests++;
                    String failure = probe(op, input, bearer);
                    if (failure != null) {
                        failures.add(failure);
                    }
                }
            }
        }
        System.out.printf("HostileInputTest: %d operations, %d requests (%d of %d generated inputs, twice), %d failures in %d ms%n",
                operations, requests, requests / 2, generated, failures.size(), (System.nanoTime() - started) / 1_000_000);
        assertTrue(operations > 20, "the spec lists the API's operations");
        assertTrue(failures.isEmpty(), failures.size() + " hostile requests were mishandled:\n" + String.join("\n", failures));
    }

    // ---- the walk over the spec

    private List<Operation> operations() {
        List<Operation> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = spec.get("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            List<JsonNode> shared = new ArrayList<>();
            path.getValue().path("parameters").forEach(shared::add);
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext();) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!Set.of("get", "put", "post", "patch", "delete").contains(op.getKey())) {
                    continue;
                }
                List<JsonNode> parameters = new ArrayList<>(shared);
                op.getValue().path("parameters").forEach(p -> parameters.add(resolveRef(p)));
                JsonNode bodySchema = op.getValue().path("requestBody").path("content").path("application/json").path("schema");
                boolean secured = op.getValue().has("security") && op.getValue().get("security").size() > 0;
                out.add(new Operation(op.getKey().toUpperCase(), path.getKey(), op.getValue(), parameters,
                        bodySchema.isMissingNode() ? null : bodySchema, secured));
            }
        }
        return out;
    }

    /** Inputs that the brief requires for every operation first, then the hostile values of each kind in turn, up to the bound. */
    private List<Input> inputsFor(Operation op) {
        List<Input> mustHave = new ArrayList<>();
        List<List<Input>> kinds = new ArrayList<>();
        if (op.bodySchema() != null) {
            String sample = write(sample(op.bodySchema(), null, 0));
            mustHave.add(input(op, "sample body as text/plain", Map.of(), Map.of(), "text/plain", sample, Expect.UNSUPPORTED_MEDIA_TYPE));
            mustHave.add(input(op, "XML body as application/xml", Map.of(), Map.of(), "application/xml", "<request><a>1</a></request>",
                    Expect.UNSUPPORTED_MEDIA_TYPE));
            String first = firstProperty(op.bodySchema());
            mustHave.add(input(op, "body over 300 KiB", Map.of(), Map.of(), "application/json",
                    "{\"" + first + "\":\"" + OVER_LIMIT + "\"}", Expect.PAYLOAD_TOO_LARGE));
            kinds.add(malformedBodies(op, sample));
            kinds.add(wrongTypedBodies(op));
        } else if (!op.method().equals("GET")) {
            kinds.add(List.of(input(op, "unexpected broken JSON body", Map.of(), Map.of(), "application/json", "{", Expect.ANY)));
        }
        if (op.method().equals("GET")) {
            mustHave.add(new Input("Accept: application/xml", Map.of(), Map.of(), Map.of("Accept", "application/xml"), null, null,
                    Expect.NOT_ACCEPTABLE));
        }
        kinds.add(pathInputs(op));
        kinds.add(queryInputs(op));
        kinds.add(headerInputs(op));
        generated += mustHave.size() + kinds.stream().mapToInt(List::size).sum();
        List<Input> out = new ArrayList<>(mustHave);
        for (int i = 0; out.size() < MAX_INPUTS_PER_OPERATION; i++) {
            boolean any = false;
            for (List<Input> kind : kinds) {
                if (i < kind.size() && out.size() < MAX_INPUTS_PER_OPERATION) {
                    out.add(kind.get(i));
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        return out;
    }

    private List<Input> malformedBodies(Operation op, String sample) {
        List<Input> out = new ArrayList<>();
        for (String raw : List.of("{", "[]", "null", "\"text\"", "123")) {
            out.add(input(op, "body " + raw, Map.of(), Map.of(), "application/json", raw, Expect.ANY));
        }
        out.add(input(op, "array instead of object", Map.of(), Map.of(), "application/json", "[" + sample + "]", Expect.ANY));
        ObjectNode unknown = (ObjectNode) sample(op.bodySchema(), null, 0);
        unknown.put("zz_not_a_field", true);
        out.add(input(op, "unknown extra field", Map.of(), Map.of(), "application/json", write(unknown), Expect.ANY));
        out.add(input(op, "empty object", Map.of(), Map.of(), "application/json", "{}", Expect.ANY));
        return out;
    }

    /** Each property (nested ones too) set to one hostile value, rotating the kinds so that a bounded prefix covers them all. */
    private List<Input> wrongTypedBodies(Operation op) {
        List<List<Object>> properties = new ArrayList<>();
        collectProperties(op.bodySchema(), new ArrayList<>(), properties, 0);
        properties.sort(Comparator.comparingInt(List::size));
        String[] kinds = { "wrong type", "100k-char string", "-1", "1e300", "9223372036854775808", "200-level nested object",
            "string with a NUL byte" };
        List<Input> out = new ArrayList<>();
        for (int round = 0; round < kinds.length; round++) {
            for (int i = 0; i < properties.size(); i++) {
                int kind = (i + round) % kinds.length;
                List<Object> property = properties.get(i);
                JsonNode body = sample(op.bodySchema(), null, 0);
                JsonNode propertySchema = setAt(body, op.bodySchema(), property, null);
                setAt(body, op.bodySchema(), property, hostile(kind, propertySchema));
                out.add(input(op, describe(property) + " = " + kinds[kind], Map.of(), Map.of(), "application/json", write(body),
                        Expect.ANY));
            }
        }
        return out;
    }

    private JsonNode hostile(int kind, JsonNode schema) {
        return switch (kind) {
            case 0 -> switch (type(schema)) {
                case "integer", "number" -> NODES.objectNode().put("a", 1);
                case "boolean" -> NODES.textNode("maybe");
                case "array" -> NODES.textNode("not-an-array");
                default -> NODES.numberNode(12345);
            };
            case 1 -> NODES.textNode(LONG_100K);
            case 2 -> NODES.numberNode(-1);
            case 3 -> NODES.numberNode(1e300);
            case 4 -> NODES.numberNode(new BigInteger("9223372036854775808"));
            case 5 -> NODES.rawValueNode(new RawValue(DEEP_200));
            default -> NODES.textNode("a\u0000b");
        };
    }

    private List<Input> pathInputs(Operation op) {
        List<Input> out = new ArrayList<>();
        for (JsonNode p : op.parameters()) {
            if (!"path".equals(p.path("in").asText())) {
                continue;
            }
            String name = p.get("name").asText();
            for (Map.Entry<String, String> garbage : PATH_GARBAGE.entrySet()) {
                out.add(new Input("path {" + name + "} = " + garbage.getKey(), Map.of(name, garbage.getValue()), Map.of(), Map.of(),
                        null, null, Expect.ANY));
            }
        }
        return withDefaultBody(op, out);
    }

    /** Every declared query parameter with every garbage value, ordered so that a bounded prefix varies both. */
    private List<Input> queryInputs(Operation op) {
        List<String> names = new ArrayList<>();
        for (JsonNode p : op.parameters()) {
            if ("query".equals(p.path("in").asText())) {
                names.add(p.get("name").asText());
            }
        }
        List<Map.Entry<String, String>> values = new ArrayList<>(QUERY_GARBAGE.entrySet());
        List<Input> out = new ArrayList<>();
        for (int round = 0; round < values.size(); round++) {
            for (int i = 0; i < names.size(); i++) {
                Map.Entry<String, String> v = values.get((i + round) % values.size());
                out.add(new Input("query " + names.get(i) + " = " + v.getKey(), Map.of(), Map.of(names.get(i), v.getValue()), Map.of(),
                        null, null, Expect.ANY));
            }
        }
        return withDefaultBody(op, out);
    }

    private List<Input> headerInputs(Operation op) {
        List<Input> out = new ArrayList<>();
        for (JsonNode p : op.parameters()) {
            if (!"header".equals(p.path("in").asText())) {
                continue;
            }
            String name = p.get("name").asText();
            for (Map.Entry<String, String> garbage : HEADER_GARBAGE.entrySet()) {
                out.add(new Input("header " + name + " = " + garbage.getKey(), Map.of(), Map.of(), Map.of(name, garbage.getValue()),
                        null, null, Expect.ANY));
            }
        }
        return withDefaultBody(op, out);
    }

    /** Path, query and header probes carry a plausible body, so that the hostile part is what the service has to deal with. */
    private List<Input> withDefaultBody(Operation op, List<Input> inputs) {
        if (op.bodySchema() == null) {
            return inputs;
        }
        List<Input> out = new ArrayList<>();
        for (Input in : inputs) {
            out.add(new Input(in.description(), in.pathValues(), in.query(), in.headers(), "application/json",
                    write(sample(op.bodySchema(), null, 0)), in.expect()));
        }
        return out;
    }

    private static Input input(Operation op, String description, Map<String, String> path, Map<String, String> query,
            String contentType, String body, Expect expect) {
        return new Input(description, path, query, Map.of(), contentType, body, expect);
    }

    // ---- sending and judging

    /** Sends one input as one identity; answers a failure line, or null when the answer is acceptable. */
    private String probe(Operation op, Input in, String bearer) {
        String who = bearer == null ? "anonymous" : "admin";
        HttpRequest request;
        try {
            request = request(op, in, bearer);
        } catch (IllegalArgumentException e) {
            return line(op, in, who, -1, List.of("the test could not build this request: " + e.getMessage()), "");
        }
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return line(op, in, who, -1, List.of("no answer: " + e), "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        int status = response.statusCode();
        String body = response.body() == null ? "" : response.body();
        List<String> wrong = new ArrayList<>();
        if (status >= 500) {
            wrong.add("server error");
        }
        for (String leak : LEAKS) {
            if (body.contains(leak)) {
                wrong.add("body leaks '" + leak + "'");
            }
        }
        if (status >= 400 && status < 500) {
            wrong.addAll(problemDefects(response, body));
        }
        wrong.addAll(expectationDefects(op, in, bearer == null, response));
        return wrong.isEmpty() ? null : line(op, in, who, status, wrong, body);
    }

    private HttpRequest request(Operation op, Input in, String bearer) {
        String path = op.path();
        for (JsonNode p : op.parameters()) {
            if ("path".equals(p.path("in").asText())) {
                String name = p.get("name").asText();
                String value = in.pathValues().getOrDefault(name, plausiblePathValue(p));
                path = path.replace("{" + name + "}", encode(value).replace("+", "%20"));
            }
        }
        StringBuilder query = new StringBuilder();
        in.query().forEach((k, v) -> query.append(query.isEmpty() ? "?" : "&").append(encode(k)).append('=').append(encode(v)));
        String base = root.toString().endsWith("/") ? root.toString().substring(0, root.toString().length() - 1) : root.toString();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path + query)).timeout(Duration.ofSeconds(20));
        // one client IP per request: sign-in throttles keyed by IP never see the hostile traffic as one attacker
        ThreadLocalRandom r = ThreadLocalRandom.current();
        b.header("X-Forwarded-For", "198.18." + r.nextInt(256) + "." + (1 + r.nextInt(254)));
        for (JsonNode p : op.parameters()) {
            String name = p.get("name").asText();
            if ("header".equals(p.path("in").asText()) && !in.headers().containsKey(name) && p.path("required").asBoolean()
                    || "Idempotency-Key".equalsIgnoreCase(name) && !in.headers().containsKey(name)) {
                b.header(name, UUID.randomUUID().toString());
            }
        }
        in.headers().forEach(b::header);
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        if (in.contentType() != null) {
            b.header("Content-Type", in.contentType());
        }
        HttpRequest.BodyPublisher body = in.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(in.body(), StandardCharsets.UTF_8);
        return b.method(op.method(), body).build();
    }

    private List<String> problemDefects(HttpResponse<String> response, String body) {
        List<String> wrong = new ArrayList<>();
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (!contentType.startsWith(Problem.MEDIA_TYPE)) {
            wrong.add("Content-Type is '" + contentType + "', not " + Problem.MEDIA_TYPE);
        }
        JsonNode problem;
        try {
            problem = json.readTree(body);
        } catch (IOException e) {
            wrong.add("body is not JSON");
            return wrong;
        }
        if (problem == null || !problem.isObject()) {
            wrong.add("body is not a JSON object");
            return wrong;
        }
        if (!problem.path("type").asText("").startsWith(ProblemType.BASE_URI)) {
            wrong.add("type is not under " + ProblemType.BASE_URI);
        }
        if (problem.path("status").asInt(-1) != response.statusCode()) {
            wrong.add("status field " + problem.path("status") + " differs from the HTTP status");
        }
        String requestId = problem.path("request_id").asText("");
        if (requestId.isBlank()) {
            wrong.add("no request_id");
        } else if (!requestId.equals(response.headers().firstValue(RequestIds.HEADER).orElse(requestId))) {
            wrong.add("request_id differs from the X-Request-Id header");
        }
        return wrong;
    }

    private List<String> expectationDefects(Operation op, Input in, boolean anonymous, HttpResponse<String> response) {
        int status = response.statusCode();
        String type = "";
        if (status >= 400 && status < 500) {
            try {
                type = json.readTree(response.body()).path("type").asText("");
            } catch (IOException | RuntimeException e) {
                type = "";
            }
        }
        // refusing an anonymous caller first is as good an answer as any other refusal
        boolean refusedAnonymous = anonymous && op.secured() && status == 401;
        return switch (in.expect()) {
            case ANY -> List.of();
            case PAYLOAD_TOO_LARGE -> status == 413 && type.equals(ProblemType.PAYLOAD_TOO_LARGE.uri()) ? List.of()
                    : List.of("expected a 413 " + ProblemType.PAYLOAD_TOO_LARGE.slug() + " problem");
            case UNSUPPORTED_MEDIA_TYPE -> ACCEPTS_ANY_MEDIA_TYPE.contains(op.name()) || refusedAnonymous
                    || status == 415 && type.equals(ProblemType.UNSUPPORTED_MEDIA_TYPE.uri()) ? List.of()
                    : List.of("expected a 415 " + ProblemType.UNSUPPORTED_MEDIA_TYPE.slug() + " problem");
            case NOT_ACCEPTABLE -> {
                String contentType = response.headers().firstValue("Content-Type").orElse("");
                boolean answeredJson = status >= 200 && status < 300 && (contentType.startsWith("application/json") || status == 204);
                yield answeredJson || refusedAnonymous || status == 406 && type.equals(ProblemType.NOT_ACCEPTABLE.uri()) ? List.of()
                        : List.of("expected a 406 " + ProblemType.NOT_ACCEPTABLE.slug() + " problem or a 2xx JSON answer");
            }
        };
    }

    private static String line(Operation op, Input in, String who, int status, List<String> wrong, String body) {
        String shown = body.length() > 300 ? body.substring(0, 300) + "…" : body;
        return op.name() + " [" + who + "] " + in.description() + " -> " + status + " (" + String.join("; ", wrong) + "): " + shown;
    }

    // ---- samples built from the spec's schemas

    private JsonNode resolveRef(JsonNode node) {
        JsonNode n = node;
        while (n.has("$ref")) {
            String ref = n.get("$ref").asText();
            JsonNode target = spec.at(ref.substring(1));
            if (target.isMissingNode()) {
                break;
            }
            n = target;
        }
        return n;
    }

    private JsonNode resolve(JsonNode schema) {
        JsonNode s = resolveRef(schema);
        if (s.has("allOf")) {
            ObjectNode merged = NODES.objectNode();
            ObjectNode properties = merged.putObject("properties");
            ArrayNode required = merged.putArray("required");
            for (JsonNode part : s.get("allOf")) {
                JsonNode p = resolve(part);
                merged.put("type", p.path("type").asText("object"));
                p.path("properties").fields().forEachRemaining(e -> properties.set(e.getKey(), e.getValue()));
                p.path("required").forEach(required::add);
            }
            return merged;
        }
        return s;
    }

    private String type(JsonNode schema) {
        JsonNode s = resolve(schema);
        JsonNode t = s.path("type");
        if (t.isArray()) {
            for (JsonNode each : t) {
                if (!"null".equals(each.asText())) {
                    return each.asText();
                }
            }
        }
        if (t.isTextual()) {
            return t.asText();
        }
        if (s.has("properties") || s.has("additionalProperties")) {
            return "object";
        }
        return s.has("enum") ? "string" : "object";
    }

    /** A value the schema accepts (as far as the spec says): required properties only, unique where uniqueness matters. */
    private JsonNode sample(JsonNode schema, String name, int depth) {
        JsonNode s = resolve(schema);
        if (s.has("enum") && s.get("enum").size() > 0) {
            return s.get("enum").get(0);
        }
        String type = type(s);
        if ("string".equals(type)) {
            return NODES.textNode(sampleText(s, name));
        }
        if ("integer".equals(type) || "number".equals(type)) {
            if (s.path("examples").size() > 0) {
                return s.get("examples").get(0);
            }
            return s.has("minimum") && s.get("minimum").asLong() > 0 ? s.get("minimum") : NODES.numberNode(1);
        }
        if ("boolean".equals(type)) {
            return NODES.booleanNode(false);
        }
        if ("array".equals(type)) {
            ArrayNode a = NODES.arrayNode();
            if (depth < 6 && s.has("items")) {
                a.add(sample(s.get("items"), name, depth + 1));
            }
            return a;
        }
        ObjectNode o = NODES.objectNode();
        if (depth >= 6) {
            return o;
        }
        Set<String> required = new java.util.HashSet<>();
        s.path("required").forEach(r -> required.add(r.asText()));
        s.path("properties").fields().forEachRemaining(e -> {
            if (required.contains(e.getKey())) {
                o.set(e.getKey(), sample(e.getValue(), e.getKey(), depth + 1));
            }
        });
        if (s.path("properties").isMissingNode() && s.path("additionalProperties").isObject()) {
            o.set("key", sample(s.get("additionalProperties"), "key", depth + 1));
        }
        return o;
    }

    private String sampleText(JsonNode s, String name) {
        String unique = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        String n = name == null ? "" : name;
        if (n.endsWith("email")) {
            return AuthFixtures.uniqueEmail();
        }
        switch (n) {
            case "slug": return "hostile-" + unique;
            case "sku": return "HOSTILE-" + unique;
            case "password", "current_password", "new_password": return "a hostile but fine passphrase " + unique;
            case "currency": return "USD";
            case "country": return "US";
            case "postal_code", "billing_postal_code": return "62701";
            case "phone": return "+1 217 555 0100";
            case "payment_token": return "tok_visa";
            case "roles": return "customer";
            default: break;
        }
        if ("uuid".equals(s.path("format").asText())) {
            return UUID.randomUUID().toString();
        }
        if ("date".equals(s.path("format").asText())) {
            return "1990-12-10";
        }
        if ("date-time".equals(s.path("format").asText())) {
            return "2026-01-01T00:00:00Z";
        }
        if (s.path("examples").size() > 0 && s.get("examples").get(0).isTextual()) {
            return s.get("examples").get(0).asText();
        }
        return "hostile-" + unique;
    }

    private String firstProperty(JsonNode schema) {
        Iterator<String> names = resolve(schema).path("properties").fieldNames();
        return names.hasNext() ? names.next() : "value";
    }

    /** Paths of declared properties, two levels into nested objects and the first item of arrays of objects. */
    private void collectProperties(JsonNode schema, List<Object> prefix, List<List<Object>> out, int depth) {
        JsonNode s = resolve(schema);
        for (Iterator<Map.Entry<String, JsonNode>> it = s.path("properties").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            List<Object> path = new ArrayList<>(prefix);
            path.add(e.getKey());
            out.add(path);
            if (depth >= 2) {
                continue;
            }
            JsonNode child = resolve(e.getValue());
            if (child.has("properties")) {
                collectProperties(child, path, out, depth + 1);
            } else if ("array".equals(type(child)) && child.has("items") && resolve(child.get("items")).has("properties")) {
                List<Object> first = new ArrayList<>(path);
                first.add(0);
                collectProperties(child.get("items"), first, out, depth + 1);
            }
        }
    }

    /**
     * Walks {@code path} in {@code body}, creating sample containers on the way; sets the last step to {@code value}
     * unless it is null. Answers the schema of the last step.
     */
    private JsonNode setAt(JsonNode body, JsonNode rootSchema, List<Object> path, JsonNode value) {
        JsonNode container = body;
        JsonNode schema = resolve(rootSchema);
        for (int i = 0; i < path.size(); i++) {
            Object step = path.get(i);
            boolean last = i == path.size() - 1;
            JsonNode childSchema = step instanceof Integer ? resolve(schema.get("items"))
                    : resolve(schema.path("properties").path((String) step));
            if (last) {
                if (value != null) {
                    if (step instanceof Integer index) {
                        ((ArrayNode) container).set(index, value);
                    } else {
                        ((ObjectNode) container).set((String) step, value);
                    }
                }
                return childSchema;
            }
            JsonNode next = step instanceof Integer index ? container.get(index) : container.get((String) step);
            if (next == null || !next.isContainerNode()) {
                next = sample(childSchema, step instanceof String s ? s : null, i + 1);
                if (next.isArray() && next.isEmpty()) {
                    ((ArrayNode) next).add(sample(childSchema.get("items"), null, i + 2));
                }
                if (step instanceof Integer index) {
                    ((ArrayNode) container).set(index, next);
                } else {
                    ((ObjectNode) container).set((String) step, next);
                }
            }
            container = next;
            schema = childSchema;
        }
        return schema;
    }

    private static String describe(List<Object> path) {
        StringBuilder out = new StringBuilder("body ");
        for (Object step : path) {
            if (step instanceof Integer index) {
                out.append('[').append(index).append(']');
            } else {
                out.append(out.length() > 5 ? "." : "").append(step);
            }
        }
        return out.toString();
    }

    private String plausiblePathValue(JsonNode parameter) {
        JsonNode schema = resolve(parameter.path("schema"));
        return "uuid".equals(schema.path("format").asText()) ? UUID.randomUUID().toString() : "no-such-" + UUID.randomUUID();
    }

    private String write(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
