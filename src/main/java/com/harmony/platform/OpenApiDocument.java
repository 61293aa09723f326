package com.harmony.platform;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.examples.Example;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Finishes the generated document so generated clients can trust it: shared header components,
 * formats on ids and timestamps, {@code required} on what every response always carries, an example
 * on every body, and the problem catalogue with, per operation, the problem types it can answer.
 */
final class OpenApiDocument {

    static final String UUID_EXAMPLE = "3f2c1b9e-8d4a-4c1e-9f0a-2b7c6d5e4f31";
    static final String TIME_EXAMPLE = "2026-12-01T09:30:00Z";

    /** A problem type named in a response description: (type `slug`) or `slug`. */
    private static final Pattern SLUG = Pattern.compile("`([a-z0-9]+(?:-[a-z0-9]+)*)`");

    private OpenApiDocument() {
    }

    static void finish(OpenAPI api) {
        Components components = api.getComponents();
        if (components == null) {
            return;
        }
        addSharedHeaders(components);
        Map<String, Schema> schemas = components.getSchemas() == null ? Map.of() : components.getSchemas();
        // SmallRye's own examples of java.time types are a four-year-old's birth date (a survey's example answer was
        // then refused as under age) and a time with an offset, which no answer of this API carries
        exampleOf(schemas.get("LocalDate"), "1990-12-10");
        exampleOf(schemas.get("OffsetDateTime"), TIME_EXAMPLE);
        schemas.values().forEach(OpenApiDocument::formats);
        schemas.values().forEach(OpenApiDocument::nullInEnums);
        markAlwaysPresent(api, schemas);
        Map<String, ProblemType> catalog = new LinkedHashMap<>();
        ProblemCatalog.all().forEach(t -> catalog.put(t.slug(), t));
        Set<String> usedProblems = new java.util.TreeSet<>();
        if (api.getPaths() != null && api.getPaths().getPathItems() != null) {
            for (PathItem item : api.getPaths().getPathItems().values()) {
                if (item.getOperations() == null) {
                    continue;
                }
                for (Operation op : item.getOperations().values()) {
                    finishOperation(op, schemas, catalog, usedProblems);
                }
            }
        }
        addProblemExamples(components, catalog, usedProblems);
        shareRepeatedResponses(api, components);
        // relative to where the document is served, so Swagger UI and generated clients call this very service
        api.setServers(List.of(OASFactory.createServer().url("/").description("This service, wherever it runs (local, staging or production): paths are relative to this document").addExtension("x-internal", false)));
        if (api.getInfo() != null) {
            api.getInfo().setDescription(INTRO + "\n\n" + catalogTable(catalog.values()));
        }
    }

    private static void exampleOf(Schema schema, String example) {
        if (schema != null) {
            schema.setExamples(List.of(example));
        }
    }

    /** The spec's introduction; the problem-type catalogue follows it. */
    static final String INTRO = """
            Headless commerce API: catalog, accounts, carts, orders, affiliates, consents and privacy requests. JSON uses \
            snake_case; money is integer minor units with an ISO 4217 currency; timestamps are RFC 3339 UTC; lists are \
            cursor pages (limit, cursor, has_more, next_cursor). Reads carry an ETag and answer 304 to If-None-Match; \
            unsafe writes take an Idempotency-Key where the operation says so. Every response carries X-Request-Id. Every \
            response but the public catalog reads (/v1/products, /v1/categories) and this document carries Cache-Control: \
            no-store, because it may hold tokens or personal data. Every response carries X-Content-Type-Options: nosniff, \
            Referrer-Policy: no-referrer, Content-Security-Policy: default-src 'none'; frame-ancestors 'none' and \
            X-Frame-Options: DENY, and Strict-Transport-Security when the service is reached over HTTPS.""";

    // ---- headers ----

    private static final Map<String, String> SHARED = new LinkedHashMap<>();

    static {
        SHARED.put(RequestIds.HEADER, "The request id (the caller's X-Request-Id if it was sane); also in problem bodies");
        SHARED.put("ETag", "Tag of this representation; send it as If-None-Match to revalidate, and as If-Match to the "
                + "writes that take one (they then change only this version)");
        SHARED.put("Location", "Where the created or found resource lives");
        SHARED.put("Retry-After", "Seconds to wait before trying again");
        SHARED.put(Idempotency.REPLAYED, "true when this is the stored answer to an earlier request with the same Idempotency-Key");
        SHARED.put("Set-Cookie", "Cookies the API sets (see the cookie list in the README); never readable by scripts "
                + "except harmony_csrf");
        SHARED.put("Access-Control-Allow-Origin", "Sent to browsers on a configured origin (CORS_ORIGINS) only");
    }

    private static void addSharedHeaders(Components components) {
        SHARED.forEach((name, description) -> {
            Schema schema = OASFactory.createSchema().addType(SchemaType.STRING);
            if ("Retry-After".equals(name)) {
                schema = OASFactory.createSchema().addType(SchemaType.INTEGER).format("int32").minimum(BigDecimal.ZERO)
                        .maximum(BigDecimal.valueOf(86_400));
            } else if (Idempotency.REPLAYED.equals(name)) {
                schema = OASFactory.createSchema().addType(SchemaType.STRING).addEnumeration("true");
            } else {
                schema.maxLength(4096);
            }
            components.addHeader(name, OASFactory.createHeader().description(description).schema(schema));
        });
    }

    private static Header ref(String name) {
        return OASFactory.createHeader().ref(name);
    }

    // ---- operations ----

    private static void finishOperation(Operation op, Map<String, Schema> schemas, Map<String, ProblemType> catalog, Set<String> used) {
        if (op.getParameters() != null) {
            for (Parameter p : op.getParameters()) {
                if (p.getSchema() == null && p.getContent() == null && p.getRef() == null) {
                    p.setSchema(OASFactory.createSchema().addType(SchemaType.STRING).maxLength(1024));
                }
                integerFormat(p.getSchema());
                Schema ps = p.getSchema();
                if (ps != null && isString(ps) && ps.getMaxLength() == null && ps.getEnumeration() == null && ps.getFormat() == null) {
                    // no tighter limit of its own: the HTTP server's (request line 16 KiB, headers 20 KiB) bounds it
                    ps.setMaxLength(p.getIn() == Parameter.In.HEADER ? 20_480 : 16_384);
                }
            }
        }
        if (op.getRequestBody() != null && op.getRequestBody().getContent() != null) {
            exampleBodies(op.getRequestBody().getContent(), schemas);
        }
        if (op.getResponses() == null || op.getResponses().getAPIResponses() == null) {
            return;
        }
        for (Map.Entry<String, APIResponse> e : op.getResponses().getAPIResponses().entrySet()) {
            APIResponse response = e.getValue();
            if (response.getRef() != null) {
                continue;
            }
            Map<String, Header> headers = response.getHeaders();
            if (headers != null) {
                for (String name : List.copyOf(headers.keySet())) {
                    if (SHARED.containsKey(name)) {
                        response.addHeader(name, ref(name));
                    } else if (headers.get(name).getSchema() == null && headers.get(name).getRef() == null) {
                        headers.get(name).setSchema(OASFactory.createSchema().addType(SchemaType.STRING).maxLength(1024));
                    }
                }
            }
            response.addHeader("Access-Control-Allow-Origin", ref("Access-Control-Allow-Origin"));
            // 429 and 503: wait and retry; 502: the payment provider is down (PaymentProblems.providerDown)
            if (List.of("429", "502", "503").contains(e.getKey()) && !response.getHeaders().containsKey("Retry-After")) {
                response.addHeader("Retry-After", ref("Retry-After"));
            }
            Content content = response.getContent();
            if (content == null || content.getMediaTypes() == null) {
                continue;
            }
            MediaType problem = content.getMediaType(Problem.MEDIA_TYPE);
            if (problem != null) {
                problemExamples(problem, Integer.parseInt(e.getKey()), response.getDescription(), catalog, used);
            }
            exampleBodies(content, schemas);
        }
    }

    /** Each problem response lists, as named examples, exactly the problem types it can carry. */
    private static void problemExamples(MediaType media, int status, String description, Map<String, ProblemType> catalog,
            Set<String> used) {
        List<String> slugs = new ArrayList<>();
        if (description != null) {
            Matcher m = SLUG.matcher(description);
            while (m.find()) {
                ProblemType type = catalog.get(m.group(1));
                if (type != null && !slugs.contains(type.slug())) {
                    slugs.add(type.slug());
                }
            }
        }
        if (slugs.isEmpty()) {
            catalog.values().stream().filter(t -> t.status() == status).findFirst().ifPresent(t -> slugs.add(t.slug()));
        }
        for (String slug : slugs) {
            media.addExample(slug, OASFactory.createExample().ref("#/components/examples/problem-" + slug));
            used.add(slug);
        }
    }

    private static void addProblemExamples(Components components, Map<String, ProblemType> catalog, Set<String> used) {
        for (ProblemType type : catalog.values()) {
            if (!used.contains(type.slug())) {
                continue;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("type", type.uri());
            body.put("title", type.title());
            body.put("status", type.status());
            body.put("detail", type.title() + ".");
            body.put("instance", "/v1/example");
            body.put("request_id", "5b0e3f0c2a9d4e1f");
            Example example = OASFactory.createExample().summary(type.title() + " (" + type.status() + ")").value(body);
            components.addExample("problem-" + type.slug(), example);
        }
    }

    // ---- shared responses ----

    /**
     * Moves a response that several operations give word for word (the generic problems, 304, a "No such
     * product" on each product operation) to components/responses and refers to it: the document shrinks
     * by about two fifths, which clients download and generators read, and which the service parses and
     * renders again at every start. The generic response with some problem types (the only one having them,
     * or used more than twice as often as any other) is named after them (InternalError); any other after
     * the words of its description (NoSuchProduct). The most used response chooses first, so names never
     * depend on the order operations are visited in.
     */
    private static void shareRepeatedResponses(OpenAPI api, Components components) {
        if (api.getPaths() == null || api.getPaths().getPathItems() == null) {
            return;
        }
        Map<String, List<Use>> byShape = new java.util.TreeMap<>();
        for (PathItem item : api.getPaths().getPathItems().values()) {
            if (item.getOperations() == null) {
                continue;
            }
            for (Operation op : item.getOperations().values()) {
                if (op.getResponses() == null || op.getResponses().getAPIResponses() == null) {
                    continue;
                }
                for (Map.Entry<String, APIResponse> e : op.getResponses().getAPIResponses().entrySet()) {
                    String shape = shape(e.getKey(), e.getValue());
                    if (shape != null) {
                        byShape.computeIfAbsent(shape, k -> new ArrayList<>()).add(new Use(op.getResponses(), e.getKey(), e.getValue()));
                    }
                }
            }
        }
        List<List<Use>> repeated = byShape.entrySet().stream()
                .filter(e -> e.getValue().size() > 1)
                .sorted(java.util.Comparator.comparing((Map.Entry<String, List<Use>> e) -> -e.getValue().size()).thenComparing(Map.Entry::getKey))
                .map(Map.Entry::getValue)
                .toList();
        // per type name, the uses of each shape having it, most used first
        Map<String, List<Integer>> usesPerTypeName = new java.util.HashMap<>();
        repeated.forEach(uses -> usesPerTypeName.computeIfAbsent(String.valueOf(typeName(uses.get(0))), k -> new ArrayList<>())
                .add(uses.size()));
        Set<String> taken = new HashSet<>(components.getResponses() == null ? Set.of() : components.getResponses().keySet());
        Map<String, APIResponse> shared = new java.util.TreeMap<>();
        for (List<Use> uses : repeated) {
            Use first = uses.get(0);
            String byType = typeName(first);
            String described = describedName(first.response().getDescription());
            List<String> candidates = new ArrayList<>();
            List<Integer> rivals = byType == null ? List.of() : usesPerTypeName.get(byType);
            if (byType != null && (rivals.size() == 1 || rivals.get(0) == uses.size() && rivals.get(0) > 2 * rivals.get(1))) {
                candidates.add(byType); // the generic response with these types: far more used than any other having them
            }
            if (described != null) {
                candidates.add(described);
                candidates.add(described + (byType == null ? first.status() : byType));
            }
            candidates.stream().filter(taken::add).findFirst().ifPresent(name -> {
                shared.put(name, first.response());
                uses.forEach(use -> use.owner().addAPIResponse(use.status(), OASFactory.createAPIResponse().ref(name)));
            });
        }
        shared.forEach(components::addResponse);
    }

    /** One operation's response under one status. */
    private record Use(org.eclipse.microprofile.openapi.models.responses.APIResponses owner, String status, APIResponse response) {
    }

    /** What makes two responses the same, or null for one that cannot be shared (a body of its own, inline headers). */
    private static String shape(String status, APIResponse response) {
        if (response.getRef() != null || response.getLinks() != null && !response.getLinks().isEmpty()
                || response.getExtensions() != null && !response.getExtensions().isEmpty()) {
            return null;
        }
        StringBuilder shape = new StringBuilder(status).append('|').append(response.getDescription()).append('|');
        if (response.getHeaders() != null) {
            for (Map.Entry<String, Header> h : response.getHeaders().entrySet()) {
                if (h.getValue().getRef() == null) {
                    return null;
                }
                shape.append(h.getKey()).append('=').append(h.getValue().getRef()).append(',');
            }
        }
        Content content = response.getContent();
        if (content != null && content.getMediaTypes() != null && !content.getMediaTypes().isEmpty()) {
            MediaType problem = content.getMediaType(Problem.MEDIA_TYPE);
            if (content.getMediaTypes().size() != 1 || problem == null || problem.getSchema() == null
                    || problem.getSchema().getRef() == null || problem.getExample() != null || problem.getEncoding() != null
                    || problem.getExtensions() != null && !problem.getExtensions().isEmpty()) {
                return null;
            }
            shape.append('|').append(problem.getSchema().getRef()).append('|');
            if (problem.getExamples() != null) {
                for (Map.Entry<String, Example> x : problem.getExamples().entrySet()) {
                    if (x.getValue().getRef() == null) {
                        return null;
                    }
                    shape.append(x.getKey()).append('=').append(x.getValue().getRef()).append(',');
                }
            }
        }
        return shape.toString();
    }

    /** NoSuchProduct for "No such product (type `not-found`)": the description's words up to its first bracket or semicolon. */
    private static String describedName(String description) {
        if (description == null) {
            return null;
        }
        String name = camel(description.split("\\s*[(;]", 2)[0].trim().split("\\s+"));
        return name.isEmpty() ? null : name;
    }

    /** InternalError for `internal-error`, MalformedRequestOrValidationFailed for two types (in name order), NotModified for a 304. */
    private static String typeName(Use use) {
        Content content = use.response().getContent();
        MediaType problem = content == null ? null : content.getMediaType(Problem.MEDIA_TYPE);
        if (problem != null && problem.getExamples() != null && !problem.getExamples().isEmpty()) {
            List<String> words = new ArrayList<>();
            for (String slug : new java.util.TreeSet<>(problem.getExamples().keySet())) { // a set of types: one name whatever their order
                words.add(camel(slug.split("-")));
            }
            return String.join("Or", words);
        }
        return "304".equals(use.status()) ? "NotModified" : null;
    }

    /** The words run together, each capitalised; only letters and digits are kept. */
    private static String camel(String[] words) {
        StringBuilder name = new StringBuilder();
        for (String word : words) {
            String letters = word.replaceAll("[^A-Za-z0-9]", "");
            if (!letters.isEmpty()) {
                name.append(Character.toUpperCase(letters.charAt(0))).append(letters.substring(1));
            }
        }
        return name.toString();
    }

    private static String catalogTable(Iterable<ProblemType> types) {
        StringBuilder table = new StringBuilder("## Problem types\n\nEvery error is an RFC 9457 problem document "
                + "(`application/problem+json`). Branch on `type`, which never changes once published; each operation "
                + "lists, per status, the types it can answer as named examples.\n\n| type | status | title |\n|---|---|---|\n");
        for (ProblemType type : types) {
            table.append("| `").append(type.uri()).append("` | ").append(type.status()).append(" | ").append(type.title())
                    .append(" |\n");
        }
        return table.toString();
    }

    // ---- schemas ----

    /** int32 when the bounds fit, else int64: JSON numbers of generated clients need to know. */
    static void integerFormat(Schema s) {
        if (s == null || s.getType() == null || !s.getType().contains(SchemaType.INTEGER) || s.getFormat() != null) {
            return;
        }
        BigDecimal max = s.getMaximum();
        BigDecimal min = s.getMinimum();
        boolean fits = max != null && max.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0
                && (min == null || min.compareTo(BigDecimal.valueOf(Integer.MIN_VALUE)) >= 0);
        s.setFormat(fits ? "int32" : "int64");
    }

    private static void formats(Schema schema) {
        if (schema == null) {
            return;
        }
        integerFormat(schema);
        formats(schema.getItems());
        if (schema.getProperties() == null) {
            return;
        }
        schema.getProperties().forEach((name, property) -> {
            if (property.getAnyOf() != null) {
                property.getAnyOf().forEach(OpenApiDocument::formats);
                return;
            }
            formats(property);
            if (isString(property) && property.getFormat() == null && property.getEnumeration() == null && property.getPattern() == null) {
                if (name.equals("id") || (name.endsWith("_id") && !name.equals("request_id") && !name.equals("target_id")
                        && !name.equals("client_id"))) {
                    property.setFormat("uuid");
                } else if (name.endsWith("_at")) {
                    property.setFormat("date-time");
                }
            }
        });
    }

    private static boolean isString(Schema s) {
        return s.getType() != null && s.getType().contains(SchemaType.STRING);
    }

    /** A nullable enum lists null among its values: JSON Schema checks enum apart from type, so a null would fail it. */
    private static void nullInEnums(Schema s) {
        if (s == null) {
            return;
        }
        if (s.getEnumeration() != null && s.getType() != null && s.getType().contains(SchemaType.NULL) && !s.getEnumeration().contains(null)) {
            List<Object> values = new java.util.ArrayList<>(s.getEnumeration());
            values.add(null);
            s.setEnumeration(values);
        }
        if (s.getProperties() != null) {
            s.getProperties().values().forEach(OpenApiDocument::nullInEnums);
        }
        nullInEnums(s.getItems());
        for (List<Schema> list : java.util.Arrays.asList(s.getAllOf(), s.getAnyOf(), s.getOneOf())) {
            if (list != null) {
                list.forEach(OpenApiDocument::nullInEnums);
            }
        }
    }

    private static boolean nullable(Schema s) {
        if (s.getType() != null && s.getType().contains(SchemaType.NULL)) {
            return true;
        }
        return s.getAnyOf() != null && s.getAnyOf().stream().anyMatch(OpenApiDocument::nullable)
                || s.getOneOf() != null && s.getOneOf().stream().anyMatch(OpenApiDocument::nullable);
    }

    /**
     * A schema only ever sent (never read from a request) always carries each property that is not
     * nullable: the service serialises every field, null included. So those are {@code required},
     * and generated clients need no optional chaining for them.
     */
    private static void markAlwaysPresent(OpenAPI api, Map<String, Schema> schemas) {
        Set<String> read = new HashSet<>();
        Set<String> sent = new HashSet<>();
        if (api.getPaths() != null && api.getPaths().getPathItems() != null) {
            for (PathItem item : api.getPaths().getPathItems().values()) {
                if (item.getOperations() == null) {
                    continue;
                }
                for (Operation op : item.getOperations().values()) {
                    if (op.getRequestBody() != null) {
                        reach(op.getRequestBody().getContent(), schemas, read);
                    }
                    if (op.getResponses() != null && op.getResponses().getAPIResponses() != null) {
                        op.getResponses().getAPIResponses().values().forEach(r -> reach(r.getContent(), schemas, sent));
                    }
                }
            }
        }
        for (String name : sent) {
            Schema schema = schemas.get(name);
            if (read.contains(name) || schema == null || schema.getProperties() == null
                    || (schema.getRequired() != null && !schema.getRequired().isEmpty())) {
                continue;
            }
            schema.getProperties().forEach((property, s) -> {
                if (!nullable(s)) {
                    schema.addRequired(property);
                }
            });
        }
    }

    private static void reach(Content content, Map<String, Schema> schemas, Set<String> into) {
        if (content == null || content.getMediaTypes() == null) {
            return;
        }
        content.getMediaTypes().values().forEach(m -> reach(m.getSchema(), schemas, into));
    }

    private static void reach(Schema s, Map<String, Schema> schemas, Set<String> into) {
        if (s == null) {
            return;
        }
        if (s.getRef() != null) {
            String name = s.getRef().substring(s.getRef().lastIndexOf('/') + 1);
            if (into.add(name)) {
                reach(schemas.get(name), schemas, into);
            }
            return;
        }
        if (s.getProperties() != null) {
            s.getProperties().values().forEach(p -> reach(p, schemas, into));
        }
        reach(s.getItems(), schemas, into);
        reach(s.getAdditionalPropertiesSchema(), schemas, into);
        for (List<Schema> list : java.util.Arrays.asList(s.getAllOf(), s.getAnyOf(), s.getOneOf())) {
            if (list != null) {
                list.forEach(p -> reach(p, schemas, into));
            }
        }
    }

    // ---- examples ----

    private static void exampleBodies(Content content, Map<String, Schema> schemas) {
        if (content.getMediaTypes() == null) {
            return;
        }
        for (Map.Entry<String, MediaType> e : content.getMediaTypes().entrySet()) {
            MediaType media = e.getValue();
            if (media.getExample() != null || (media.getExamples() != null && !media.getExamples().isEmpty())
                    || media.getSchema() == null
                    // JSON, a form (the token endpoint) and JSON sent as text/plain (a beacon) are all described by a schema
                    || !(e.getKey().contains("json") || e.getKey().equals("application/x-www-form-urlencoded") || e.getKey().equals("text/plain"))) {
                continue;
            }
            Object example = Examples.of(media.getSchema(), schemas, null, new HashSet<>());
            if (example != null) {
                media.setExample(example);
            }
        }
    }

    /** Builds a plausible instance of a schema from its own examples, enums, bounds and formats. */
    static final class Examples {

        private Examples() {
        }

        /** {@code path} holds the schemas being expanded, so a recursive one (a category tree) stops at one level. */
        static Object of(Schema s, Map<String, Schema> schemas, String name, Set<String> path) {
            if (s == null) {
                return null;
            }
            if (s.getRef() != null) {
                String ref = s.getRef().substring(s.getRef().lastIndexOf('/') + 1);
                if (!path.add(ref)) {
                    return null;
                }
                Object value = of(schemas.get(ref), schemas, name, path);
                path.remove(ref);
                return value;
            }
            if (s.getExamples() != null && !s.getExamples().isEmpty()) {
                return s.getExamples().get(0);
            }
            if (s.getExample() != null) {
                return s.getExample();
            }
            if (s.getDefaultValue() != null) {
                return s.getDefaultValue();
            }
            if (s.getEnumeration() != null && !s.getEnumeration().isEmpty()) {
                return s.getEnumeration().get(0);
            }
            for (List<Schema> list : java.util.Arrays.asList(s.getAllOf(), s.getAnyOf(), s.getOneOf())) {
                if (list != null) {
                    for (Schema branch : list) {
                        if (!(branch.getType() != null && branch.getType().equals(List.of(SchemaType.NULL)))) {
                            return of(branch, schemas, name, path);
                        }
                    }
                }
            }
            List<SchemaType> types = s.getType() == null ? List.of() : s.getType();
            if (types.contains(SchemaType.OBJECT) || s.getProperties() != null) {
                Map<String, Object> object = new LinkedHashMap<>();
                if (s.getProperties() != null) {
                    s.getProperties().forEach((property, ps) -> object.put(property, of(ps, schemas, property, path)));
                }
                if (object.isEmpty() && s.getMinProperties() != null && s.getMinProperties() > 0) {
                    object.put("key", of(s.getAdditionalPropertiesSchema(), schemas, "value", path));
                }
                return object;
            }
            if (types.contains(SchemaType.ARRAY)) {
                Object item = of(s.getItems(), schemas, name, path);
                return item == null && s.getItems() != null && s.getItems().getRef() != null ? List.of()
                        : item == null || (s.getMaxItems() != null && s.getMaxItems() == 0) ? List.of() : List.of(item);
            }
            if (types.contains(SchemaType.INTEGER) || types.contains(SchemaType.NUMBER)) {
                BigDecimal min = s.getMinimum() != null ? s.getMinimum() : BigDecimal.ONE;
                if (s.getExclusiveMinimum() != null) {
                    min = s.getExclusiveMinimum().add(BigDecimal.ONE);
                }
                if (s.getMaximum() != null && min.compareTo(s.getMaximum()) > 0) {
                    min = s.getMaximum();
                }
                return types.contains(SchemaType.INTEGER) ? (Object) min.longValue() : min;
            }
            if (types.contains(SchemaType.BOOLEAN)) {
                return Boolean.TRUE;
            }
            if (types.contains(SchemaType.STRING)) {
                return string(s, name);
            }
            return types.contains(SchemaType.NULL) ? null : Map.of();
        }

        private static String string(Schema s, String name) {
            String pattern = s.getPattern() == null ? "" : s.getPattern();
            if (pattern.matches("\\^?\\(?[a-z_]+(\\|[a-z_]+)+\\)?\\$?")) {
                return pattern.replaceAll("[\\^$()]", "").split("\\|")[0];
            }
            if (pattern.startsWith("^https?://")) {
                return "https://harmony.example/images/tee.jpg";
            }
            if (pattern.contains("[0-9 ()-]")) {
                return "+1 217 555 0100";
            }
            if (pattern.equals("^[A-Z]{3}$")) {
                return "USD";
            }
            String format = s.getFormat() == null ? "" : s.getFormat();
            String value = switch (format) {
                case "uuid" -> UUID_EXAMPLE;
                case "date-time" -> TIME_EXAMPLE;
                case "date" -> "2026-12-01";
                case "email" -> "ada@example.com";
                case "uri", "url" -> "https://harmony.example/";
                case "duration" -> "PT15M";
                default -> byName(name, pattern);
            };
            if (s.getMinLength() != null && value.length() < s.getMinLength()) {
                value = value + "x".repeat(s.getMinLength() - value.length());
            }
            if (s.getMaxLength() != null && value.length() > s.getMaxLength()) {
                value = value.substring(0, s.getMaxLength());
            }
            return value;
        }

        /**
         * Fields whose name says what they hold get a value of that kind rather than their own name ("email":
         * "email" is no address), unless the field's pattern refuses it.
         */
        private static String byName(String name, String pattern) {
            if (name == null) {
                return "string";
            }
            String value = name.endsWith("email") ? "ada@example.com"
                    : switch (name) {
                        case "phone" -> "+1 217 555 0100";
                        case "postal_code", "billing_postal_code" -> "62701";
                        case "country" -> "US";
                        case "currency" -> "USD";
                        case "city" -> "Springfield";
                        case "line1" -> "1 Main St";
                        case "line2" -> "Apt 2";
                        case "website" -> "https://ada.example/blog";
                        default -> null;
                    };
            return value != null && (pattern.isEmpty() || java.util.regex.Pattern.compile(pattern).matcher(value).find())
                    ? value : name.replace('_', ' ');
        }
    }
}
