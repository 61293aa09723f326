package com.harmony.partner;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fixed list of scopes an admin may grant a partner client. A token's scopes are also its groups,
 * so {@code @RolesAllowed("orders:read")} protects a partner operation; {@link #PARTNER} marks every
 * partner token, and no account role contains a colon, so a scope can never pass for a staff role.
 */
final class PartnerScopes {

    static final String CATALOG_READ = "catalog:read";
    static final String ORDERS_READ = "orders:read";
    static final String WEBHOOKS_MANAGE = "webhooks:manage";
    static final String AUDIENCE_READ = "audience:read";
    static final String PRIVACY_NOTICES = "privacy:notices";

    /** The group every partner token carries besides its scopes. */
    static final String PARTNER = "partner";

    /** The claim naming the partner client (also the subject); account tokens never carry it. */
    static final String CLIENT_CLAIM = com.harmony.platform.SessionIds.CLIENT_CLAIM;

    static final Map<String, String> ALL = descriptions();

    private PartnerScopes() {
    }

    private static Map<String, String> descriptions() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(CATALOG_READ, "Read the catalog; subscribe to product.changed and stock.changed");
        m.put(ORDERS_READ, "Read orders without the buyer's contact data; subscribe to order and return events");
        m.put(WEBHOOKS_MANAGE, "Manage the client's own webhook subscriptions, see their deliveries and replay them");
        m.put(AUDIENCE_READ, "Reserved for the partner audience (P18); grants no operation to partner tokens yet");
        m.put(PRIVACY_NOTICES, "Receive privacy.erasure-notice events as a processor");
        return m;
    }
}
