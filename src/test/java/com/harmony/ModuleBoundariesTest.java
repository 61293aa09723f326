package com.harmony;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Features meet only through each other's public services and never touch each other's tables. */
class ModuleBoundariesTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("com.harmony");

    @Test
    void cartAndOrderReachTheCatalogOnlyThroughCatalogService() {
        noClasses().that().resideInAnyPackage("com.harmony.cart..", "com.harmony.order..", "com.harmony.payment..")
                .should().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe("catalog classes other than CatalogService",
                        c -> c.getPackageName().equals("com.harmony.catalog") && !c.getName().startsWith("com.harmony.catalog.CatalogService")))
                .check(CLASSES);
    }

    @Test
    void orderReachesCartsOnlyThroughCartService() {
        noClasses().that().resideInAPackage("com.harmony.order..")
                .should().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe("cart classes other than CartService and CartProblems",
                        c -> c.getPackageName().equals("com.harmony.cart") && !c.getName().startsWith("com.harmony.cart.CartService")
                                && !c.getName().equals("com.harmony.cart.CartProblems") && !c.getName().equals("com.harmony.cart.CartHttpHeaders")))
                .check(CLASSES);
    }

    @Test
    void cartAndOrderSqlNeverNamesAnotherFeaturesTables() throws IOException {
        assertEquals(List.of(), filesMentioning("src/main/java/com/harmony/cart", "catalog_", "orders", "order_line"));
        assertEquals(List.of(), filesMentioning("src/main/java/com/harmony/order", "catalog_", "cart_line", "from cart"));
    }

    private static List<String> filesMentioning(String dir, String... tables) throws IOException {
        try (Stream<Path> files = Files.list(Path.of(dir))) {
            return files.filter(f -> {
                try {
                    String text = Files.readString(f);
                    return Stream.of(tables).anyMatch(text::contains);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).map(Path::toString).toList();
        }
    }
}
