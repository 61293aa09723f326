package com.harmony.platform;

import com.harmony.MailServer;
import io.quarkus.test.common.QuarkusTestResource;

/** Starts the SMTP server once for the whole test run (every @QuarkusTest shares the application). */
@QuarkusTestResource(MailServer.class)
public class TestProfileResources {
}
