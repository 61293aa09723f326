package com.harmony.platform;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import java.util.UUID;

/**
 * Attributes a new order to the affiliate whose link brought the buyer (P11, P12). Checkout calls it
 * with what the client presented; the affiliate feature implements it. Never fails the checkout.
 */
public interface ReferralAttribution {

    /** The first-party cookie a referral visit sets (affiliate id and visit id); apps send the value in the header. */
    String COOKIE = "harmony_affiliate";
    String HEADER = "X-Affiliate-Referral";

    /** What the buyer's client presented at checkout: the referral value, the visitor token and its address. */
    record Referral(String referral, String visitorToken, String buyerIp) {

        public static Referral of(HttpServerRequest request, String buyerIp) {
            String header = request.getHeader(HEADER);
            Cookie cookie = request.getCookie(COOKIE);
            String referral = header != null && !header.isBlank() ? header.strip() : cookie == null ? null : cookie.getValue();
            return new Referral(referral, VisitorToken.of(request), buyerIp);
        }
    }

    Uni<Void> attribute(UUID orderId, UUID buyerAccountId, Referral referral);
}
