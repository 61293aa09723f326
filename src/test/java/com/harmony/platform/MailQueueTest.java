package com.harmony.platform;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import com.harmony.AuthFixtures.SignedIn;
import com.harmony.MailServer;
import com.harmony.legal.LegalFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * SMTP down (#14): every email a request causes waits in the mail queue, sealed, and goes out once
 * the mail server is back: nothing lost, nothing sent twice, the request never held up or failed.
 */
@QuarkusTest
class MailQueueTest {

    @Inject
    Pool pool;
    @Inject
    MailQueue mails;
    @Inject
    io.quarkus.scheduler.Scheduler scheduler;

    @Test
    void smtpDown_requestsStillAnswer_theirEmailsWaitSealed_andEachIsSentOnceWhenTheServerIsBack() {
        String resetEmail = AuthFixtures.uniqueEmail();
        String resetAccount = AuthFixtures.register(resetEmail);
        SignedIn privacy = AuthFixtures.customer();
        String newEmail = AuthFixtures.uniqueEmail();
        String complainant = AuthFixtures.uniqueEmail();

        MailServer.down();
        try {
            long started = System.nanoTime();
            AuthFixtures.submitRegistration(newEmail);
            given().header("X-Forwarded-For", AuthFixtures.randomClient()).contentType(ContentType.JSON).body(Map.of("email", resetEmail))
                    .post("/v1/auth/password-reset").then().statusCode(202);
            given().header("X-Forwarded-For", AuthFixtures.randomClient()).auth().oauth2(privacy.accessToken()).contentType(ContentType.JSON)
                    .body(Map.of("kind", "export")).post("/v1/privacy-requests").then().statusCode(202);
            given().header("X-Forwarded-For", AuthFixtures.randomClient()).contentType(ContentType.JSON).body(LegalFixtures.notice(complainant))
                    .post("/v1/copyright-notices").then().statusCode(202);
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 5, "a mail server that is down holds up no request");

            // the attempt is counted when a round claims the row, its error written after SMTP refuses: wait for the error
            waitUntil(() -> count("select count(*) from mail_queue where account_id = $1::uuid and last_error is not null", resetAccount) == 1,
                    "the reset mail was tried while the server was down");
            for (String address : List.of(newEmail, resetEmail, privacy.email(), complainant)) {
                assertEquals(0L, count("select count(*) from mail_queue where position(convert_to($1, 'UTF8') in sealed) > 0", address),
                        "no queued message shows its address in clear");
            }
            assertTrue(attemptsFor(resetAccount) >= 1, "the failed attempt is counted, the message kept");
        } finally {
            MailServer.up();
        }

        String token = MailServer.tokenIn(MailServer.linkMessageTo(resetEmail));
        MailServer.messageTo(newEmail, "Welcome to Harmony");
        MailServer.tokenIn(MailServer.nextMessageTo(privacy.email(), "Confirm your privacy request", 0));
        MailServer.messageTo(complainant, "We received your copyright notice");

        // the link mailed late still works
        given().contentType(ContentType.JSON).body(Map.of("token", token, "new_password", "reset after the outage"))
                .post("/v1/auth/password-reset/confirm").then().statusCode(204);
        AuthFixtures.signIn(resetEmail, "reset after the outage");

        for (int i = 0; i < 3; i++) {
            mails.sendDue().await().atMost(Duration.ofSeconds(30));
        }
        assertEquals(1, MailServer.messagesTo(resetEmail, "Reset your Harmony password"), "sent once");
        assertEquals(1, MailServer.messagesTo(newEmail, "Welcome to Harmony"), "sent once");
        assertEquals(1, MailServer.messagesTo(privacy.email(), "Confirm your privacy request"), "sent once");
        assertEquals(1, MailServer.messagesTo(complainant, "We received your copyright notice"), "sent once");
        assertEquals(0L, count("select count(*) from mail_queue where account_id in ($1::uuid, $2::uuid)", resetAccount, privacy.accountId()),
                "a sent message is deleted");
    }

    @Test
    void aBacklogOfSeveralBatches_goesOutInOnePoll() {
        // the test profile's own poll (every second) would send them too: held while this test plays it
        String job = scheduler.getScheduledJobs().stream().filter(t -> t.getMethodDescription().endsWith("MailQueue#poll"))
                .findFirst().orElseThrow().getId();
        scheduler.pause(job);
        try {
            List<String> emails = new ArrayList<>();
            for (int i = 0; i < 45; i++) { // more than two batches of 20, queued as an outage leaves them
                String email = AuthFixtures.uniqueEmail();
                mails.queue(pool, null, MailQueue.Message.text(email, "Backlog " + i, "Queued while the mail server was away."))
                        .await().atMost(Duration.ofSeconds(10));
                emails.add(email);
            }

            mails.drainDue().await().atMost(Duration.ofSeconds(60));

            for (String email : emails) {
                assertEquals(1, MailServer.messagesTo(email, "Backlog"), "sent once, in the first poll: " + email);
            }
        } finally {
            scheduler.resume(job);
        }
    }

    @Test
    void senders_onEveryInstance_atOnce_sendEachQueuedEmailExactlyOnce_withAStableMessageId() throws Exception {
        List<String> emails = new ArrayList<>();
        MailServer.down();
        try {
            for (int i = 0; i < 12; i++) {
                String email = AuthFixtures.uniqueEmail();
                AuthFixtures.submitRegistration(email);
                emails.add(email);
            }
        } finally {
            MailServer.up();
        }
        // time passes: every queued message is due again, and four senders (as on four instances) compete for them
        pool.query("update mail_queue set next_attempt_at = now()").execute().await().atMost(Duration.ofSeconds(10));
        ExecutorService senders = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> rounds = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                rounds.add(senders.submit(() -> mails.sendDue().await().atMost(Duration.ofSeconds(30))));
            }
            for (Future<Integer> r : rounds) {
                r.get();
            }
        } finally {
            senders.shutdown();
        }
        for (String email : emails) {
            MailServer.messageTo(email, "Welcome to Harmony");
        }
        for (int i = 0; i < 2; i++) {
            mails.sendDue().await().atMost(Duration.ofSeconds(30));
        }
        for (String email : emails) {
            assertEquals(1, MailServer.messagesTo(email, "Welcome to Harmony"), "one welcome for " + email);
            MimeMessage m = MailServer.fullMessageTo(email, "Welcome to Harmony");
            assertTrue(m.getMessageID().endsWith("@mail-queue.harmony>"), "a resend would carry the same Message-ID: " + m.getMessageID());
        }
    }

    private long attemptsFor(String account) {
        return count("select coalesce(max(attempts), 0) from mail_queue where account_id = $1::uuid", account);
    }

    private long count(String sql, Object... params) {
        return pool.preparedQuery(sql).execute(Tuple.from(params)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
