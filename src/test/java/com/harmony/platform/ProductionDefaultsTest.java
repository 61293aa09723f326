package com.harmony.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.LaunchMode;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What application.properties gives each profile when the environment sets nothing: production must
 * start locked down (operators open what they need), dev stays convenient.
 */
class ProductionDefaultsTest {

    private static SmallRyeConfig profile(String profile) throws IOException {
        return new SmallRyeConfigBuilder().withProfile(profile).addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(ProductionDefaultsTest.class.getResource("/application.properties"), 250))
                .build();
    }

    @Test
    void productionAllowsNoCorsOriginUntilConfigured_devAllowsTheLocalSpaServers() throws IOException {
        assertTrue(profile("prod").getOptionalValues("quarkus.http.cors.origins", String.class).isEmpty());
        assertEquals(List.of("http://localhost:3000", "http://localhost:5173"),
                profile("dev").getValues("quarkus.http.cors.origins", String.class));
    }

    @Test
    void productionHasNoSecretKeyOfItsOwn_andRefusesToStartWithoutOne() throws IOException {
        assertTrue(profile("prod").getOptionalValue("harmony.security.secret-key", String.class).isEmpty());
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> ServerKey.secret(Optional.empty(), LaunchMode.NORMAL));
        assertTrue(refused.getMessage().contains("SECRET_KEY"), refused.getMessage());
        assertThrows(IllegalStateException.class, () -> ServerKey.secret(Optional.of("too short"), LaunchMode.NORMAL));
        assertEquals(32, ServerKey.secret(Optional.empty(), LaunchMode.TEST).length, "tests make one up");
    }

    @Test
    void productionCookiesAreSecure_andHealthMetricsAndUiAreOnTheManagementPort() throws IOException {
        assertTrue(profile("prod").getValue("harmony.security.secure-cookies", Boolean.class));
        assertTrue(profile("prod").getValue("quarkus.management.enabled", Boolean.class));
        assertEquals(9000, profile("prod").getValue("quarkus.management.port", Integer.class));
    }
}
