package com.harmony.platform;

import io.smallrye.mutiny.Uni;
import java.util.UUID;

/** Grants and takes back roles of an account, for features whose decisions change what someone may do (an approved affiliate). */
public interface AccountRoles {

    Uni<Void> grant(UUID accountId, String role);

    Uni<Void> revoke(UUID accountId, String role);
}
