package com.harmony.account;

import static com.harmony.AuthFixtures.PASSWORD;
import static com.harmony.AuthFixtures.register;
import static com.harmony.AuthFixtures.signIn;
import static com.harmony.AuthFixtures.uniqueEmail;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures.SignedIn;
import com.harmony.MailServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Password reset and email change by single-use links sent through a real SMTP server (P25). */
@QuarkusTest
class EmailedTokensTest {

    private static final String PROBLEMS = "https://harmony.example/problems/";

    /** Asks for an email change with the right password and answers the token of the link mailed to the new address. */
    private static String emailChangeLink(SignedIn me, String newEmail) {
        given().auth().oauth2(me.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("new_email", newEmail, "current_password", PASSWORD)).post("/v1/me/email").then().statusCode(202);
        return MailServer.tokenIn(MailServer.linkMessageTo(newEmail));
    }

    @Test
    void P25_aResetLinkIsEmailed_worksOnce_andEndsEverySession() {
        String email = uniqueEmail();
        register(email);
        SignedIn before = signIn(email, PASSWORD);
        given().contentType(ContentType.JSON).body(Map.of("email", email)).post("/v1/auth/password-reset").then().statusCode(202);
        String body = MailServer.linkMessageTo(email);
        assertFalse(body.contains(PASSWORD), "the email never holds a password");
        String token = MailServer.tokenIn(body);

        given().contentType(ContentType.JSON).body(Map.of("token", token, "new_password", "freshly reset passphrase"))
                .post("/v1/auth/password-reset/confirm").then().statusCode(204);
        given().auth().oauth2(before.accessToken()).get("/v1/me").then().statusCode(401);
        signIn(email, "freshly reset passphrase");
        given().contentType(ContentType.JSON).body(Map.of("token", token, "new_password", "another passphrase here"))
                .post("/v1/auth/password-reset/confirm").then().statusCode(400).body("type", equalTo(PROBLEMS + "invalid-token"));
    }

    @Test
    void P25_resetForAnUnknownEmailAnswersTheSameAndSendsNothing() {
        String nobody = uniqueEmail();
        given().contentType(ContentType.JSON).body(Map.of("email", nobody)).post("/v1/auth/password-reset").then().statusCode(202);
        String known = uniqueEmail();
        register(known);
        given().contentType(ContentType.JSON).body(Map.of("email", known)).post("/v1/auth/password-reset").then().statusCode(202);
        MailServer.linkMessageTo(known);
        assertEquals(0, MailServer.messagesTo(nobody));
    }

    @Test
    void resetTokensThatWereNeverIssuedAreRefused() {
        given().contentType(ContentType.JSON).body(Map.of("token", "made-up-token", "new_password", "whatever passphrase"))
                .post("/v1/auth/password-reset/confirm").then().statusCode(400).body("type", equalTo(PROBLEMS + "invalid-token"));
    }

    @Test
    void P10_P29_changingTheEmailNeedsThePasswordAndALinkSentToTheNewAddress() {
        String email = uniqueEmail();
        register(email);
        SignedIn me = signIn(email, PASSWORD);
        String newEmail = uniqueEmail();
        given().auth().oauth2(me.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("new_email", newEmail, "current_password", "not my password"))
                .post("/v1/me/email").then().statusCode(400);
        given().auth().oauth2(me.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("new_email", newEmail, "current_password", PASSWORD))
                .post("/v1/me/email").then().statusCode(202);
        // nothing changes until the link is followed
        given().auth().oauth2(me.accessToken()).get("/v1/me").then().body("email", equalTo(email));
        String token = MailServer.tokenIn(MailServer.linkMessageTo(newEmail));
        given().contentType(ContentType.JSON).body(Map.of("token", token)).post("/v1/auth/email-change/confirm").then().statusCode(204);
        SignedIn again = signIn(newEmail, PASSWORD);
        given().auth().oauth2(again.accessToken()).get("/v1/me").then().body("email", equalTo(newEmail));
        assertTrue(MailServer.messagesTo(newEmail) >= 1);
    }

    /**
     * An address registered by someone else between the link and its use: 409, and the link is not spent by a change
     * that was not made (it and the address change happen in one transaction), nor are the account's sessions ended.
     */
    @Test
    void P25_anEmailChangeToAnAddressTakenMeanwhile_is409_andSpendsNothing() {
        String email = uniqueEmail();
        register(email);
        SignedIn me = signIn(email, PASSWORD);
        String newEmail = uniqueEmail();
        String token = emailChangeLink(me, newEmail);
        register(newEmail);
        for (int i = 0; i < 2; i++) {
            given().contentType(ContentType.JSON).body(Map.of("token", token)).post("/v1/auth/email-change/confirm").then().statusCode(409)
                    .body("type", equalTo(PROBLEMS + "email-taken"));
        }
        given().auth().oauth2(me.accessToken()).get("/v1/me").then().statusCode(200).body("email", equalTo(email));
    }

    @Test
    void confirmingAnEmailChange_voidsOlderLinks_signsOutEverySession_andTellsTheOldAddress() {
        String email = uniqueEmail();
        register(email);
        SignedIn me = signIn(email, PASSWORD);
        SignedIn otherDevice = signIn(email, PASSWORD);
        // a reset link mailed to the old address before the change
        given().contentType(ContentType.JSON).body(Map.of("email", email)).post("/v1/auth/password-reset").then().statusCode(202);
        String resetToken = MailServer.tokenIn(MailServer.linkMessageTo(email));
        String newEmail = uniqueEmail();
        String changeToken = emailChangeLink(me, newEmail);
        given().contentType(ContentType.JSON).body(Map.of("token", changeToken)).post("/v1/auth/email-change/confirm").then().statusCode(204);

        given().contentType(ContentType.JSON).body(Map.of("token", resetToken, "new_password", "someone else's passphrase"))
                .post("/v1/auth/password-reset/confirm").then().statusCode(400).body("type", equalTo(PROBLEMS + "invalid-token"));
        given().auth().oauth2(me.accessToken()).get("/v1/me").then().statusCode(401);
        given().auth().oauth2(otherDevice.accessToken()).get("/v1/me").then().statusCode(401);
        String notice = MailServer.messageTo(email, "email address was changed");
        assertFalse(notice.contains(newEmail), "the old mailbox is told of the change without being handed the new address");
        signIn(newEmail, PASSWORD);
    }

    @Test
    void P25_aResetLinkIsNotUsedUpByAPasswordTheRulesRefuse() {
        String email = uniqueEmail();
        register(email);
        given().contentType(ContentType.JSON).body(Map.of("email", email)).post("/v1/auth/password-reset").then().statusCode(202);
        String token = MailServer.tokenIn(MailServer.linkMessageTo(email));
        given().contentType(ContentType.JSON).body(Map.of("token", token, "new_password", "short"))
                .post("/v1/auth/password-reset/confirm").then().statusCode(400).body("type", equalTo(PROBLEMS + "weak-password"));
        given().contentType(ContentType.JSON).body(Map.of("token", token, "new_password", "a perfectly fine passphrase"))
                .post("/v1/auth/password-reset/confirm").then().statusCode(204);
        signIn(email, "a perfectly fine passphrase");
    }

    @Test
    void P24_resetMailsAreLimitedPerAddress_soNobodyCanMailBombAnInbox() {
        String email = uniqueEmail();
        register(email);
        for (int i = 0; i < 3; i++) {
            given().contentType(ContentType.JSON).header("X-Forwarded-For", com.harmony.AuthFixtures.randomClient())
                    .body(Map.of("email", email)).post("/v1/auth/password-reset").then().statusCode(202);
        }
        given().contentType(ContentType.JSON).header("X-Forwarded-For", com.harmony.AuthFixtures.randomClient())
                .body(Map.of("email", email)).post("/v1/auth/password-reset").then().statusCode(429)
                .body("type", equalTo(PROBLEMS + "rate-limited")).header("Retry-After", org.hamcrest.Matchers.notNullValue());
        // an address without an account is counted the same way, so the limit tells nothing
        String nobody = uniqueEmail();
        for (int i = 0; i < 3; i++) {
            given().contentType(ContentType.JSON).header("X-Forwarded-For", com.harmony.AuthFixtures.randomClient())
                    .body(Map.of("email", nobody)).post("/v1/auth/password-reset").then().statusCode(202);
        }
        given().contentType(ContentType.JSON).header("X-Forwarded-For", com.harmony.AuthFixtures.randomClient())
                .body(Map.of("email", nobody)).post("/v1/auth/password-reset").then().statusCode(429);
    }

    @Test
    void P24_wrongCurrentPasswordsAreThrottled_evenForPasswordAndEmailChanges() {
        SignedIn me = com.harmony.AuthFixtures.customer();
        for (int i = 0; i < 5; i++) {
            given().auth().oauth2(me.accessToken()).contentType(ContentType.JSON)
                    .body(Map.of("current_password", "guess " + i, "new_password", "a brand new passphrase"))
                    .post("/v1/me/password").then().statusCode(400);
        }
        given().auth().oauth2(me.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("new_email", uniqueEmail(), "current_password", "guess 6"))
                .post("/v1/me/email").then().statusCode(429).body("type", equalTo(PROBLEMS + "sign-in-throttled"));
        given().auth().oauth2(me.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("current_password", PASSWORD, "new_password", "a brand new passphrase"))
                .post("/v1/me/password").then().statusCode(429);
    }

    @Test
    void P25_aPasswordResetVoidsAPendingEmailChange() {
        String email = uniqueEmail();
        register(email);
        SignedIn me = signIn(email, PASSWORD);
        String attackersEmail = uniqueEmail();
        String changeToken = emailChangeLink(me, attackersEmail);
        given().contentType(ContentType.JSON).body(Map.of("email", email)).post("/v1/auth/password-reset").then().statusCode(202);
        String resetToken = MailServer.tokenIn(MailServer.linkMessageTo(email));
        given().contentType(ContentType.JSON).body(Map.of("token", resetToken, "new_password", "owner takes it back"))
                .post("/v1/auth/password-reset/confirm").then().statusCode(204);
        given().contentType(ContentType.JSON).body(Map.of("token", changeToken)).post("/v1/auth/email-change/confirm")
                .then().statusCode(400).body("type", equalTo(PROBLEMS + "invalid-token"));
        signIn(email, "owner takes it back");
    }

    @Test
    void P25_twoEmailChangeLinksUsedAtTheSameMoment_oneActs_theOtherIsVoid() throws Exception {
        String email = uniqueEmail();
        register(email);
        SignedIn me = signIn(email, PASSWORD);
        String first = uniqueEmail();
        String second = uniqueEmail();
        for (String to : List.of(first, second)) {
            given().auth().oauth2(me.accessToken()).contentType(ContentType.JSON)
                    .body(Map.of("new_email", to, "current_password", PASSWORD)).post("/v1/me/email").then().statusCode(202);
        }
        List<String> tokens = List.of(MailServer.tokenIn(MailServer.linkMessageTo(first)), MailServer.tokenIn(MailServer.linkMessageTo(second)));
        List<Integer> answers = atOnce(tokens, token -> given().contentType(ContentType.JSON).body(Map.of("token", token))
                .post("/v1/auth/email-change/confirm").statusCode());
        assertEquals(List.of(204, 400), answers.stream().sorted().toList(), "one link acts, the other was voided by it");
        signIn(answers.get(0) == 204 ? first : second, PASSWORD);
    }

    @Test
    void P25_twoResetLinksUsedAtTheSameMoment_oneActs_andThePasswordItSetIsTheOneThatWorks() throws Exception {
        String email = uniqueEmail();
        register(email);
        String subject = "Reset your Harmony password";
        given().contentType(ContentType.JSON).body(Map.of("email", email)).post("/v1/auth/password-reset").then().statusCode(202);
        String firstToken = MailServer.tokenIn(MailServer.linkMessageTo(email));
        given().contentType(ContentType.JSON).body(Map.of("email", email)).post("/v1/auth/password-reset").then().statusCode(202);
        String secondToken = MailServer.tokenIn(MailServer.nextMessageTo(email, subject, 1));
        Map<String, String> passwords = Map.of(firstToken, "first fresh passphrase", secondToken, "second fresh passphrase");
        List<String> tokens = List.of(firstToken, secondToken);
        List<Integer> answers = atOnce(tokens, token -> given().contentType(ContentType.JSON)
                .body(Map.of("token", token, "new_password", passwords.get(token))).post("/v1/auth/password-reset/confirm").statusCode());
        assertEquals(List.of(204, 400), answers.stream().sorted().toList(), "one link acts, the other was voided by it");
        signIn(email, passwords.get(tokens.get(answers.get(0) == 204 ? 0 : 1)));
    }

    /** Runs the call for each item at the same moment on its own thread; answers in the order of the items. */
    private static <T> List<Integer> atOnce(List<T> items, java.util.function.Function<T, Integer> call) throws Exception {
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(items.size());
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        try {
            List<java.util.concurrent.Future<Integer>> futures = new java.util.ArrayList<>();
            for (T item : items) {
                futures.add(threads.submit(() -> {
                    start.await();
                    return call.apply(item);
                }));
            }
            start.countDown();
            List<Integer> answers = new java.util.ArrayList<>();
            for (java.util.concurrent.Future<Integer> f : futures) {
                answers.add(f.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void P24_changingToAnEmailInUseAnswersLikeAFreeOne_andItsOwnerGetsANoticeNotALink() {
        String taken = uniqueEmail();
        register(taken);
        SignedIn me = com.harmony.AuthFixtures.customer();
        given().auth().oauth2(me.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("new_email", taken, "current_password", PASSWORD))
                .post("/v1/me/email").then().statusCode(202);
        String notice = MailServer.messageTo(taken, "Someone tried to use your email address");
        assertFalse(notice.contains("token="), "no link that could move the address");
        assertTrue(notice.contains("change that account's email address"), "it says what was tried: " + notice);
        given().auth().oauth2(me.accessToken()).get("/v1/me").then().body("email", equalTo(me.email()));
    }
}
