package com.harmony.consent;

import com.harmony.consent.ConsentService.Purpose;
import com.harmony.consent.ConsentService.State;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What the consent operations answer and accept. */
final class ConsentViews {

    private ConsentViews() {
    }

    static final String PURPOSES = "marketing_email, marketing_postal_mail, marketing_phone, partner_sharing, personalisation, analytics, affiliate_attribution";

    @Schema(name = "Consent", description = "The current state of one purpose: the newest recorded choice, or not given when never asked")
    record ConsentView(
            @Schema(enumeration = {"marketing_email", "marketing_postal_mail", "marketing_phone", "partner_sharing", "personalisation",
                    "analytics", "affiliate_attribution"}) String purpose,
            boolean granted,
            @Schema(description = "Where the choice was made; null when never asked", nullable = true,
                    enumeration = {"registration", "account_page", "cookie_banner", "survey", "contest", "unsubscribe_link", "gpc", "dnt",
                            "admin", "sign_in"}) String source,
            @Schema(description = "The privacy statement (or, for cookies, cookie policy) version in force when it was given", nullable = true)
            String policyVersion,
            @Schema(nullable = true) String recordedAt) {

        static ConsentView of(State s) {
            return new ConsentView(s.purpose().wire(), s.granted(), s.source(), s.policyVersion(), s.recordedAt());
        }
    }

    @Schema(name = "Consents", description = "Every purpose with its current state")
    record ConsentsView(List<ConsentView> consents) {

        static ConsentsView of(List<State> states) {
            return new ConsentsView(states.stream().map(ConsentView::of).toList());
        }
    }

    @Schema(name = "ConsentHistoryEntry", description = "One recorded choice")
    record HistoryEntry(String purpose, boolean granted, String source, String policyVersion, String recordedAt) {
    }

    @Schema(name = "ConsentHistory")
    record HistoryPage(List<HistoryEntry> data, boolean hasMore, @Schema(nullable = true) String nextCursor) {
    }

    @Schema(name = "ConsentChanges", description = "The purposes to change; absent ones stay as they are. Only real changes are recorded. "
            + "affiliate_attribution only where the affiliate cookie is configured optional (AFFILIATE_COOKIE).",
            examples = "{\"marketing_email\": true, \"marketing_postal_mail\": false, \"marketing_phone\": false, \"partner_sharing\": false, \"personalisation\": true, \"analytics\": true}")
    record ConsentChanges(Boolean marketingEmail, Boolean marketingPostalMail, Boolean marketingPhone, Boolean partnerSharing,
            Boolean personalisation, Boolean analytics, Boolean affiliateAttribution) {

        Map<Purpose, Boolean> choices() {
            Map<Purpose, Boolean> m = new EnumMap<>(Purpose.class);
            put(m, Purpose.MARKETING_EMAIL, marketingEmail);
            put(m, Purpose.MARKETING_POSTAL_MAIL, marketingPostalMail);
            put(m, Purpose.MARKETING_PHONE, marketingPhone);
            put(m, Purpose.PARTNER_SHARING, partnerSharing);
            put(m, Purpose.PERSONALISATION, personalisation);
            put(m, Purpose.ANALYTICS, analytics);
            put(m, Purpose.AFFILIATE_ATTRIBUTION, affiliateAttribution);
            return m;
        }

        private static void put(Map<Purpose, Boolean> m, Purpose p, Boolean v) {
            if (v != null) {
                m.put(p, v);
            }
        }
    }

    @Schema(name = "CookiePreferences", description = "Cookie categories (C1): necessary cookies are always on; the optional ones are off until chosen")
    record CookiePreferencesView(
            @Schema(description = "Always true: sign-in, cart, CSRF and visitor cookies") boolean necessary,
            boolean analytics,
            @Schema(description = "The affiliate referral cookie; always true where it is configured necessary") boolean affiliateAttribution,
            @Schema(description = "The categories a visitor may turn off here") List<String> optional,
            @Schema(description = "When the visitor or account last chose; null before any choice", nullable = true) String decidedAt,
            @Schema(description = "The cookie policy version the choice was made under", nullable = true) String policyVersion,
            @Schema(description = "Whose choice this is: account once signed in, visitor before, none when neither is known",
                    enumeration = {"account", "visitor", "none"}) String subject) {
    }

    @Schema(name = "CookiePreferencesRequest", examples = "{\"analytics\": true}")
    record CookiePreferencesRequest(@Schema(examples = "true") Boolean analytics,
            @Schema(description = "Only where the affiliate cookie is configured optional") Boolean affiliateAttribution) {
    }

    @Schema(name = "Unsubscribe", description = "What an unsubscribe link withdraws, and whether it stands withdrawn")
    record UnsubscribeView(@Schema(examples = "marketing_email") String purpose, boolean granted) {
    }
}
