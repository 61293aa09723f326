package com.harmony.platform;

import io.smallrye.mutiny.Uni;
import java.util.UUID;

/**
 * Told when someone signs in, so other features can attach what the visitor did as a guest (the
 * cart module merges the guest cart). Implementations must not fail the sign-in for their own errors.
 */
public interface SignInListener {

    /** @param guestCartToken the cart token the client presented at sign-in (cookie or body), or null */
    Uni<Void> onSignIn(UUID accountId, String guestCartToken);
}
