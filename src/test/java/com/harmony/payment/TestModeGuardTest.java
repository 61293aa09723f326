package com.harmony.payment;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Production refuses the test-mode provider unless it is explicitly allowed (dev and test profiles do not require a real one). */
class TestModeGuardTest {

    @Test
    void productionRefusesToStartWithTheTestModeProvider() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TestModeGuard.check(true, true, false));
        assertTrue(e.getMessage().contains("PAYMENTS_ALLOW_TEST_MODE"));
    }

    @Test
    void anExplicitAllowanceLetsItStart_andARealProviderNeedsNone() {
        assertDoesNotThrow(() -> TestModeGuard.check(true, true, true));
        assertDoesNotThrow(() -> TestModeGuard.check(false, true, false));
        assertDoesNotThrow(() -> TestModeGuard.check(true, false, false));
    }
}
