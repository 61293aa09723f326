package com.harmony.account;

import static com.harmony.AuthFixtures.PASSWORD;
import static com.harmony.AuthFixtures.registration;
import static com.harmony.AuthFixtures.signIn;
import static com.harmony.AuthFixtures.uniqueEmail;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Registration (P10) with the adult requirement (P31) and marketing opt-ins (P16, P17). */
@QuarkusTest
class RegistrationTest {

    private static final String PROBLEMS = "https://harmony.example/problems/";

    private static io.restassured.response.ValidatableResponse register(Map<String, Object> body) {
        return register(body, com.harmony.AuthFixtures.randomClient());
    }

    private static io.restassured.response.ValidatableResponse register(Map<String, Object> body, String client) {
        return given().contentType(ContentType.JSON).header("X-Forwarded-For", client).body(body).post("/v1/accounts").then();
    }

    @Test
    void P10_registrationStoresProfileAndAddress_andNeverReturnsThePassword() {
        String email = uniqueEmail();
        register(registration(email)).statusCode(202)
                .body("email", equalTo(email))
                .body(not(containsString(PASSWORD)))
                .body(not(containsString("password")));
        String token = signIn(email, PASSWORD).accessToken();
        given().auth().oauth2(token).get("/v1/me").then().statusCode(200)
                .body("roles", contains("customer"))
                .body("name", equalTo("Ada Lovelace"))
                .body("phone", equalTo("+1 217 555 0100"))
                .body("interests", contains("outdoor"))
                .body("birth_date", equalTo("1990-12-10"))
                .body(not(containsString("password")));
        given().auth().oauth2(token).get("/v1/me/addresses").then().statusCode(200)
                .body("data", hasSize(1))
                .body("data[0].address.postal_code", equalTo("62701"))
                .body("data[0].default_shipping", is(true))
                .body("data[0].default_billing", is(true));
    }

    @Test
    void P31_underEighteenIsRefusedAndNothingIsStored() {
        String email = uniqueEmail();
        Map<String, Object> minor = registration(email);
        minor.put("birth_date", LocalDate.now().minusYears(17).toString());
        register(minor).statusCode(422).body("type", equalTo(PROBLEMS + "under-age"));
        // nothing was stored: the same email registers as an adult afterwards
        register(registration(email)).statusCode(202);
    }

    /** A birth date older than anyone alive is a slip, not a customer: refused naming the field, nothing stored. */
    @Test
    void aBirthDateBeforeAnyoneAlive_isRefused() {
        String email = uniqueEmail();
        for (String date : List.of("0001-01-01", "1800-01-01", LocalDate.now().minusYears(130).toString())) {
            Map<String, Object> r = registration(email);
            r.put("birth_date", date);
            register(r).statusCode(400).body("type", equalTo(PROBLEMS + "validation-failed")).body("errors[0].field", equalTo("birth_date"));
        }
        Map<String, Object> old = registration(email);
        old.put("birth_date", LocalDate.now().minusYears(129).toString());
        register(old).statusCode(202);
    }

    @Test
    void P31_eighteenTodayIsAnAdult() {
        Map<String, Object> body = registration(uniqueEmail());
        body.put("birth_date", LocalDate.now().minusYears(18).toString());
        register(body).statusCode(202);
    }

    @Test
    void P31_missingOrDeniedAdultAttestationIsRefused() {
        Map<String, Object> none = registration(uniqueEmail());
        none.remove("birth_date");
        register(none).statusCode(400).body("errors[0].field", equalTo("birth_date"));
        Map<String, Object> denied = registration(uniqueEmail());
        denied.remove("birth_date");
        denied.put("adult_confirmed", false);
        register(denied).statusCode(422).body("type", equalTo(PROBLEMS + "under-age"));
        Map<String, Object> confirmed = registration(uniqueEmail());
        confirmed.remove("birth_date");
        confirmed.put("adult_confirmed", true);
        register(confirmed).statusCode(202);
        given().auth().oauth2(signIn((String) confirmed.get("email"), PASSWORD).accessToken()).get("/v1/me").then()
                .body("birth_date", nullValue());
    }

    @Test
    void P24_aTakenEmailIsAnsweredExactlyLikeAFreeOne_andItsOwnerIsTold() {
        String email = uniqueEmail();
        String first = register(registration(email)).statusCode(202).extract().asString();
        Map<String, Object> again = registration(email.toUpperCase());
        again.put("password", "an intruder's passphrase");
        String second = register(again).statusCode(202).extract().asString();
        assertEquals(first.replace(email, "X"), second.replace(email.toUpperCase(), "X"), "the same body, whoever asks");
        String notice = com.harmony.MailServer.messageTo(email, "tried to register");
        assertFalse(notice.contains("an intruder's passphrase"));
        // the account is untouched: its owner's password still works, the intruder's does not
        signIn(email, PASSWORD);
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", "an intruder's passphrase"))
                .post("/v1/auth/sign-in").then().statusCode(401);
    }

    @Test
    void P24_registrationsAreLimitedPerClientAddress() {
        String client = "192.0.2." + java.util.concurrent.ThreadLocalRandom.current().nextInt(1, 255) + ", 198.51.100.200";
        String address = "203.0.113." + java.util.concurrent.ThreadLocalRandom.current().nextInt(1, 255);
        for (int i = 0; i < 10; i++) {
            register(registration(uniqueEmail()), address).statusCode(202);
        }
        register(registration(uniqueEmail()), address).statusCode(429)
                .body("type", equalTo(PROBLEMS + "rate-limited")).header("Retry-After", org.hamcrest.Matchers.notNullValue());
        register(registration(uniqueEmail()), client).statusCode(202);
    }

    @Test
    void passwordsFollowAsvsRules() {
        Map<String, Object> shortOne = registration(uniqueEmail());
        shortOne.put("password", "seven77");
        register(shortOne).statusCode(400).body("type", equalTo(PROBLEMS + "weak-password")).body("errors[0].field", equalTo("password"));
        Map<String, Object> common = registration(uniqueEmail());
        common.put("password", "Password123");
        register(common).statusCode(400).body("type", equalTo(PROBLEMS + "weak-password"));
        // long passphrases with any characters are accepted and never truncated
        String email = uniqueEmail();
        String longPassword = "ünïcödé spaces & symbols ".repeat(4) + "end";
        Map<String, Object> longOne = registration(email);
        longOne.put("password", longPassword);
        register(longOne).statusCode(202);
        signIn(email, longPassword);
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", longPassword.substring(0, 72)))
                .post("/v1/auth/sign-in").then().statusCode(401);
    }

    @Test
    void clientsCannotAssignRolesOrIds() {
        Map<String, Object> body = registration(uniqueEmail());
        body.put("roles", List.of("admin"));
        register(body).statusCode(400).body("errors[0].field", equalTo("roles"));
        Map<String, Object> withId = registration(uniqueEmail());
        withId.put("id", "00000000-0000-0000-0000-000000000001");
        register(withId).statusCode(400);
    }

    /** ada@\u200bexample.com looks like ada@example.com wherever it is shown: a second account impersonating the first. */
    @Test
    void anEmailWithAnInvisibleCharacterOrASpace_isRefused_forRegistrationAndForAChange() {
        String email = uniqueEmail();
        register(registration(email)).statusCode(202);
        int at = email.indexOf('@');
        for (String lookalike : List.of(email.substring(0, at + 1) + "\u200b" + email.substring(at + 1),
                email.substring(0, at) + "\u00ad" + email.substring(at), email.substring(0, at) + "\u2060" + email.substring(at),
                "\u202e" + email, email.substring(0, at) + "\u00a0" + email.substring(at))) {
            register(registration(lookalike)).statusCode(400).body("type", equalTo(PROBLEMS + "validation-failed"))
                    .body("errors[0].field", equalTo("email"));
        }
        String token = signIn(email, PASSWORD).accessToken();
        given().auth().oauth2(token).contentType(ContentType.JSON).header("X-Forwarded-For", com.harmony.AuthFixtures.randomClient())
                .body(Map.of("new_email", "\u200b" + uniqueEmail(), "current_password", PASSWORD)).post("/v1/me/email")
                .then().statusCode(400).body("errors[0].field", equalTo("new_email"));
    }

    @Test
    void invalidFieldsAreNamed() {
        Map<String, Object> body = registration("not-an-email");
        body.put("address", Map.of("name", "x", "line1", "y", "city", "z", "postal_code", "!", "country", "usa"));
        register(body).statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItems("email", "address.postal_code", "address.country"));
    }

    @Test
    void P16_P17_marketingOptInsAreRecordedPerChannel() {
        String email = uniqueEmail();
        Map<String, Object> body = registration(email);
        body.put("marketing", Map.of("email", true, "phone", false));
        register(body).statusCode(202);
        String token = signIn(email, PASSWORD).accessToken();
        given().auth().oauth2(token).get("/v1/me").then()
                .body("marketing.email", is(true))
                .body("marketing.postal_mail", is(false))
                .body("marketing.phone", is(false));
    }
}
