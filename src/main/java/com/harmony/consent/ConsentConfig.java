package com.harmony.consent;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What the consent feature honours beyond what a person sets by hand (P23, C1), and where its links lead. */
@ConfigMapping(prefix = "harmony.consent")
interface ConsentConfig {

    /** The privacy statement and cookie policy version consents record while none is published through the API (P30). */
    String fallbackPolicyVersion();

    /** What Sec-GPC: 1 does: opt_out (of partner sharing and analytics) or ignore. */
    @WithDefault("opt_out")
    SignalRule gpc();

    /** What DNT: 1 does: ignore (the policy's own text, P23) or opt_out like GPC. */
    @WithDefault("ignore")
    SignalRule dnt();

    /** Whether the affiliate cookie is necessary (always set) or optional (set only with the visitor's consent). */
    @WithDefault("necessary")
    Category affiliateAttribution();

    /** The page a marketing email's unsubscribe link opens (?token=… is appended); RFC 8058 one-click posts to the API itself. */
    String unsubscribePage();

    /** The API's public base URL, for the List-Unsubscribe header. */
    String publicBaseUrl();

    enum SignalRule {
        opt_out, ignore
    }

    enum Category {
        necessary, optional
    }
}
