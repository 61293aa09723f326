package com.harmony.marketing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.harmony.AuthFixtures;
import com.harmony.AuthFixtures.SignedIn;
import com.harmony.MailServer;
import com.harmony.platform.OutboxWorker;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Marketing emails with one-click unsubscribe (P16), the partner audience (P18) and partner attributes (P7, P15). */
@QuarkusTest
@QuarkusTestResource(MailServer.class)
class MarketingTest {

    @Inject
    OutboxWorker outbox;

    private static final ObjectMapper JSON = new ObjectMapper();

    private void drain() {
        for (int i = 0; i < 50; i++) {
            if (outbox.publishDue().await().atMost(Duration.ofSeconds(30)) == 0) {
                return;
            }
        }
    }

    private static SignedIn customerNamed(String name, Map<String, Object> consents) {
        SignedIn c = AuthFixtures.customer();
        given().auth().oauth2(c.accessToken()).contentType(ContentType.JSON).body(Map.of("name", name)).patch("/v1/me").then().statusCode(200);
        if (!consents.isEmpty()) {
            given().auth().oauth2(c.accessToken()).contentType(ContentType.JSON).body(consents).patch("/v1/me/consents").then().statusCode(200);
        }
        return c;
    }

    private static boolean emailGranted(SignedIn c) {
        return given().auth().oauth2(c.accessToken()).get("/v1/me/consents").then().statusCode(200)
                .extract().path("consents.find { it.purpose == 'marketing_email' }.granted");
    }

    /** Sends a campaign with a unique subject and returns that subject. */
    private String campaign() {
        String subject = "Spring offers " + UUID.randomUUID();
        given().auth().oauth2(AuthFixtures.admin().accessToken()).contentType(ContentType.JSON)
                .body(Map.of("subject", subject, "body", "Everything is new this week."))
                .post("/v1/admin/marketing/emails").then().statusCode(202).body("recipients", greaterThanOrEqualTo(1));
        drain();
        return subject;
    }

    private static String oneClickUrl(MimeMessage m) throws Exception {
        String header = m.getHeader("List-Unsubscribe", null);
        assertNotNull(header, "List-Unsubscribe header");
        Matcher u = Pattern.compile("<(https?://[^>]+)>").matcher(header);
        assertTrue(u.find(), header);
        return u.group(1);
    }

    @Test
    void P16_unsubscribeLinkWithdrawsWithoutSignIn() throws Exception {
        SignedIn c = customerNamed("Una Subscriber", Map.of("marketing_email", true));
        String subject = campaign();

        MimeMessage m = MailServer.fullMessageTo(c.email(), subject);
        assertEquals("List-Unsubscribe=One-Click", m.getHeader("List-Unsubscribe-Post", null));
        String token = MailServer.tokenIn(m.getContent().toString());
        assertTrue(oneClickUrl(m).endsWith("/v1/unsubscribe?token=" + token), oneClickUrl(m));

        // reading the link (as a mail scanner would) changes nothing
        given().queryParam("token", token).get("/v1/unsubscribe").then().statusCode(200)
                .body("purpose", equalTo("marketing_email")).body("granted", equalTo(true));
        assertTrue(emailGranted(c));

        // the RFC 8058 one-click POST, with no credentials at all
        given().contentType(ContentType.URLENC).formParam("List-Unsubscribe", "One-Click").queryParam("token", token)
                .post("/v1/unsubscribe").then().statusCode(200).body("granted", equalTo(false));
        assertFalse(emailGranted(c));
        given().auth().oauth2(c.accessToken()).get("/v1/me/consents/history").then()
                .body("data[0].source", equalTo("unsubscribe_link")).body("data[0].granted", equalTo(false));

        // a later campaign does not reach them
        int before = MailServer.messagesTo(c.email());
        campaign();
        assertEquals(before, MailServer.messagesTo(c.email()));
    }

    @Test
    void P16_forgedOrMovedUnsubscribeLinksAreRefused() throws Exception {
        SignedIn victim = customerNamed("Vic Tim", Map.of("marketing_email", true, "marketing_phone", true));
        SignedIn attacker = customerNamed("Mal Lory", Map.of("marketing_email", true));
        String subject = campaign();
        String token = MailServer.tokenIn(MailServer.messageTo(attacker.email(), subject));
        String[] parts = token.split("\\.");

        // the attacker's signature moved to the victim's id, to another purpose, or simply made up
        for (String forged : List.of(victim.accountId() + "." + parts[1] + "." + parts[2], parts[0] + ".marketing_phone." + parts[2],
                parts[0] + "." + parts[1] + ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "garbage", "")) {
            given().queryParam("token", forged).post("/v1/unsubscribe").then().statusCode(400)
                    .contentType("application/problem+json").body("type", equalTo("https://harmony.example/problems/unsubscribe-link-invalid"));
        }
        given().post("/v1/unsubscribe").then().statusCode(400);
        assertTrue(emailGranted(victim));
        assertTrue(emailGranted(attacker));
    }

    @Test
    void P16_aPersonWhoWithdrewBeforeSendingGetsNothing() {
        SignedIn c = customerNamed("Late Withdrawer", Map.of("marketing_email", true));
        String subject = "Queued " + UUID.randomUUID();
        given().auth().oauth2(AuthFixtures.admin().accessToken()).contentType(ContentType.JSON)
                .body(Map.of("subject", subject, "body", "Hello")).post("/v1/admin/marketing/emails").then().statusCode(202);
        given().auth().oauth2(c.accessToken()).contentType(ContentType.JSON).body(Map.of("marketing_email", false))
                .patch("/v1/me/consents").then().statusCode(200);
        drain();
        assertEquals(0, MailServer.messagesTo(c.email(), subject));
        given().auth().oauth2(c.accessToken()).contentType(ContentType.JSON).body(Map.of("subject", "x", "body", "y"))
                .post("/v1/admin/marketing/emails").then().statusCode(403);
        given().auth().oauth2(AuthFixtures.admin().accessToken()).contentType(ContentType.JSON).body(Map.of("subject", " "))
                .post("/v1/admin/marketing/emails").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void aCampaignSubjectWithALineBreakIsRefused_noHeaderCanBeSlippedIntoTheEmail() {
        for (String subject : java.util.List.of("Hi\r\nBcc: evil@example.com", "Hi\nBcc: evil@example.com")) {
            given().auth().oauth2(AuthFixtures.admin().accessToken()).contentType(ContentType.JSON)
                    .body(Map.of("subject", subject, "body", "Hello")).post("/v1/admin/marketing/emails").then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].field", org.hamcrest.Matchers.endsWith("subject"));
        }
    }

    @Test
    void P16_aRetriedCampaignWithTheSameKeyIsQueuedOnce() {
        customerNamed("Once Only", Map.of("marketing_email", true));
        String key = UUID.randomUUID().toString();
        Map<String, String> body = Map.of("subject", "Once " + key, "body", "Hello");
        String first = given().auth().oauth2(AuthFixtures.admin().accessToken()).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(body).post("/v1/admin/marketing/emails").then().statusCode(202).extract().path("id");
        given().auth().oauth2(AuthFixtures.admin().accessToken()).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(body).post("/v1/admin/marketing/emails").then().statusCode(202)
                .header("Idempotent-Replayed", "true").body("id", equalTo(first));
    }

    private List<JsonNode> audience(String recipient) throws Exception {
        String body = given().auth().oauth2(AuthFixtures.admin().accessToken()).contentType(ContentType.JSON)
                .body(Map.of("recipient", recipient)).post("/v1/admin/marketing/partner-audience-exports")
                .then().statusCode(200).contentType(org.hamcrest.Matchers.startsWith("application/x-ndjson")).extract().asString();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private static Set<String> fields(JsonNode n) {
        Set<String> names = new java.util.TreeSet<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }

    @Test
    void P18_partnerAudienceNeverHoldsPhoneCardOrEmail() throws Exception {
        String tag = UUID.randomUUID().toString().replaceAll("[^a-f]", "").toUpperCase();
        SignedIn sharing = customerNamed("Shari Ng " + tag, Map.of("partner_sharing", true));
        SignedIn notAsked = customerNamed("Nota Sked " + tag, Map.of());
        SignedIn withdrew = customerNamed("Withd Rew " + tag, Map.of("partner_sharing", true));
        given().auth().oauth2(withdrew.accessToken()).contentType(ContentType.JSON).body(Map.of("partner_sharing", false))
                .patch("/v1/me/consents").then().statusCode(200);
        SignedIn gpc = customerNamed("Gee Pee " + tag, Map.of("partner_sharing", true));
        given().auth().oauth2(gpc.accessToken()).header("Sec-GPC", "1").get("/v1/me").then().statusCode(200);

        String recipient = "Acme Ads " + tag;
        List<JsonNode> members = audience(recipient);
        List<String> names = members.stream().map(n -> n.path("name").asText()).toList();
        assertTrue(names.contains("Shari Ng " + tag), names::toString);
        assertFalse(names.contains("Nota Sked " + tag));
        assertFalse(names.contains("Withd Rew " + tag));
        assertFalse(names.contains("Gee Pee " + tag));

        // every field of every line: only name, address (without phone) and interests; nothing that looks like an email or phone
        Pattern phoneLike = Pattern.compile("\\+?[0-9][0-9 ()-]{6,}");
        for (JsonNode n : members) {
            assertEquals(Set.of("address", "interests", "name"), fields(n));
            assertEquals(Set.of("city", "country", "line1", "line2", "postal_code", "region"), fields(n.get("address")));
            String text = n.toString();
            assertFalse(text.contains("@"), text);
            assertFalse(phoneLike.matcher(text).find(), text);
        }
        JsonNode mine = members.stream().filter(n -> n.path("name").asText().equals("Shari Ng " + tag)).findFirst().orElseThrow();
        assertEquals("12 Analytical Way", mine.at("/address/line1").asText());

        // the type itself has no field that could carry them
        Set<String> forbidden = Set.of("phone", "telephone", "email", "card", "pan", "cvc", "last4");
        for (Class<?> type : List.of(AudienceMember.class, AudienceMember.PostalOnly.class)) {
            for (RecordComponent rc : type.getRecordComponents()) {
                String name = rc.getName().toLowerCase();
                assertTrue(forbidden.stream().noneMatch(name::contains), type + "." + rc.getName());
                assertTrue(rc.getType() == String.class || rc.getType() == List.class || rc.getType() == AudienceMember.PostalOnly.class,
                        type + "." + rc.getName() + " is " + rc.getType());
            }
        }

        // P20: each person in it sees the disclosure, with the recipient and the fields
        given().auth().oauth2(sharing.accessToken()).get("/v1/me/disclosures").then().statusCode(200)
                .body("data", hasSize(1)).body("data[0].recipient", equalTo(recipient))
                .body("data[0].legal_basis", equalTo("consent"))
                .body("data[0].fields", equalTo(List.of("name", "postal_address", "interests")));
        given().auth().oauth2(notAsked.accessToken()).get("/v1/me/disclosures").then().statusCode(200).body("data", hasSize(0));
        given().auth().oauth2(sharing.accessToken()).contentType(ContentType.JSON).body(Map.of("recipient", "x"))
                .post("/v1/admin/marketing/partner-audience-exports").then().statusCode(403);
        // the export is JSON lines: a client that takes JSON alone is told what it does answer
        given().auth().oauth2(AuthFixtures.admin().accessToken()).contentType(ContentType.JSON).accept("application/json")
                .body(Map.of("recipient", recipient)).post("/v1/admin/marketing/partner-audience-exports").then().statusCode(406)
                .body("type", equalTo("https://harmony.example/problems/not-acceptable"))
                .body("detail", org.hamcrest.Matchers.containsString("application/x-ndjson"));
    }

    @Test
    void P7_P15_partnerAttributesAreKeptWithSourceAndUsedOnlyWithConsent() {
        SignedIn c = customerNamed("Attri Bute", Map.of());
        String admin = AuthFixtures.admin().accessToken();
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("source", "Acme Data Co", "received_at", "2026-11-01T10:00:00Z", "attributes", Map.of("interest", "gardening")))
                .put("/v1/admin/accounts/" + c.accountId() + "/partner-attributes").then().statusCode(200)
                .body("data[0].source", equalTo("Acme Data Co")).body("data[0].value", equalTo("gardening"));
        // an older report from the same source does not overwrite the newer one
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("source", "Acme Data Co", "received_at", "2026-10-01T10:00:00Z", "attributes", Map.of("interest", "fishing")))
                .put("/v1/admin/accounts/" + c.accountId() + "/partner-attributes").then().statusCode(200)
                .body("data[0].value", equalTo("gardening"));

        // shown to the person, with source and date, whether or not they consent
        given().auth().oauth2(c.accessToken()).get("/v1/me/partner-attributes").then().statusCode(200)
                .body("data.source", hasItem("Acme Data Co")).body("data[0].received_at", org.hamcrest.Matchers.startsWith("2026-11-01T10:00:00"));
        // not used without consent to personalisation
        given().auth().oauth2(c.accessToken()).get("/v1/me/personalisation").then().statusCode(200)
                .body("personalised", equalTo(false)).body("interests", hasSize(0));
        given().auth().oauth2(c.accessToken()).contentType(ContentType.JSON).body(Map.of("personalisation", true))
                .patch("/v1/me/consents").then().statusCode(200);
        given().auth().oauth2(c.accessToken()).get("/v1/me/personalisation").then().statusCode(200)
                .body("personalised", equalTo(true)).body("interests", hasItem("gardening"));

        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("source", "X", "received_at", "2026-11-01T10:00:00Z", "attributes", Map.of("interest", "a")))
                .put("/v1/admin/accounts/" + UUID.randomUUID() + "/partner-attributes").then().statusCode(404);
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("source", "X", "received_at", "2026-11-01T10:00:00Z", "attributes", Map.of("Bad Name!", "a")))
                .put("/v1/admin/accounts/" + c.accountId() + "/partner-attributes").then().statusCode(400);
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("source", "X", "received_at", "2099-11-01T10:00:00Z", "attributes", Map.of("interest", "a")))
                .put("/v1/admin/accounts/" + c.accountId() + "/partner-attributes").then().statusCode(400);
    }
}
