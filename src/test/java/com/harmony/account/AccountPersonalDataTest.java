package com.harmony.account;

import static com.harmony.PersonalDataChecks.count;
import static com.harmony.PersonalDataChecks.erase;
import static com.harmony.PersonalDataChecks.execute;
import static com.harmony.PersonalDataChecks.export;
import static com.harmony.PersonalDataChecks.exported;
import static com.harmony.PersonalDataChecks.find;
import static com.harmony.PersonalDataChecks.inTransaction;
import static com.harmony.PersonalDataChecks.purge;
import static com.harmony.PersonalDataChecks.purged;
import static com.harmony.PersonalDataChecks.rows;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import com.harmony.AuthFixtures.SignedIn;
import com.harmony.PersonalDataChecks.ExportedRow;
import com.harmony.platform.PersonalData.Erased;
import com.harmony.platform.PersonalData.Person;
import com.harmony.platform.PersonalData.Purged;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** The account's part in export, erasure, rectification and retention (P13, P25, P28, P29). */
@QuarkusTest
class AccountPersonalDataTest {

    @Inject
    Pool pool;

    @Inject
    AccountPersonalData accounts;

    /** A customer whose name, phone and street are theirs alone, so a search for them finds nobody else. */
    private record Customer(SignedIn signedIn, UUID id, String name, String phone, String street) {

        Person person() {
            return Person.customer(id, UUID.randomUUID());
        }
    }

    private static Customer customer() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String name = "Ada Erasable " + suffix;
        String phone = "+1 217 555 " + (1000 + ThreadLocalRandom.current().nextInt(9000));
        String street = suffix + " Analytical Way";
        String email = AuthFixtures.uniqueEmail();
        Map<String, Object> body = AuthFixtures.registration(email);
        body.put("name", name);
        body.put("phone", phone);
        Map<String, Object> address = new HashMap<>(AuthFixtures.address());
        address.put("name", name);
        address.put("line1", street);
        body.put("address", address);
        given().contentType(ContentType.JSON).header("X-Forwarded-For", AuthFixtures.randomClient()).body(body).post("/v1/accounts")
                .then().statusCode(202);
        SignedIn signedIn = AuthFixtures.signIn(email, AuthFixtures.PASSWORD);
        return new Customer(signedIn, UUID.fromString(signedIn.accountId()), name, phone, street);
    }

    /** Every value of the account tables that could name the customer, as one text per row. */
    private long rowsNaming(String value) {
        return count(pool, """
                select (select count(*) from account a where a.email = $1 or a.name = $1 or a.phone = $1)
                     + (select count(*) from account_address d where d.name = $1 or d.line1 = $1 or d.phone = $1)
                     + (select count(*) from auth_email_token t where t.new_email = $1)""", value);
    }

    @Test
    void exportHoldsEveryRowButNoCredential_erasureDeletesAccountAndEndsEverySession_P13_P25_P28() {
        Customer ada = customer();
        Customer other = customer();
        String newEmail = AuthFixtures.uniqueEmail();
        given().auth().oauth2(ada.signedIn().accessToken()).contentType(ContentType.JSON)
                .body(Map.of("new_email", newEmail, "current_password", AuthFixtures.PASSWORD)).post("/v1/me/email").then().statusCode(202);
        SignedIn secondSession = AuthFixtures.signIn(ada.signedIn().email(), AuthFixtures.PASSWORD);

        Map<String, Long> found = find(pool, accounts, ada.person());
        assertEquals(1L, found.get("account"));
        assertEquals(1L, found.get("account_address"));
        assertEquals(2L, found.get("auth_session"));
        assertEquals(2L, found.get("auth_refresh_token"));
        assertEquals(1L, found.get("auth_email_token"));

        List<ExportedRow> rows = export(pool, accounts, ada.person());
        assertEquals(7, rows.size(), rows::toString);
        ExportedRow account = exported(rows, "account").get(0);
        assertEquals(ada.signedIn().email(), account.json().get("email").asText());
        assertEquals(ada.name(), account.json().get("name").asText());
        assertEquals(ada.phone(), account.json().get("phone").asText());
        assertEquals("1990-12-10", account.json().get("birth_date").asText());
        assertEquals(ada.street(), exported(rows, "account_address").get(0).json().get("line1").asText());
        assertEquals(newEmail, exported(rows, "auth_email_token").get(0).json().get("new_email").asText());
        assertFalse(account.json().has("password_hash"), "the password digest is never exported (P25)");
        exported(rows, "auth_refresh_token").forEach(r -> assertFalse(r.json().has("token_hash"), "refresh token digests stay in"));
        exported(rows, "auth_email_token").forEach(r -> assertFalse(r.json().has("token_hash"), "emailed link digests stay in"));
        assertTrue(rows.stream().noneMatch(r -> r.json().toString().contains("$argon2")), "no password digest anywhere");

        List<Erased> erased = erase(pool, accounts, ada.person());
        assertEquals(1, rows(erased, "account"));
        assertEquals(1, rows(erased, "account_address"));
        assertEquals(2, rows(erased, "auth_session"));
        assertEquals(2, rows(erased, "auth_refresh_token"), "counted before the sessions' cascade could hide them");
        assertEquals(1, rows(erased, "auth_email_token"));
        erased.forEach(e -> assertEquals("deleted", e.action(), e::toString));

        for (String value : List.of(ada.signedIn().email(), ada.name(), ada.phone(), ada.street(), newEmail)) {
            assertEquals(0, rowsNaming(value), value + " is gone");
        }
        assertEquals(0, count(pool, "select count(*) from auth_session where account_id = $1", ada.id()));
        // both sessions end at once: the signed access tokens no longer open anything
        given().auth().oauth2(ada.signedIn().accessToken()).get("/v1/me").then().statusCode(401);
        given().auth().oauth2(secondSession.accessToken()).get("/v1/me").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("refresh_token", secondSession.refreshToken())).post("/v1/auth/refresh")
                .then().statusCode(401);

        // the other customer is untouched
        given().auth().oauth2(other.signedIn().accessToken()).get("/v1/me").then().statusCode(200);
        assertEquals(2, rowsNaming(other.name()), "their account and address still carry their name");
        assertEquals(1, count(pool, "select count(*) from account_address where account_id = $1", other.id()));

        // idempotent: a second run finds nothing left
        List<Erased> again = erase(pool, accounts, ada.person());
        again.forEach(e -> assertEquals(0, e.rows(), e::toString));
    }

    @Test
    void aVisitorOrGuestBuyerReachesNoAccountRow_P28() {
        Customer ada = customer();
        List<Erased> erased = erase(pool, accounts, Person.guestBuyer(ada.signedIn().email(), null, UUID.randomUUID()));
        erased.forEach(e -> assertEquals(0, e.rows(), e::toString));
        erased = erase(pool, accounts, Person.visitor(UUID.randomUUID(), UUID.randomUUID()));
        erased.forEach(e -> assertEquals(0, e.rows(), e::toString));
        given().auth().oauth2(ada.signedIn().accessToken()).get("/v1/me").then().statusCode(200);
    }

    @Test
    void purgeDeletesSessionsADayAfterTheyEnded_andExpiredLinks_keepsLiveOnes_P28() {
        Customer ada = customer();
        SignedIn expired = AuthFixtures.signIn(ada.signedIn().email(), AuthFixtures.PASSWORD);
        SignedIn revoked = AuthFixtures.signIn(ada.signedIn().email(), AuthFixtures.PASSWORD);
        SignedIn justEnded = AuthFixtures.signIn(ada.signedIn().email(), AuthFixtures.PASSWORD);
        UUID expiredSession = session(expired);
        UUID revokedSession = session(revoked);
        UUID justEndedSession = session(justEnded);
        execute(pool, "update auth_session set created_at = now() - interval '3 days', expires_at = now() - interval '25 hours' where id = $1",
                expiredSession);
        execute(pool, "update auth_session set revoked_at = now() - interval '25 hours' where id = $1", revokedSession);
        execute(pool, "update auth_session set revoked_at = now() - interval '23 hours' where id = $1", justEndedSession);
        given().auth().oauth2(ada.signedIn().accessToken()).contentType(ContentType.JSON)
                .body(Map.of("new_email", AuthFixtures.uniqueEmail(), "current_password", AuthFixtures.PASSWORD)).post("/v1/me/email")
                .then().statusCode(202);
        given().auth().oauth2(ada.signedIn().accessToken()).contentType(ContentType.JSON)
                .body(Map.of("new_email", AuthFixtures.uniqueEmail(), "current_password", AuthFixtures.PASSWORD)).post("/v1/me/email")
                .then().statusCode(202);
        execute(pool, """
                update auth_email_token set expires_at = now() - interval '25 hours'
                where token_hash = (select token_hash from auth_email_token where account_id = $1 order by created_at limit 1)""", ada.id());

        List<Purged> purged = purge(pool, accounts);
        assertTrue(purged(purged, "auth_session") >= 2, purged::toString);
        assertTrue(purged(purged, "auth_refresh_token") >= 2, purged::toString);
        assertTrue(purged(purged, "auth_email_token") >= 1, purged::toString);

        assertEquals(0, count(pool, "select count(*) from auth_session where id = any($1)", (Object) new UUID[] {expiredSession, revokedSession}));
        assertEquals(0, count(pool, "select count(*) from auth_refresh_token where session_id = any($1)",
                (Object) new UUID[] {expiredSession, revokedSession}));
        assertEquals(1, count(pool, "select count(*) from auth_session where id = $1", justEndedSession), "ended less than a day ago");
        assertEquals(1, count(pool, "select count(*) from auth_refresh_token where session_id = $1", justEndedSession));
        assertEquals(1, count(pool, "select count(*) from auth_session where id = $1", session(ada.signedIn())), "a live session stays");
        assertEquals(1, count(pool, "select count(*) from auth_email_token where account_id = $1", ada.id()), "the live link stays");
        given().auth().oauth2(ada.signedIn().accessToken()).get("/v1/me").then().statusCode(200);

        // a second run (another instance, the next hour) finds nothing more of these
        List<Purged> again = purge(pool, accounts);
        assertEquals(3, again.size());
        assertEquals(1, count(pool, "select count(*) from auth_session where id = $1", justEndedSession));
        assertEquals(1, count(pool, "select count(*) from auth_email_token where account_id = $1", ada.id()));
    }

    @Test
    void rectificationAppliesValidCorrections_andRefusesBlankOversizedOrMalformedOnes_P29() {
        Customer ada = customer();
        Person person = ada.person();
        assertEquals(List.of("name", "phone", "birth_date"), accounts.correctable());
        Integer version = versionOf(ada.id());

        List<String> changed = inTransaction(pool, conn -> accounts.rectify(conn, person,
                Map.of("name", "  Ada King  ", "phone", "+44 20 7946 0001", "birth_date", "1985-03-04", "email", "x@example.com")));
        assertEquals(List.of("name", "phone", "birth_date"), changed, "email has its own confirmed change");
        given().auth().oauth2(ada.signedIn().accessToken()).get("/v1/me").then().statusCode(200)
                .body("name", org.hamcrest.Matchers.equalTo("Ada King")).body("phone", org.hamcrest.Matchers.equalTo("+44 20 7946 0001"))
                .body("email", org.hamcrest.Matchers.equalTo(ada.signedIn().email()));
        assertEquals(LocalDate.of(1985, 3, 4), com.harmony.PersonalDataChecks.query(pool, "select birth_date from account where id = $1", ada.id())
                .get(0).getLocalDate("birth_date"));
        assertTrue(versionOf(ada.id()) > version, "an edit based on the old values fails its version check");

        // the same values again change nothing
        assertEquals(List.of(), inTransaction(pool, conn -> accounts.rectify(conn, person, Map.of("name", "Ada King", "birth_date", "1985-03-04"))));

        Map<String, String> bad = new HashMap<>();
        bad.put("name", "   ");
        bad.put("phone", "call me maybe");
        bad.put("birth_date", LocalDate.now().minusYears(10).toString());
        assertEquals(List.of(), inTransaction(pool, conn -> accounts.rectify(conn, person, bad)));
        assertEquals(List.of(), inTransaction(pool, conn -> accounts.rectify(conn, person,
                Map.of("name", "x".repeat(201), "phone", "1".repeat(31), "birth_date", "next tuesday"))));
        assertEquals(List.of(), inTransaction(pool, conn -> accounts.rectify(conn, person,
                Map.of("name", "Ada\u0000King", "birth_date", LocalDate.now().plusDays(1).toString()))));
        given().auth().oauth2(ada.signedIn().accessToken()).get("/v1/me").then()
                .body("name", org.hamcrest.Matchers.equalTo("Ada King")).body("phone", org.hamcrest.Matchers.equalTo("+44 20 7946 0001"));
    }

    private Integer versionOf(UUID id) {
        return com.harmony.PersonalDataChecks.query(pool, "select version from account where id = $1", id).get(0).getInteger("version");
    }

    /** The session behind a sign-in: the one holding its refresh token's digest (SHA-256, base64url). */
    private UUID session(SignedIn signedIn) {
        return com.harmony.PersonalDataChecks.query(pool, "select session_id from auth_refresh_token where token_hash = $1",
                java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(com.harmony.platform.Hashes.sha256(signedIn.refreshToken())))
                .get(0).getUUID("session_id");
    }
}
