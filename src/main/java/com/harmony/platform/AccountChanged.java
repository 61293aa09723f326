package com.harmony.platform;

import java.util.UUID;

/**
 * A CDI event: what an account's own view shows changed on this instance (its consents), so caches of
 * it here drop it at once. Other instances hear of it from PostgreSQL when the change commits.
 */
public record AccountChanged(UUID accountId) {
}
