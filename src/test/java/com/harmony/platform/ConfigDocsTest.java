package com.harmony.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.smallrye.config.ConfigMapping;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every setting the service reads is documented in the README: each property of every
 * {@code @ConfigMapping} appears there by its environment variable (when application.properties
 * gives it one) or by its own name. A new property without a README row fails this test.
 */
class ConfigDocsTest {

    private static final Pattern ENV = Pattern.compile("^([a-z0-9.-]+)=\\$\\{([A-Z0-9_]+):");

    @Test
    void everyConfigurationPropertyIsInTheReadme() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        Map<String, String> envs = envVariables();
        List<String> missing = new ArrayList<>();
        for (String property : mappedProperties()) {
            String env = envs.get(property);
            boolean documented = env != null ? readme.contains("`" + env + "`") : readme.contains("`" + property + "`");
            if (!documented) {
                missing.add(env != null ? property + " (" + env + ")" : property);
            }
        }
        assertEquals(List.of(), missing, "document these in the README's configuration tables");
    }

    /** Property → environment variable, from the production lines of application.properties. */
    private static Map<String, String> envVariables() throws IOException {
        Map<String, String> envs = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("src/main/resources/application.properties"))) {
            Matcher m = ENV.matcher(line.strip());
            if (m.find()) {
                envs.put(m.group(1), m.group(2));
            }
        }
        return envs;
    }

    private static TreeSet<String> mappedProperties() {
        TreeSet<String> out = new TreeSet<>();
        for (JavaClass c : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("com.harmony")) {
            if (c.isAnnotatedWith(ConfigMapping.class)) {
                Class<?> type = c.reflect();
                walk(type.getAnnotation(ConfigMapping.class).prefix(), type, out);
            }
        }
        return out;
    }

    private static void walk(String prefix, Class<?> type, TreeSet<String> out) {
        for (Method m : type.getMethods()) {
            if (m.getParameterCount() > 0 || m.isDefault() || java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            String name = prefix + "." + kebab(m.getName());
            Class<?> r = m.getReturnType();
            if (r.isInterface() && r.getName().startsWith("com.harmony")) {
                walk(name, r, out);
            } else {
                out.add(name);
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
