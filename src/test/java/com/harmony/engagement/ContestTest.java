package com.harmony.engagement;

import static com.harmony.engagement.EngagementFixtures.PROBLEMS;
import static com.harmony.engagement.EngagementFixtures.admin;
import static com.harmony.engagement.EngagementFixtures.asCustomer;
import static com.harmony.engagement.EngagementFixtures.asVisitor;
import static com.harmony.engagement.EngagementFixtures.burst;
import static com.harmony.engagement.EngagementFixtures.close;
import static com.harmony.engagement.EngagementFixtures.contest;
import static com.harmony.engagement.EngagementFixtures.count;
import static com.harmony.engagement.EngagementFixtures.entry;
import static com.harmony.engagement.EngagementFixtures.visitor;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import com.harmony.AuthFixtures.SignedIn;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Contests and sweepstakes (P5): entries by adults (P31) with a marketing question recorded as consent (P16), and recomputable draws. */
@QuarkusTest
class ContestTest {

    @Inject
    Pool pool;

    // ---------------------------------------------------------------------------------------------
    // Entering

    @Test
    void P5_contestEntryPrefilledForCustomersAndOpenToVisitors() {
        String contest = contest(1, 1);
        SignedIn customer = AuthFixtures.customer();

        JsonPath form = given().auth().oauth2(customer.accessToken()).get("/v1/contests/" + contest + "/entry-form")
                .then().statusCode(200).body("signed_in", equalTo(true)).body("open", equalTo(true))
                .body("name", equalTo("Ada Lovelace")).body("email", equalTo(customer.email()))
                .body("phone", equalTo("+1 217 555 0100")).body("address.line1", equalTo("12 Analytical Way"))
                .body("address.postal_code", equalTo("62701")).body("marketing_question", notNullValue())
                .extract().jsonPath();
        String visitor = visitor();
        asVisitor(visitor).get("/v1/contests/" + contest + "/entry-form").then().statusCode(200)
                .body("signed_in", equalTo(false)).body("name", nullValue()).body("email", nullValue()).body("address", nullValue());

        // the customer sends the form back as it came
        Map<String, Object> prefilled = entry(form.getString("email"));
        prefilled.put("name", form.getString("name"));
        prefilled.put("phone", form.getString("phone"));
        prefilled.put("address", form.getMap("address"));
        var created = asCustomer(customer.accessToken()).body(prefilled).post("/v1/contests/" + contest + "/entries")
                .then().statusCode(201).body("entered_as", equalTo("account")).extract();
        String mine = created.path("id");
        assertTrue(created.header("Location").endsWith("/v1/me/contest-entries/" + mine), created.header("Location"));
        given().auth().oauth2(customer.accessToken()).get("/v1/me/contest-entries/" + mine).then().statusCode(200)
                .body("contest_id", equalTo(contest)).body("contest_title", equalTo("Summer sweepstakes"))
                .body("email", equalTo(customer.email())).body("address.city", equalTo("Springfield")).body("won", nullValue());
        given().auth().oauth2(customer.accessToken()).get("/v1/me/contest-entries").then().statusCode(200)
                .body("data.id", equalTo(List.of(mine)));

        // a visitor enters too, and gets no link into an account it does not have
        asVisitor(visitor).body(entry(AuthFixtures.uniqueEmail())).post("/v1/contests/" + contest + "/entries").then().statusCode(201)
                .header("Location", nullValue()).body("entered_as", equalTo("visitor")).body("entries_left", equalTo(0));
        // neither signed in nor a visitor: nobody to hold the entry
        given().contentType(ContentType.JSON).body(entry(AuthFixtures.uniqueEmail())).post("/v1/contests/" + contest + "/entries")
                .then().statusCode(404).body("type", equalTo(PROBLEMS + "visitor-required"));

        // the public sees the contest and its rules, never its entries
        given().get("/v1/contests/" + contest).then().statusCode(200).body("title", equalTo("Summer sweepstakes"))
                .body("open", equalTo(true)).body("$", not(hasKey("entry_count")));
        given().queryParam("limit", 100).get("/v1/contests").then().statusCode(200).body("data.id", hasItem(contest));
        given().auth().oauth2(admin()).get("/v1/admin/contests/" + contest).then().statusCode(200).body("entry_count", equalTo(2));
    }

    @Test
    void P5_entriesPerPersonHoldAgainstAParallelBurst() throws Exception {
        String contest = contest(2, 1);
        String path = "/v1/contests/" + contest + "/entries";

        // one browser, ten different email addresses, all at once
        String visitor = visitor();
        List<Integer> sameVisitor = burst(10, i -> asVisitor(visitor).body(entry(AuthFixtures.uniqueEmail())).post(path).statusCode());
        assertEquals(2, Collections.frequency(sameVisitor, 201), sameVisitor.toString());
        assertEquals(8, Collections.frequency(sameVisitor, 409), sameVisitor.toString());

        // ten browsers, one mailbox typed in different ways
        String email = AuthFixtures.uniqueEmail();
        List<String> visitors = new ArrayList<>();
        for (int i = 0; i < 10; i++) visitors.add(visitor());
        List<Integer> sameEmail = burst(10, i -> asVisitor(visitors.get(i))
                .body(entry(i % 2 == 0 ? email.toUpperCase() : email)).post(path).statusCode());
        assertEquals(2, Collections.frequency(sameEmail, 201), sameEmail.toString());
        assertEquals(8, Collections.frequency(sameEmail, 409), sameEmail.toString());

        // one account, from several browsers and addresses
        SignedIn customer = AuthFixtures.customer();
        List<Integer> sameAccount = burst(8, i -> asCustomer(customer.accessToken()).header("X-Visitor-Token", visitors.get(i))
                .body(entry(AuthFixtures.uniqueEmail())).post(path).statusCode());
        assertEquals(2, Collections.frequency(sameAccount, 201), sameAccount.toString());

        assertEquals(6, count(pool, "select count(*) from contest_entry where contest_id = $1", UUID.fromString(contest)));
        asVisitor(visitor).body(entry(AuthFixtures.uniqueEmail())).post(path).then().statusCode(409)
                .contentType("application/problem+json").body("type", equalTo(PROBLEMS + "entry-limit-reached"));
    }

    @Test
    void P5_P16_marketingAnswerRecordedAsConsentWithSourceContest() {
        String contest = contest(1, 1);
        SignedIn customer = AuthFixtures.customer();
        Map<String, Object> body = entry(customer.email());
        body.put("marketing", Map.of("email", true, "postal_mail", false));
        asCustomer(customer.accessToken()).body(body).post("/v1/contests/" + contest + "/entries").then().statusCode(201);

        given().auth().oauth2(customer.accessToken()).get("/v1/me/consents").then().statusCode(200)
                .body("consents.find { it.purpose == 'marketing_email' }.granted", equalTo(true))
                .body("consents.find { it.purpose == 'marketing_email' }.source", equalTo("contest"))
                .body("consents.find { it.purpose == 'marketing_email' }.policy_version", notNullValue())
                .body("consents.find { it.purpose == 'marketing_postal_mail' }.granted", equalTo(false))
                .body("consents.find { it.purpose == 'marketing_postal_mail' }.source", equalTo("contest"))
                .body("consents.find { it.purpose == 'marketing_phone' }.source", nullValue());

        // a refused entry records no answer: the consent shares the entry's transaction
        Map<String, Object> again = entry(customer.email());
        again.put("marketing", Map.of("phone", true));
        asCustomer(customer.accessToken()).body(again).post("/v1/contests/" + contest + "/entries").then().statusCode(409);
        given().auth().oauth2(customer.accessToken()).get("/v1/me/consents").then().statusCode(200)
                .body("consents.find { it.purpose == 'marketing_phone' }.granted", equalTo(false))
                .body("consents.find { it.purpose == 'marketing_phone' }.source", nullValue());

        // a visitor's answer is the visitor's consent
        String visitor = visitor();
        Map<String, Object> visitorEntry = entry(AuthFixtures.uniqueEmail());
        visitorEntry.put("marketing", Map.of("phone", true));
        asVisitor(visitor).body(visitorEntry).post("/v1/contests/" + contest + "/entries").then().statusCode(201);
        UUID visitorId = UUID.fromString(visitor.substring(0, 36));
        assertEquals(1, count(pool, "select count(*) from consent_event where visitor_id = $1 and purpose = 'marketing_phone' "
                + "and granted and source = 'contest'", visitorId));
    }

    // ---------------------------------------------------------------------------------------------
    // Adults only (P31)

    @Test
    void P31_underAgeEntryIsRefusedAndNothingStored() {
        String contest = contest(3, 1);
        String visitor = visitor();
        UUID visitorId = UUID.fromString(visitor.substring(0, 36));
        String email = AuthFixtures.uniqueEmail();
        Map<String, Object> child = entry(email);
        child.remove("adult_confirmed");
        child.put("birth_date", LocalDate.now().minusYears(18).plusDays(1).toString());
        child.put("name", "Kid Unique" + visitorId.toString().substring(0, 8));
        child.put("marketing", Map.of("email", true, "postal_mail", true, "phone", true));

        SignedIn customer = AuthFixtures.customer();
        // an entry from a known visitor would mark it as seen; an under-age one must not even do that
        count(pool, "with u as (update visitor set last_seen_at = now() - interval '2 hours' where id = $1 returning 1) select count(*) from u", visitorId);
        List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r.getMessage() + " " + java.util.Arrays.toString(r.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try {
            asVisitor(visitor).body(child).post("/v1/contests/" + contest + "/entries").then().statusCode(422)
                    .contentType("application/problem+json").body("type", equalTo(PROBLEMS + "under-age"))
                    .body("detail", containsString("Nothing was stored"));
            child.remove("birth_date");
            child.put("adult_confirmed", false);
            asVisitor(visitor).body(child).post("/v1/contests/" + contest + "/entries").then().statusCode(422)
                    .body("type", equalTo(PROBLEMS + "under-age"));
            child.put("email", customer.email());
            asCustomer(customer.accessToken()).body(child).post("/v1/contests/" + contest + "/entries").then().statusCode(422);
        } finally {
            root.removeHandler(capture);
        }

        assertEquals(0, count(pool, "select count(*) from contest_entry where email_key = $1 or email_key = $2", email,
                String.valueOf(child.get("email"))));
        assertEquals(0, count(pool, "select count(*) from contest_entry where name like 'Kid Unique%'"));
        assertEquals(0, count(pool, "select count(*) from consent_event where visitor_id = $1", visitorId));
        assertEquals(0, count(pool, "select count(*) from consent_event where account_id = $1", UUID.fromString(customer.accountId())));
        assertEquals(1, count(pool, "select count(*) from visitor where id = $1 and last_seen_at < now() - interval '1 hour'", visitorId));
        assertTrue(logged.stream().noneMatch(l -> l.contains(email) || l.contains(customer.email()) || l.contains("Kid Unique")),
                logged::toString);

        // no statement of age at all is a field error, not a refusal
        child.remove("adult_confirmed");
        asVisitor(visitor).body(child).post("/v1/contests/" + contest + "/entries").then().statusCode(400)
                .body("errors[0].field", equalTo("birth_date"));
        // an adult's birth date is enough
        child.put("birth_date", LocalDate.now().minusYears(18).toString());
        child.put("email", email);
        asVisitor(visitor).body(child).post("/v1/contests/" + contest + "/entries").then().statusCode(201);
    }

    // ---------------------------------------------------------------------------------------------
    // Draws

    @Test
    void P5_drawIsRecomputableFromSeedAndEntryList() throws Exception {
        String contest = contest(1, 3);
        List<String> entered = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            entered.add(asVisitor(visitor()).body(entry(AuthFixtures.uniqueEmail())).post("/v1/contests/" + contest + "/entries")
                    .then().statusCode(201).extract().path("id"));
        }
        given().auth().oauth2(admin()).post("/v1/admin/contests/" + contest + "/draws").then().statusCode(409)
                .body("type", equalTo(PROBLEMS + "contest-still-open"));
        close(pool, contest);
        asVisitor(visitor()).body(entry(AuthFixtures.uniqueEmail())).post("/v1/contests/" + contest + "/entries").then().statusCode(409)
                .body("type", equalTo(PROBLEMS + "contest-closed"));

        given().auth().oauth2(admin()).post("/v1/admin/contests/" + contest + "/draws").then().statusCode(201)
                .header("Location", endsWith("/v1/admin/contests/" + contest + "/draws")).body("winners", hasSize(3));
        JsonPath draw = given().auth().oauth2(admin()).get("/v1/admin/contests/" + contest + "/draws").then().statusCode(200)
                .body("algorithm", equalTo("hmac-sha256-mod-v1")).body("seed", matchesPattern("[0-9a-f]{64}"))
                .extract().jsonPath();

        // recomputed here from what is published, without the service's code
        List<String> ids = draw.getList("entry_ids", String.class);
        List<String> expectedIds = new ArrayList<>(entered);
        Collections.sort(expectedIds);
        assertEquals(expectedIds, ids, "every entry, sorted");
        assertEquals(sha256Hex(String.join("", ids.stream().map(id -> id + "\n").toList())), draw.getString("entries_digest"));
        List<String> picks = recompute(draw.getString("seed"), ids, 3);
        assertEquals(picks, draw.getList("picks.entry_id", String.class));
        assertEquals(picks, draw.getList("winners.entry_id", String.class));
        assertEquals(List.of("Grace Hopper", "Grace Hopper", "Grace Hopper"), draw.getList("winners.name", String.class));

        given().auth().oauth2(admin()).post("/v1/admin/contests/" + contest + "/draws").then().statusCode(409)
                .body("type", equalTo(PROBLEMS + "already-drawn"));
        given().auth().oauth2(admin()).get("/v1/admin/contests/" + contest).then().statusCode(200)
                .body("drawn_at", notNullValue()).body("open", equalTo(false));
    }

    @Test
    void P5_twoParallelDrawsDrawOnce() throws Exception {
        String contest = contest(1, 2);
        for (int i = 0; i < 4; i++) {
            asVisitor(visitor()).body(entry(AuthFixtures.uniqueEmail())).post("/v1/contests/" + contest + "/entries").then().statusCode(201);
        }
        close(pool, contest);
        String admin = admin();
        List<Integer> statuses = burst(4, i -> given().auth().oauth2(admin).post("/v1/admin/contests/" + contest + "/draws").statusCode());
        assertEquals(1, Collections.frequency(statuses, 201), statuses.toString());
        assertEquals(3, Collections.frequency(statuses, 409), statuses.toString());
        assertEquals(1, count(pool, "select count(*) from contest_draw where contest_id = $1", UUID.fromString(contest)));
        assertEquals(2, count(pool, "select count(*) from contest_pick where contest_id = $1", UUID.fromString(contest)));
    }

    @Test
    void P5_disqualifiedWinnerIsRedrawnWithReason() throws Exception {
        String contest = contest(1, 2);
        SignedIn customer = AuthFixtures.customer();
        String customerEntry = asCustomer(customer.accessToken()).body(entry(customer.email())).post("/v1/contests/" + contest + "/entries")
                .then().statusCode(201).extract().path("id");
        for (int i = 0; i < 4; i++) {
            asVisitor(visitor()).body(entry(AuthFixtures.uniqueEmail())).post("/v1/contests/" + contest + "/entries").then().statusCode(201);
        }
        String base = "/v1/admin/contests/" + contest;
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("reason", "too early"))
                .post(base + "/winners/" + customerEntry + "/disqualification").then().statusCode(409)
                .body("type", equalTo(PROBLEMS + "not-drawn"));
        close(pool, contest);
        JsonPath draw = given().auth().oauth2(admin()).post(base + "/draws").then().statusCode(201).extract().jsonPath();
        String first = draw.getString("winners[0].entry_id");
        String second = draw.getString("winners[1].entry_id");

        given().auth().oauth2(admin()).post(base + "/redraws").then().statusCode(409).body("type", equalTo(PROBLEMS + "nothing-to-redraw"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("reason", " "))
                .post(base + "/winners/" + first + "/disqualification").then().statusCode(400).body("errors[0].field", equalTo("reason"));
        String loser = draw.getList("entry_ids", String.class).stream().filter(id -> !id.equals(first) && !id.equals(second)).findFirst().get();
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("reason", "not a winner"))
                .post(base + "/winners/" + loser + "/disqualification").then().statusCode(404);

        String reason = "Did not answer the winner's notice within 14 days (rule 7)";
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("reason", reason))
                .post(base + "/winners/" + first + "/disqualification").then().statusCode(200)
                .body("picks[0].disqualified", equalTo(true)).body("picks[0].disqualification_reason", equalTo(reason))
                .body("picks[0].disqualified_at", notNullValue()).body("winners.entry_id", equalTo(List.of(second)));
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("reason", reason))
                .post(base + "/winners/" + first + "/disqualification").then().statusCode(409)
                .body("type", equalTo(PROBLEMS + "already-disqualified"));

        JsonPath after = given().auth().oauth2(admin()).post(base + "/redraws").then().statusCode(200)
                .body("picks", hasSize(3)).body("picks[2].index", equalTo(2)).body("picks[2].replaces", equalTo(first))
                .body("winners", hasSize(2)).extract().jsonPath();
        // the replacement is pick 2 of the same sequence
        assertEquals(recompute(after.getString("seed"), after.getList("entry_ids", String.class), 3), after.getList("picks.entry_id", String.class));
        assertEquals(List.of(second, after.getString("picks[2].entry_id")), after.getList("winners.entry_id", String.class));
        given().auth().oauth2(admin()).post(base + "/redraws").then().statusCode(409);

        // the customer sees how their entry did
        boolean won = after.getList("winners.entry_id", String.class).contains(customerEntry);
        given().auth().oauth2(customer.accessToken()).get("/v1/me/contest-entries/" + customerEntry).then().statusCode(200)
                .body("won", equalTo(won));
    }

    // ---------------------------------------------------------------------------------------------
    // Bad input and authorisation

    @Test
    void P5_badContestAndEntryInputIsAProblemNamingTheField() {
        String admin = admin();
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("title", "x", "rules", "r", "opens_at", OffsetDateTime.now().plusDays(2).toString(),
                        "closes_at", OffsetDateTime.now().plusDays(1).toString(), "entries_per_person", 1, "winners", 1))
                .post("/v1/admin/contests").then().statusCode(400).body("errors[0].field", equalTo("closes_at"));
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("title", "x", "rules", "r", "closes_at", OffsetDateTime.now().plusDays(1).toString(), "entries_per_person", 0,
                        "winners", 1))
                .post("/v1/admin/contests").then().statusCode(400).body("errors[0].field", equalTo("entries_per_person"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"title\": \"x\", \"winners\": \"many\"}")
                .post("/v1/admin/contests").then().statusCode(400).body("type", equalTo(PROBLEMS + "malformed-request"));

        String contest = contest(1, 1);
        String visitor = visitor();
        Map<String, Object> noAddress = entry(AuthFixtures.uniqueEmail());
        noAddress.remove("address");
        asVisitor(visitor).body(noAddress).post("/v1/contests/" + contest + "/entries").then().statusCode(400)
                .body("errors.field", hasItem("address"));
        Map<String, Object> bad = entry("not-an-email");
        bad.put("phone", "call me");
        asVisitor(visitor).body(bad).post("/v1/contests/" + contest + "/entries").then().statusCode(400)
                .body("errors.field", hasItems("email", "phone"));
        Map<String, Object> extra = entry(AuthFixtures.uniqueEmail());
        extra.put("winner", true);
        asVisitor(visitor).body(extra).post("/v1/contests/" + contest + "/entries").then().statusCode(400)
                .body("errors[0].field", equalTo("winner"));
        asVisitor(visitor).body(entry(AuthFixtures.uniqueEmail())).post("/v1/contests/not-a-uuid/entries").then().statusCode(404);
        asVisitor(visitor).body(entry(AuthFixtures.uniqueEmail())).post("/v1/contests/" + UUID.randomUUID() + "/entries").then().statusCode(404);
        given().queryParam("limit", 0).get("/v1/contests").then().statusCode(400).body("errors[0].field", equalTo("limit"));
        assertEquals(0, count(pool, "select count(*) from contest_entry where contest_id = $1", UUID.fromString(contest)));
    }

    @Test
    void P5_aContestNotOpenYetIsNotPublished() {
        String future = given().auth().oauth2(admin()).contentType(ContentType.JSON)
                .body(Map.of("title", "Winter draw", "rules", "r", "opens_at", OffsetDateTime.now().plusDays(1).toString(),
                        "closes_at", OffsetDateTime.now().plusDays(2).toString(), "entries_per_person", 1, "winners", 1))
                .post("/v1/admin/contests").then().statusCode(201).body("open", equalTo(false)).extract().path("id");
        given().get("/v1/contests/" + future).then().statusCode(404);
        given().queryParam("limit", 100).get("/v1/contests").then().statusCode(200).body("data.id", not(hasItem(future)));
        asVisitor(visitor()).body(entry(AuthFixtures.uniqueEmail())).post("/v1/contests/" + future + "/entries").then().statusCode(404);
        given().auth().oauth2(admin()).queryParam("limit", 100).get("/v1/admin/contests").then().statusCode(200).body("data.id", hasItem(future));
    }

    @Test
    void P5_entriesAreTheirOwnersAndContestsTheAdminsOnly() {
        String contest = contest(1, 1);
        SignedIn alice = AuthFixtures.customer();
        SignedIn bob = AuthFixtures.customer();
        String alices = asCustomer(alice.accessToken()).body(entry(alice.email())).post("/v1/contests/" + contest + "/entries")
                .then().statusCode(201).extract().path("id");
        given().auth().oauth2(bob.accessToken()).get("/v1/me/contest-entries/" + alices).then().statusCode(404)
                .body("type", equalTo(PROBLEMS + "not-found"));
        given().auth().oauth2(bob.accessToken()).get("/v1/me/contest-entries").then().statusCode(200).body("data", hasSize(0));
        given().get("/v1/me/contest-entries").then().statusCode(401);
        given().get("/v1/me/contest-entries/" + alices).then().statusCode(401);

        given().contentType(ContentType.JSON).body(Map.of("title", "x")).post("/v1/admin/contests").then().statusCode(401);
        asCustomer(bob.accessToken()).body(Map.of("title", "x")).post("/v1/admin/contests").then().statusCode(403);
        given().auth().oauth2(bob.accessToken()).get("/v1/admin/contests").then().statusCode(403);
        given().auth().oauth2(bob.accessToken()).get("/v1/admin/contests/" + contest).then().statusCode(403);
        given().auth().oauth2(bob.accessToken()).post("/v1/admin/contests/" + contest + "/draws").then().statusCode(403);
        given().auth().oauth2(AuthFixtures.support().accessToken()).get("/v1/admin/contests/" + contest + "/draws").then().statusCode(403);
        given().auth().oauth2(bob.accessToken()).post("/v1/admin/contests/" + contest + "/redraws").then().statusCode(403);
        given().auth().oauth2(admin()).get("/v1/admin/contests/" + contest + "/draws").then().statusCode(404);
    }

    // ---------------------------------------------------------------------------------------------
    // The draw, written again from its published description

    /** Pick i: HMAC-SHA256(seed bytes, "draw:" + i) as an unsigned integer, mod the entries left, from the sorted list. */
    static List<String> recompute(String seedHex, List<String> sortedIds, int count) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(HexFormat.of().parseHex(seedHex), "HmacSHA256"));
        List<String> left = new ArrayList<>(sortedIds);
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < count && !left.isEmpty(); i++) {
            BigInteger h = new BigInteger(1, mac.doFinal(("draw:" + i).getBytes(StandardCharsets.UTF_8)));
            picks.add(left.remove(h.mod(BigInteger.valueOf(left.size())).intValue()));
        }
        return picks;
    }

    static String sha256Hex(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
