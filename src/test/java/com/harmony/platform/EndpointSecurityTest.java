package com.harmony.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.Authenticated;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.junit.jupiter.api.Test;

/**
 * Walks every operation of the generated spec: each must be backed by a method that declares who may
 * call it (@PermitAll, @Authenticated or @RolesAllowed, on the method or its class), and the spec's
 * security requirement must say the same thing to client generators.
 */
@io.quarkus.test.junit.QuarkusTest
class EndpointSecurityTest {

    @Test
    void everyOperationDeclaresWhoMayCallIt() throws Exception {
        Map<String, Method> byOperationId = new HashMap<>();
        var classes = new com.tngtech.archunit.core.importer.ClassFileImporter().importPackages("com.harmony");
        for (var javaClass : classes) {
            Class<?> type = javaClass.reflect();
            if (!type.isAnnotationPresent(Path.class)) continue;
            for (Method m : type.getDeclaredMethods()) {
                Operation op = m.getAnnotation(Operation.class);
                if (op != null) byOperationId.put(op.operationId(), m);
            }
        }
        JsonNode spec = new ObjectMapper().readTree(Files.readString(Paths.get("target/openapi/openapi.json")));
        List<String> problems = new ArrayList<>();
        int operations = 0;
        for (var path : (Iterable<Map.Entry<String, JsonNode>>) spec.get("paths")::fields) {
            for (var op : (Iterable<Map.Entry<String, JsonNode>>) path.getValue()::fields) {
                operations++;
                String id = op.getValue().path("operationId").asText(null);
                String where = op.getKey().toUpperCase() + " " + path.getKey();
                Method m = id == null ? null : byOperationId.get(id);
                if (m == null) {
                    problems.add(where + ": no operationId backed by a resource method");
                    continue;
                }
                boolean open = declared(m, PermitAll.class);
                boolean closed = declared(m, RolesAllowed.class) || declared(m, Authenticated.class);
                // an empty requirement ({}) among them makes signing in optional (OptionalBearer): anyone may call it
                boolean specSecured = op.getValue().has("security") && op.getValue().get("security").size() > 0
                        && java.util.stream.StreamSupport.stream(op.getValue().get("security").spliterator(), false).noneMatch(r -> r.size() == 0);
                if (open == closed) problems.add(where + ": must declare exactly one of @PermitAll or a role requirement");
                if (closed != specSecured) problems.add(where + ": spec security (" + specSecured + ") disagrees with the code");
            }
        }
        assertTrue(operations > 20, "the spec lists the API's operations");
        assertEquals(List.of(), problems);
    }

    private static boolean declared(Method m, Class<? extends java.lang.annotation.Annotation> a) {
        return m.isAnnotationPresent(a) || (m.getDeclaringClass().isAnnotationPresent(a)
                && !m.isAnnotationPresent(PermitAll.class) && !m.isAnnotationPresent(RolesAllowed.class)
                && !m.isAnnotationPresent(Authenticated.class));
    }
}
