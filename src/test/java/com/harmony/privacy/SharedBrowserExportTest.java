package com.harmony.privacy;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import com.harmony.AuthFixtures.SignedIn;
import com.harmony.platform.OutboxWorker;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A browser stays linked to the first account that signed in on it, and an export covers that account's
 * browsers. On a shared computer another account may have used the same browser since: what it sent there
 * is its own, and never appears in the first account's export (P29).
 */
@QuarkusTest
@io.quarkus.test.common.QuarkusTestResource(com.harmony.MailServer.class)
class SharedBrowserExportTest {

    @Inject
    RequestProcessor processor;
    @Inject
    OutboxWorker outbox;

    /** A page view sent signed in from the browser: it names both the account and the browser. */
    private static void pageView(SignedIn who, String browser, String path) {
        given().auth().oauth2(who.accessToken()).contentType(ContentType.JSON).body(Map.of("analytics", true)).patch("/v1/me/consents")
                .then().statusCode(200);
        given().auth().oauth2(who.accessToken()).header("X-Visitor-Token", browser).header("X-Forwarded-For", AuthFixtures.randomClient())
                .header("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36")
                .contentType(ContentType.JSON).body(Map.of("path", path)).post("/v1/page-views").then().statusCode(204);
    }

    private static SignedIn signInOn(String browser) {
        SignedIn who = AuthFixtures.customer();
        given().contentType(ContentType.JSON).header("X-Visitor-Token", browser)
                .body(Map.of("email", who.email(), "password", AuthFixtures.PASSWORD)).post("/v1/auth/sign-in").then().statusCode(200);
        return who;
    }

    @Test
    void P29_anExportLeavesOutWhatAnotherAccountSentFromTheSameBrowser() {
        String browser = given().header("X-Forwarded-For", AuthFixtures.randomClient()).post("/v1/visitors").then().statusCode(201)
                .extract().path("token");
        SignedIn ada = signInOn(browser); // the browser is Ada's from now on
        SignedIn bob = signInOn(browser);
        String adas = "/ada/" + UUID.randomUUID();
        String bobs = "/bob/" + UUID.randomUUID();
        pageView(ada, browser, adas);
        pageView(bob, browser, bobs);

        String id = PrivacyProcessingTest.confirmedRequest(ada, Map.of("kind", "export"));
        PrivacyProcessingTest.processAndPublish(processor, outbox);
        String document = given().auth().oauth2(ada.accessToken()).get("/v1/me/privacy-requests/" + id + "/document").then().statusCode(200)
                .extract().asString();
        assertTrue(document.contains(adas), "her own page view is in her export");
        assertFalse(document.contains(bobs), "another account's page view from the same browser is not");
    }
}
