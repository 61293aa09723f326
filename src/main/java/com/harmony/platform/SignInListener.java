package com.harmony.platform;

import io.smallrye.mutiny.Uni;
import java.util.UUID;

/**
 * Told when someone signs in or registers, so other features can attach what the person did before
 * (the cart module merges the guest cart; the visitor module maps the browser to the account, P11).
 * Implementations must not fail the sign-in for their own errors.
 */
public interface SignInListener {

    /** What the client presented from before it had an account: a guest cart token and a visitor token, each possibly null. */
    record Guest(String cartToken, String visitorToken) {
    }

    Uni<Void> onSignIn(UUID accountId, Guest guest);

    /** A new account was created by a client holding this visitor token (possibly null). */
    default Uni<Void> onRegistered(UUID accountId, String visitorToken) {
        return Uni.createFrom().voidItem();
    }
}
