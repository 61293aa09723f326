package com.harmony.account;

import io.smallrye.config.ConfigMapping;

/** The privacy statement in force: every consent records the version it was given under (P30). */
@ConfigMapping(prefix = "harmony.privacy")
interface PrivacyPolicyConfig {

    /** The version of the privacy statement in force. */
    String policyVersion();
}
