package com.harmony.engagement;

import static com.harmony.PersonalDataChecks.count;
import static com.harmony.PersonalDataChecks.erase;
import static com.harmony.PersonalDataChecks.execute;
import static com.harmony.PersonalDataChecks.export;
import static com.harmony.PersonalDataChecks.exported;
import static com.harmony.PersonalDataChecks.find;
import static com.harmony.PersonalDataChecks.of;
import static com.harmony.PersonalDataChecks.purge;
import static com.harmony.PersonalDataChecks.purged;
import static com.harmony.PersonalDataChecks.query;
import static com.harmony.engagement.EngagementFixtures.admin;
import static com.harmony.engagement.EngagementFixtures.asCustomer;
import static com.harmony.engagement.EngagementFixtures.asVisitor;
import static com.harmony.engagement.EngagementFixtures.close;
import static com.harmony.engagement.EngagementFixtures.contest;
import static com.harmony.engagement.EngagementFixtures.entry;
import static com.harmony.engagement.EngagementFixtures.visitor;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Engagement's part in export, erasure and retention (P5, P13, P28): entries and responses go, a draw's picks stay recomputable. */
@QuarkusTest
class EngagementPersonalDataTest {

    @Inject
    Pool pool;

    @Inject
    EngagementPersonalData engagement;

    private static Map<String, Object> entryOf(String name, String email, String phone) {
        Map<String, Object> body = new HashMap<>(entry(email));
        body.put("name", name);
        body.put("phone", phone);
        return body;
    }

    private static Map<String, Object> responseOf(String name, String email, String comment) {
        Map<String, Object> answers = new HashMap<>(SurveyTest.goodAnswers());
        answers.put("comments", Map.of("text", comment));
        Map<String, Object> body = new HashMap<>(SurveyTest.response(email, answers));
        body.put("name", name);
        return body;
    }

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private long rowsHolding(String value) {
        return count(pool, """
                select (select count(*) from contest_entry t where strpos(to_jsonb(t)::text, $1) > 0)
                     + (select count(*) from contest_pick t where strpos(to_jsonb(t)::text, $1) > 0)
                     + (select count(*) from survey_response t where strpos(to_jsonb(t)::text, $1) > 0)""", value);
    }

    @Test
    void entriesAndResponsesAreErased_picksStayWithTheReasonCleared_anothersStay_P5_P13_P28() {
        SignedIn ada = AuthFixtures.customer();
        String adaName = "Ada Entrant " + unique();
        String adaPhone = "+1 217 555 " + (1000 + new java.util.Random().nextInt(9000));
        String visitorToken = visitor();
        UUID visitorId = UUID.fromString(visitorToken.substring(0, 36));
        String graceName = "Grace Entrant " + unique();
        String contest = contest(1, 2);
        String adaEntry = asCustomer(ada.accessToken()).body(entryOf(adaName, ada.email(), adaPhone)).post("/v1/contests/" + contest + "/entries")
                .then().statusCode(201).extract().path("id");
        String graceEntry = asVisitor(visitorToken).body(entryOf(graceName, AuthFixtures.uniqueEmail(), "+1 703 555 0199"))
                .post("/v1/contests/" + contest + "/entries").then().statusCode(201).extract().path("id");
        String survey = SurveyTest.survey();
        asCustomer(ada.accessToken()).body(responseOf(adaName, ada.email(), "Call " + adaPhone)).post("/v1/surveys/" + survey + "/responses")
                .then().statusCode(201);
        asVisitor(visitorToken).body(responseOf(graceName, AuthFixtures.uniqueEmail(), "Lovely")).post("/v1/surveys/" + survey + "/responses")
                .then().statusCode(201);
        close(pool, contest);
        given().auth().oauth2(admin()).post("/v1/admin/contests/" + contest + "/draws").then().statusCode(201);
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("reason", adaName + " did not answer on " + adaPhone))
                .post("/v1/admin/contests/" + contest + "/winners/" + adaEntry + "/disqualification").then().statusCode(200);
        Person customer = Person.customer(UUID.fromString(ada.accountId()), UUID.randomUUID());

        assertEquals(Map.of("contest_entry", 1L, "contest_pick", 1L, "survey_response", 1L), find(pool, engagement, customer));
        List<ExportedRow> rows = export(pool, engagement, customer);
        assertEquals(adaName, exported(rows, "contest_entry").get(0).json().get("name").asText());
        assertEquals(adaPhone, exported(rows, "contest_entry").get(0).json().get("phone").asText());
        assertTrue(exported(rows, "contest_pick").get(0).json().get("disqualification_reason").asText().startsWith(adaName));
        assertEquals("Call " + adaPhone, exported(rows, "survey_response").get(0).json().at("/answers/comments/text").asText());

        OffsetDateTime closed = query(pool, "select closes_at from contest where id = $1", UUID.fromString(contest)).get(0).getOffsetDateTime(0);
        List<Erased> erased = erase(pool, engagement, customer);
        Erased picks = of(erased, "contest_pick");
        assertEquals("kept", picks.action());
        assertEquals(1, picks.rows());
        assertEquals(List.of("disqualification_reason"), picks.columns());
        assertEquals(closed.plusYears(1).truncatedTo(ChronoUnit.SECONDS), picks.keptUntil().truncatedTo(ChronoUnit.SECONDS));
        assertEquals(Erased.deleted("contest_entry", 1), of(erased, "contest_entry"));
        assertEquals(Erased.deleted("survey_response", 1), of(erased, "survey_response"));

        for (String value : List.of(adaName, adaPhone, ada.email())) {
            assertEquals(0, rowsHolding(value), value + " is gone");
        }
        assertEquals(EngagementPersonalData.ERASED, query(pool, "select disqualification_reason from contest_pick where entry_id = $1",
                UUID.fromString(adaEntry)).get(0).getString(0), "the pick stays, disqualified, pointing to nobody");
        given().auth().oauth2(admin()).get("/v1/admin/contests/" + contest + "/draws").then().statusCode(200)
                .body("picks.entry_id", org.hamcrest.Matchers.hasItem(adaEntry));
        assertEquals(2, rowsHolding(graceName), "the other entrant's entry and response are untouched");

        List<Erased> again = erase(pool, engagement, customer);
        again.forEach(e -> assertEquals(0, e.rows(), "a second run finds nothing: " + e));

        // the visitor's pick is reached through its entry too
        Person visitor = Person.visitor(visitorId, UUID.randomUUID());
        assertEquals(Map.of("contest_entry", 1L, "contest_pick", 1L, "survey_response", 1L), find(pool, engagement, visitor));
        erased = erase(pool, engagement, visitor);
        assertEquals(1, of(erased, "contest_pick").rows());
        assertNull(query(pool, "select disqualification_reason from contest_pick where entry_id = $1", UUID.fromString(graceEntry)).get(0)
                .getString(0), "a winner never disqualified has no reason to clear");
        assertEquals(0, rowsHolding(graceName));
        assertEquals(2, count(pool, "select count(*) from contest_pick where contest_id = $1", UUID.fromString(contest)));
    }

    @Test
    void purgeDeletesEntriesAndPicksAYearAfterTheContestClosed_andResponsesAYearOld_safeTwice_P28() {
        String oldContest = contest(1, 1);
        String newContest = contest(1, 1);
        String oldEntry = asVisitor(visitor()).body(entry(AuthFixtures.uniqueEmail())).post("/v1/contests/" + oldContest + "/entries")
                .then().statusCode(201).extract().path("id");
        String newEntry = asVisitor(visitor()).body(entry(AuthFixtures.uniqueEmail())).post("/v1/contests/" + newContest + "/entries")
                .then().statusCode(201).extract().path("id");
        close(pool, oldContest);
        given().auth().oauth2(admin()).post("/v1/admin/contests/" + oldContest + "/draws").then().statusCode(201);
        execute(pool, "update contest set opens_at = now() - interval '2 years', closes_at = now() - interval '1 year 1 day' where id = $1",
                UUID.fromString(oldContest));
        String survey = SurveyTest.survey();
        String oldEmail = AuthFixtures.uniqueEmail();
        String newEmail = AuthFixtures.uniqueEmail();
        asVisitor(visitor()).body(SurveyTest.response(oldEmail, SurveyTest.goodAnswers())).post("/v1/surveys/" + survey + "/responses")
                .then().statusCode(201);
        asVisitor(visitor()).body(SurveyTest.response(newEmail, SurveyTest.goodAnswers())).post("/v1/surveys/" + survey + "/responses")
                .then().statusCode(201);
        execute(pool, "update survey_response set responded_at = now() - interval '1 year 1 day' where email = $1", oldEmail);
        execute(pool, "update survey_response set responded_at = now() - interval '1 year' + interval '1 day' where email = $1", newEmail);

        List<Purged> purged = purge(pool, engagement);
        assertTrue(purged(purged, "contest_entry") >= 1, purged::toString);
        assertTrue(purged(purged, "contest_pick") >= 1, purged::toString);
        assertTrue(purged(purged, "survey_response") >= 1, purged::toString);
        assertEquals(0, count(pool, "select count(*) from contest_entry where id = $1", UUID.fromString(oldEntry)));
        assertEquals(0, count(pool, "select count(*) from contest_pick where contest_id = $1", UUID.fromString(oldContest)));
        assertEquals(1, count(pool, "select count(*) from contest_draw where contest_id = $1", UUID.fromString(oldContest)),
                "the draw (entry ids only) stays with the contest");
        assertEquals(1, count(pool, "select count(*) from contest_entry where id = $1", UUID.fromString(newEntry)));
        assertEquals(0, count(pool, "select count(*) from survey_response where email = $1", oldEmail));
        assertEquals(1, count(pool, "select count(*) from survey_response where email = $1", newEmail));

        purge(pool, engagement).forEach(p -> assertEquals(0, p.rows(), "a second run finds nothing more: " + p));
    }
}
