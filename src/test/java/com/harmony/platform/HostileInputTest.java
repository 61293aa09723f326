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

    /**
     * Bounds the run on a 2-core machine (about 10,600 requests in 15 s): each input is sent twice (anonymous,
     * admin). A full sweep of every generated input: {@code -Dhostile.max-inputs-per-operation=100000}.
     */
    private static final int MAX_INPUTS_PER_OPERATION = Integer.getInteger("hostile.max-inputs-per-operation", 60);
    private static final List<String> LEAKS = List.of("Exception", "at com.", "java.", "org.hibernate", "io.vertx");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String LONG_100K = "a".repeat(100_000);
    private static final String OVER_LIMIT = "a".repeat(310 * 1024);
    private static final String DEEP_200;
    /** Already percent-encoded, so that some can be malformed on purpose. */
    private static final Map<String, String> PATH_GARBAGE = new LinkedHashMap<>();
    /** Already percent-encoded, so that some can be malformed on purpose. */
    private static final Map<String, String> QUERY_GARBAGE = new LinkedHashMap<>();
    private static final Map<String, String> HEADER_GARBAGE = new LinkedHashMap<>();

    static {
        DEEP_200 = "{\"a\":".repeat(200) + "1" + "}".repeat(200);
        PATH_GARBAGE.put("SQL injection", pathEncode("'; drop table x; --"));
        PATH_GARBAGE.put("NUL byte (%00)", pathEncode("\u0000"));
        PATH_GARBAGE.put("literal '%00'", pathEncode("%00"));
        PATH_GARBAGE.put("2,000-char string", pathEncode("x".repeat(2_000)));
        PATH_GARBAGE.put("path traversal", pathEncode("../../etc/passwd"));
        PATH_GARBAGE.put("random valid UUID", pathEncode(UUID.randomUUID().toString()));
        PATH_GARBAGE.put("-1", pathEncode("-1"));
        PATH_GARBAGE.put("unicode", pathEncode("ü🙂"));
        PATH_GARBAGE.put("invalid UTF-8 (%C3%28)", "%C3%28");
        PATH_GARBAGE.put("broken percent-encoding (%zz)", "%zz");
        PATH_GARBAGE.put("unencoded %", "%");
        QUERY_GARBAGE.put("-1", encode("-1"));
        QUERY_GARBAGE.put("0", encode("0"));
        QUERY_GARBAGE.put("20-digit number", encode("99999999999999999999"));
        QUERY_GARBAGE.put("abc", encode("abc"));
        QUERY_GARBAGE.put("true", encode("true"));
        QUERY_GARBAGE.put("empty", encode(""));
        QUERY_GARBAGE.put("5,000-char string", encode("q".repeat(5_000)));
        QUERY_GARBAGE.put("%", encode("%"));
        QUERY_GARBAGE.put("NUL byte", encode("a\u0000b"));
        QUERY_GARBAGE.put("unencoded %", "%");
        QUERY_GARBAGE.put("invalid UTF-8 (%C3%28)", "%C3%28");
        QUERY_GARBAGE.put("broken percent-encoding (%zz)", "%zz");
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
    /** Answers by expectation and status, for the summary line: shows what the inputs actually provoked. */
    private final Map<String, Integer> tally = new java.util.TreeMap<>();

    /**
     * What an input must get besides "no 5xx, no internals, 4xx as problems". A target with broken percent-encoding
     * never reaches the application: Vert.x's HTTP decoder refuses the request line with a bare 400 (no body, no
     * X-Request-Id) before any route or filter runs, so no code of ours can answer it as a problem.
     */
    enum Expect { ANY, REFUSED, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, UNPARSABLE_MEDIA_TYPE, NOT_ACCEPTABLE, REFUSED_BY_TRANSPORT }

    record Operation(String method, String path, List<JsonNode> parameters, JsonNode bodySchema, boolean secured, boolean takesText) {
        String name() {
            return method + " " + path;
        }
    }

    record Input(String description, Map<String, String> pathValues, Map<String, String> query, Map<String, String> headers,
            String contentType, byte[] body, Expect expect) {
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
        System.out.printf("HostileInputTest: %d operations, %d requests (%d of %d generated inputs, twice), %d failures in %d ms; "
                + "answers %s%n", operations, requests, requests / 2, generated, failures.size(), (System.nanoTime() - started) / 1_000_000,
                tally);
        assertTrue(operations > 20, "the spec lists the API's operations");
        assertTrue(requests >= 10_000, "a fuzz run is at least 10,000 requests, this one was " + requests);
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
                // an empty requirement ({}) among them makes signing in optional (OptionalBearer): anyone may call it
                boolean secured = op.getValue().has("security") && op.getValue().get("security").size() > 0
                        && java.util.stream.StreamSupport.stream(op.getValue().get("security").spliterator(), false).noneMatch(r -> r.size() == 0);
                // an operation that declares text/plain (the page-view beacon, for navigator.sendBeacon) must take it
                boolean takesText = op.getValue().path("requestBody").path("content").has("text/plain");
                out.add(new Operation(op.getKey().toUpperCase(), path.getKey(), parameters,
                        bodySchema.isMissingNode() ? null : bodySchema, secured, takesText));
            }
        }
        return out;
    }

    /** The media type, size and Accept inputs first, then the hostile values of each kind in turn, up to the bound. */
    private List<Input> inputsFor(Operation op) {
        List<Input> mustHave = new ArrayList<>();
        List<List<Input>> kinds = new ArrayList<>();
        if (op.bodySchema() != null) {
            String sample = write(sample(op.bodySchema(), null, 0));
            if (!op.takesText()) {
                mustHave.add(input(op, "sample body as text/plain", Map.of(), Map.of(), "text/plain", utf8(sample), Expect.UNSUPPORTED_MEDIA_TYPE));
            }
            mustHave.add(input(op, "XML body as application/xml", Map.of(), Map.of(), "application/xml", utf8("<request><a>1</a></request>"),
                    Expect.UNSUPPORTED_MEDIA_TYPE));
            mustHave.add(input(op, "Content-Type that is no media type (a/b/c)", Map.of(), Map.of(), "a/b/c", utf8(sample),
                    Expect.UNPARSABLE_MEDIA_TYPE));
            if (sample.startsWith("{") && !sample.equals("{}")) {
                String fields = sample.substring(1, sample.length() - 1);
                mustHave.add(input(op, "every field sent twice", Map.of(), Map.of(), "application/json", utf8("{" + fields + "," + fields + "}"),
                        Expect.REFUSED));
            }
            mustHave.add(input(op, "text after the JSON value", Map.of(), Map.of(), "application/json", utf8(sample + " trailing"),
                    Expect.REFUSED));
            String first = firstProperty(op.bodySchema());
            // C0 AF, an overlong "/": Jackson's own decoder would read it (StrictUtf8 refuses it for every body)
            byte[] overlong = ("{\"" + first + "\":\"a\u00c0\u00afb\"}").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            mustHave.add(input(op, "overlong UTF-8 in a string", Map.of(), Map.of(), "application/json", overlong, Expect.REFUSED));
            mustHave.add(input(op, "body over 300 KiB", Map.of(), Map.of(), "application/json",
                    utf8("{\"" + first + "\":\"" + OVER_LIMIT + "\"}"), Expect.PAYLOAD_TOO_LARGE));
            kinds.add(malformedBodies(op, sample, first));
            kinds.add(wrongTypedBodies(op));
        } else if (!op.method().equals("GET")) {
            kinds.add(List.of(input(op, "unexpected broken JSON body", Map.of(), Map.of(), "application/json", utf8("{"), Expect.ANY)));
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

    private List<Input> malformedBodies(Operation op, String sample, String first) {
        List<Input> out = new ArrayList<>();
        for (String raw : List.of("{", "[]", "null", "\"text\"", "123")) {
            out.add(input(op, "body " + raw, Map.of(), Map.of(), "application/json", utf8(raw), Expect.ANY));
        }
        out.add(input(op, "array instead of object", Map.of(), Map.of(), "application/json", utf8("[" + sample + "]"), Expect.ANY));
        ObjectNode unknown = (ObjectNode) sample(op.bodySchema(), null, 0);
        unknown.put("zz_not_a_field", true);
        out.add(input(op, "unknown extra field", Map.of(), Map.of(), "application/json", utf8(write(unknown)), Expect.ANY));
        out.add(input(op, "empty object", Map.of(), Map.of(), "application/json", utf8("{}"), Expect.ANY));
        byte[] prefix = utf8("{\"" + first + "\":\"");
        byte[] invalid = java.util.Arrays.copyOf(prefix, prefix.length + 4);
        invalid[prefix.length] = (byte) 0xC3;
        invalid[prefix.length + 1] = (byte) 0x28;
        invalid[prefix.length + 2] = '"';
        invalid[prefix.length + 3] = '}';
        out.add(input(op, "invalid UTF-8 in a string", Map.of(), Map.of(), "application/json", invalid, Expect.ANY));
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
                out.add(input(op, describe(property) + " = " + kinds[kind], Map.of(), Map.of(), "application/json",
                        utf8(write(body)), Expect.ANY));
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
                        null, null, expectFor(garbage.getValue())));
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
                        null, null, expectFor(v.getValue())));
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
                    utf8(write(sample(op.bodySchema(), null, 0))), in.expect()));
        }
        return out;
    }

    private static Expect expectFor(String encoded) {
        return java.util.regex.Pattern.compile("%(?![0-9A-Fa-f]{2})").matcher(encoded).find() ? Expect.REFUSED_BY_TRANSPORT : Expect.ANY;
    }

    private static Input input(Operation op, String description, Map<String, String> path, Map<String, String> query,
            String contentType, byte[] body, Expect expect) {
        return new Input(description, path, query, Map.of(), contentType, body, expect);
    }

    // ---- sending and judging

    /** Sends one input as one identity; answers a failure line, or null when the answer is acceptable. */
    private String probe(Operation op, Input in, String bearer) {
        String who = bearer == null ? "anonymous" : "admin";
        Answer answer;
        try {
            answer = send(op.method(), target(op, in), headers(op, in, bearer), in.body());
        } catch (IOException e) {
            return line(op, in, who, -1, List.of("no answer: " + e), "");
        }
        int status = answer.status();
        String body = answer.body();
        tally.merge(in.expect() + " " + status, 1, Integer::sum);
        List<String> wrong = new ArrayList<>();
        if (status >= 500) {
            wrong.add("server error");
        }
        for (String leak : LEAKS) {
            if (body.contains(leak)) {
                wrong.add("body leaks '" + leak + "'");
            }
        }
        boolean bareTransportRefusal = in.expect() == Expect.REFUSED_BY_TRANSPORT && status == 400 && body.isEmpty();
        if (status >= 400 && status < 500 && !bareTransportRefusal) {
            wrong.addAll(op.path().equals(OAUTH_TOKEN) ? oauthErrorDefects(answer) : problemDefects(answer));
        }
        wrong.addAll(expectationDefects(op, in, bearer == null, answer));
        // an empty answer says most through its headers (who answered it: the transport, the router or the API)
        return wrong.isEmpty() ? null : line(op, in, who, status, wrong, body.isBlank() ? "(empty body; headers " + answer.headers() + ")" : body);
    }

    /** The request target (path and query), percent-encoded by the inputs themselves. */
    private String target(Operation op, Input in) {
        String path = op.path();
        for (JsonNode p : op.parameters()) {
            if ("path".equals(p.path("in").asText())) {
                String name = p.get("name").asText();
                path = path.replace("{" + name + "}", in.pathValues().getOrDefault(name, plausiblePathValue(p)));
            }
        }
        StringBuilder query = new StringBuilder();
        in.query().forEach((k, v) -> query.append(query.isEmpty() ? "?" : "&").append(encode(k)).append('=').append(v));
        return path + query;
    }

    private Map<String, String> headers(Operation op, Input in, String bearer) {
        Map<String, String> headers = new LinkedHashMap<>();
        // one client IP per request: sign-in throttles keyed by IP never see the hostile traffic as one attacker
        ThreadLocalRandom r = ThreadLocalRandom.current();
        headers.put("X-Forwarded-For", "198.18." + r.nextInt(256) + "." + (1 + r.nextInt(254)));
        for (JsonNode p : op.parameters()) {
            String name = p.get("name").asText();
            if ("header".equals(p.path("in").asText()) && p.path("required").asBoolean() || "Idempotency-Key".equalsIgnoreCase(name)) {
                headers.put(name, UUID.randomUUID().toString());
            }
        }
        headers.putAll(in.headers());
        if (bearer != null) {
            headers.put("Authorization", "Bearer " + bearer);
        }
        if (in.contentType() != null) {
            headers.put("Content-Type", in.contentType());
        }
        return headers;
    }

    record Answer(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), "");
        }
    }

    /**
     * Sends with the JDK client; a target that java.net.URI refuses (broken percent-encoding, which any client
     * can still put on the wire) goes over a plain socket.
     */
    private Answer send(String method, String target, Map<String, String> headers, byte[] body) throws IOException {
        URI uri;
        try {
            uri = URI.create("http://" + root.getHost() + ":" + root.getPort() + target);
        } catch (IllegalArgumentException malformed) {
            return sendRaw(method, target, headers, body);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20));
        headers.forEach(b::header);
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body);
        try {
            HttpResponse<String> r = http.send(b.method(method, publisher).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            Map<String, String> answerHeaders = new LinkedHashMap<>();
            r.headers().map().forEach((k, v) -> answerHeaders.put(k.toLowerCase(java.util.Locale.ROOT), v.isEmpty() ? "" : v.get(0)));
            return new Answer(r.statusCode(), answerHeaders, r.body() == null ? "" : r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private Answer sendRaw(String method, String target, Map<String, String> headers, byte[] body) throws IOException {
        try (java.net.Socket socket = new java.net.Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(20_000);
            StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: " + root.getHost() + ":" + root.getPort()
                    + "\r\nConnection: close\r\nContent-Length: " + (body == null ? 0 : body.length) + "\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            head.append("\r\n");
            var out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            String raw = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int split = raw.indexOf("\r\n\r\n");
            String[] lines = (split < 0 ? raw : raw.substring(0, split)).split("\r\n");
            Map<String, String> answerHeaders = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    answerHeaders.put(lines[i].substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), lines[i].substring(colon + 1).trim());
                }
            }
            String content = split < 0 ? "" : raw.substring(split + 4);
            if ("chunked".equalsIgnoreCase(answerHeaders.get("transfer-encoding"))) {
                content = dechunk(content);
            }
            return new Answer(Integer.parseInt(lines[0].split(" ")[1]), answerHeaders, content);
        }
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < chunked.length()) {
            int eol = chunked.indexOf("\r\n", at);
            if (eol < 0) {
                break;
            }
            int size = Integer.parseInt(chunked.substring(at, eol).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            // sizes count bytes; the bodies here are problem documents and JSON, close enough to count as chars
            int end = Math.min(chunked.length(), eol + 2 + size);
            out.append(chunked, eol + 2, end);
            at = end + 2;
        }
        return out.toString();
    }

    /** The OAuth token endpoint answers errors as RFC 6749 §5.2 says, which is what OAuth client libraries read. */
    private static final String OAUTH_TOKEN = "/v1/oauth/token";
    private static final java.util.Set<String> OAUTH_ERRORS = java.util.Set.of("invalid_request", "invalid_client", "invalid_grant",
            "unauthorized_client", "unsupported_grant_type", "invalid_scope");

    private List<String> oauthErrorDefects(Answer answer) {
        if (answer.header("Content-Type").startsWith(Problem.MEDIA_TYPE)) {
            return problemDefects(answer); // refused before the endpoint ran (CSRF, body limits): a problem document
        }
        try {
            JsonNode error = json.readTree(answer.body());
            return error != null && OAUTH_ERRORS.contains(error.path("error").asText("")) ? List.of()
                    : List.of("neither a problem document nor an RFC 6749 error");
        } catch (IOException e) {
            return List.of("body is not JSON");
        }
    }

    private List<String> problemDefects(Answer answer) {
        List<String> wrong = new ArrayList<>();
        String contentType = answer.header("Content-Type");
        if (!contentType.startsWith(Problem.MEDIA_TYPE)) {
            wrong.add("Content-Type is '" + contentType + "', not " + Problem.MEDIA_TYPE);
        }
        JsonNode problem;
        try {
            problem = json.readTree(answer.body());
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
        if (problem.path("status").asInt(-1) != answer.status()) {
            wrong.add("status field " + problem.path("status") + " differs from the HTTP status");
        }
        String requestId = problem.path("request_id").asText("");
        if (requestId.isBlank()) {
            wrong.add("no request_id");
        } else if (answer.header(RequestIds.HEADER).isEmpty()) {
            wrong.add("no X-Request-Id header");
        } else if (!requestId.equals(answer.header(RequestIds.HEADER))) {
            wrong.add("request_id differs from the X-Request-Id header");
        }
        return wrong;
    }

    private List<String> expectationDefects(Operation op, Input in, boolean anonymous, Answer answer) {
        int status = answer.status();
        String type = "";
        if (status >= 400 && status < 500) {
            try {
                type = json.readTree(answer.body()).path("type").asText("");
            } catch (IOException | RuntimeException e) {
                type = "";
            }
        }
        // refusing an anonymous caller first is as good an answer as any other refusal
        boolean refusedAnonymous = anonymous && op.secured() && status == 401;
        return switch (in.expect()) {
            case ANY -> List.of();
            // refused as malformed, or before the body was read at all (no credentials, no role, not JSON)
            case REFUSED -> status == 400 && type.equals(ProblemType.MALFORMED_REQUEST.uri()) || status == 401 || status == 403 || status == 415
                    ? List.of() : List.of("expected 400 " + ProblemType.MALFORMED_REQUEST.slug() + ": the body is not one JSON object");
            // refused before authentication and before any route: even where any media type is accepted
            case UNPARSABLE_MEDIA_TYPE -> status == 415 && type.equals(ProblemType.UNSUPPORTED_MEDIA_TYPE.uri()) ? List.of()
                    : List.of("expected a 415 " + ProblemType.UNSUPPORTED_MEDIA_TYPE.slug() + " problem for a Content-Type that does not parse");
            case REFUSED_BY_TRANSPORT -> status == 400 ? List.of() : List.of("expected 400 for a malformed request target");
            case PAYLOAD_TOO_LARGE -> status == 413 && type.equals(ProblemType.PAYLOAD_TOO_LARGE.uri()) ? List.of()
                    : List.of("expected a 413 " + ProblemType.PAYLOAD_TOO_LARGE.slug() + " problem");
            case UNSUPPORTED_MEDIA_TYPE -> ACCEPTS_ANY_MEDIA_TYPE.contains(op.name()) || refusedAnonymous
                    || status == 415 && type.equals(ProblemType.UNSUPPORTED_MEDIA_TYPE.uri()) ? List.of()
                    : List.of("expected a 415 " + ProblemType.UNSUPPORTED_MEDIA_TYPE.slug() + " problem");
            case NOT_ACCEPTABLE -> {
                String contentType = answer.header("Content-Type");
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

    private static String pathEncode(String value) {
        return encode(value).replace("+", "%20");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
