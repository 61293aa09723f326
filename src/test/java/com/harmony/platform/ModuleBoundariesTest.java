package com.harmony.platform;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Features meet only through platform contracts and public services, never through each other's internals. */
class ModuleBoundariesTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("com.harmony");

    @Test
    void platformDependsOnNoFeature() {
        noClasses().that().resideInAPackage("com.harmony.platform..")
                .should().dependOnClassesThat().resideInAnyPackage("com.harmony.catalog..", "com.harmony.account..",
                        "com.harmony.cart..", "com.harmony.order..", "com.harmony.payment..")
                .check(CLASSES);
    }

    @Test
    void catalogKnowsNothingOfAccounts() {
        noClasses().that().resideInAPackage("com.harmony.catalog..")
                .should().dependOnClassesThat().resideInAnyPackage("com.harmony.account..")
                .check(CLASSES);
    }

    @Test
    void accountsKnowNothingOfTheCatalog() {
        noClasses().that().resideInAPackage("com.harmony.account..")
                .should().dependOnClassesThat().resideInAnyPackage("com.harmony.catalog..")
                .check(CLASSES);
    }
}
