package com.harmony.platform;

import io.smallrye.mutiny.Uni;
import java.util.Optional;
import java.util.UUID;

/** Read access to an account's saved addresses, for features (checkout) that ship to one. */
public interface AddressBook {

    /** The address, if it exists and belongs to that account. */
    Uni<Optional<PostalAddress>> find(UUID accountId, UUID addressId);
}
