package com.harmony;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaPackage;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Features meet only through each other's public surface. The features are the packages directly
 * under com.harmony except platform, read from the compiled classes, so a new feature is covered
 * the day it appears; each rule covers the feature's subpackages too.
 */
class ModuleBoundariesTest {

    private static final String BASE = "com.harmony";
    private static final String PLATFORM = "platform";

    /** A class of the service named in source: an import, a static import or a qualified name. */
    private static final Pattern NAMED_CLASS = Pattern.compile("\\bcom\\.harmony\\.((?:[a-z_][a-z0-9_]*\\.)+)([A-Z]\\w*)");

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(BASE);

    static List<String> features() {
        return CLASSES.getPackage(BASE).getSubpackages().stream()
                .map(JavaPackage::getRelativeName).filter(name -> !name.equals(PLATFORM)).sorted().toList();
    }

    @Test
    void theFeaturesAreDiscovered() {
        // Guards the discovery itself: an empty list would make every rule below pass vacuously.
        assertTrue(features().containsAll(List.of("account", "cart", "catalog", "order")), features()::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("features")
    void aFeatureUsesOnlyPlatformItselfAndOtherFeaturesPublicSurface(String feature) {
        DescribedPredicate<JavaClass> forbidden = internalsOfAnotherFeatureThan(feature);
        noClasses().that().resideInAPackage(BASE + "." + feature + "..")
                .should().dependOnClassesThat(forbidden)
                .because("features meet only through a Service (and its nested types), a *Problems class of problem types, "
                        + "or a *Provider port interface; anything shared by all belongs in platform")
                .check(CLASSES);
        assertEquals(List.of(), sourcesNaming(feature, forbidden),
                "these sources name another feature's internals: move what they use to that feature's Service or to platform");
    }

    @Test
    void platformDependsOnNoFeature() {
        DescribedPredicate<JavaClass> forbidden = DescribedPredicate.describe("belong to a feature",
                c -> featureOf(c) != null && !featureOf(c).equals(PLATFORM));
        noClasses().that().resideInAPackage(BASE + "." + PLATFORM + "..")
                .should().dependOnClassesThat(forbidden)
                .because("platform is shared by all features; a port it needs filled (AddressBook, SignInListener) is an interface it owns")
                .check(CLASSES);
        assertEquals(List.of(), sourcesNaming(PLATFORM, forbidden), "platform must not name a feature's classes");
    }

    /**
     * The source files of a package (subpackages included) that name a forbidden class. javac copies
     * a compile-time constant (a header name, a limit) into the class that reads it, so the bytecode
     * checked above never sees that dependency; only the source still names the class.
     */
    private static List<String> sourcesNaming(String pkg, DescribedPredicate<JavaClass> forbidden) {
        try (Stream<Path> files = Files.walk(Path.of("src/main/java", BASE.split("\\.")).resolve(pkg))) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .flatMap(f -> NAMED_CLASS.matcher(read(f)).results().map(r -> BASE + "." + r.group(1) + r.group(2)).distinct()
                            .filter(name -> CLASSES.contain(name) && forbidden.test(CLASSES.get(name)))
                            .map(name -> f.getFileName() + " names " + name))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static DescribedPredicate<JavaClass> internalsOfAnotherFeatureThan(String feature) {
        return DescribedPredicate.describe("are internals of a feature other than " + feature, c -> {
            String owner = featureOf(c);
            return owner != null && !owner.equals(feature) && !owner.equals(PLATFORM) && !isPublicSurface(c);
        });
    }

    /**
     * What a feature offers the others: its services (with their records and other nested types),
     * its problem types, so a caller can raise or recognise them, and the port interfaces a
     * deployment fills in (PaymentProvider), but never their implementations.
     */
    private static boolean isPublicSurface(JavaClass c) {
        JavaClass top = topLevel(c);
        String name = top.getSimpleName();
        return name.endsWith("Service") || name.endsWith("Problems")
                || name.endsWith("Provider") && top.isInterface() && !top.isAnnotation();
    }

    private static JavaClass topLevel(JavaClass c) {
        JavaClass top = c.getBaseComponentType();
        while (top.getEnclosingClass().isPresent()) {
            top = top.getEnclosingClass().get();
        }
        return top;
    }

    /** The package directly under com.harmony that holds c, or null for a class outside the service. */
    private static String featureOf(JavaClass c) {
        String pkg = c.getPackageName();
        if (!pkg.startsWith(BASE + ".")) {
            return null;
        }
        String rest = pkg.substring(BASE.length() + 1);
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }
}
