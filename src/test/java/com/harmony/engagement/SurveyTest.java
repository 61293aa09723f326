package com.harmony.engagement;

import static com.harmony.engagement.EngagementFixtures.PROBLEMS;
import static com.harmony.engagement.EngagementFixtures.admin;
import static com.harmony.engagement.EngagementFixtures.asCustomer;
import static com.harmony.engagement.EngagementFixtures.asVisitor;
import static com.harmony.engagement.EngagementFixtures.count;
import static com.harmony.engagement.EngagementFixtures.visitor;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.harmony.AuthFixtures;
import com.harmony.AuthFixtures.SignedIn;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Surveys (P5, P16): answers checked against the questions, adults only (P31), marketing sign-up recorded as consent. */
@QuarkusTest
class SurveyTest {

    @Inject
    Pool pool;

    static String survey() {
        return given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of(
                        "title", "How did we do?",
                        "questions", List.of(
                                Map.of("key", "season", "kind", "single_choice", "prompt", "Which season do you shop most in?",
                                        "options", List.of("spring", "summer", "autumn", "winter"), "required", true),
                                Map.of("key", "channels", "kind", "multiple_choice", "prompt", "Where do you shop?",
                                        "options", List.of("store", "web", "phone")),
                                Map.of("key", "comments", "kind", "free_text", "prompt", "Anything else?"),
                                Map.of("key", "score", "kind", "rating", "prompt", "How likely are you to recommend us?", "required", true))))
                .post("/v1/admin/surveys").then().statusCode(201).body("questions", hasSize(4)).extract().path("id");
    }

    static Map<String, Object> response(String email, Map<String, Object> answers) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "Grace Hopper");
        body.put("email", email);
        body.put("adult_confirmed", true);
        body.put("answers", answers);
        return body;
    }

    static Map<String, Object> goodAnswers() {
        return Map.of("season", Map.of("choice", "summer"), "channels", Map.of("choices", List.of("web", "store")),
                "score", Map.of("rating", 5));
    }

    @Test
    void P5_surveyAnswersValidatedAgainstQuestions() {
        String survey = survey();
        String path = "/v1/surveys/" + survey + "/responses";
        SignedIn customer = AuthFixtures.customer();

        Map<String, Object> wrong = Map.of(
                "zz_unknown", Map.of("text", "?"),
                "season", Map.of("choice", "monsoon"),
                "channels", Map.of("choices", List.of("web", "fax")),
                "comments", Map.of("rating", 3));
        asCustomer(customer.accessToken()).body(response(customer.email(), wrong)).post(path).then().statusCode(400)
                .contentType("application/problem+json").body("type", equalTo(PROBLEMS + "validation-failed"))
                .body("errors.field", containsInAnyOrder("answers[zz_unknown]", "answers[season].choice", "answers[channels].choices",
                        "answers[comments]", "answers[score]"))
                .body("errors.find { it.field == 'answers[score]' }.message", equalTo("is required"))
                .body("errors.find { it.field == 'answers[comments]' }.message", equalTo("is a free_text question: answer with text only"));
        asCustomer(customer.accessToken()).body(response(customer.email(), Map.of("season", Map.of("choice", "summer"),
                        "score", Map.of("rating", 6)))).post(path).then().statusCode(400)
                .body("errors.field", equalTo(List.of("answers[score].rating")));
        asCustomer(customer.accessToken()).body(response(customer.email(), Map.of("season", Map.of("choices", List.of("summer")),
                        "score", Map.of("rating", 4)))).post(path).then().statusCode(400)
                .body("errors.field", equalTo(List.of("answers[season]")));
        assertEquals(0, count(pool, "select count(*) from survey_response where survey_id = $1", UUID.fromString(survey)));

        String id = asCustomer(customer.accessToken()).body(response(customer.email(), goodAnswers())).post(path).then().statusCode(201)
                .body("responded_as", equalTo("account")).extract().path("id");
        given().auth().oauth2(customer.accessToken()).get("/v1/me/survey-responses/" + id).then().statusCode(200)
                .body("survey_title", equalTo("How did we do?")).body("answers.season.choice", equalTo("summer"))
                .body("answers.channels.choices", equalTo(List.of("store", "web"))).body("answers.score.rating", equalTo(5))
                .body("answers", not(hasKey("comments"))).body("address", nullValue());
        // one response per person
        asCustomer(customer.accessToken()).body(response(AuthFixtures.uniqueEmail(), goodAnswers())).post(path).then().statusCode(409)
                .body("type", equalTo(PROBLEMS + "already-responded"));
        asVisitor(visitor()).body(response(customer.email().toUpperCase(), goodAnswers())).post(path).then().statusCode(409);

        // the public reads the questions, never the responses
        given().get("/v1/surveys/" + survey).then().statusCode(200).body("questions.key", equalTo(List.of("season", "channels", "comments", "score")))
                .body("questions[0].options", hasSize(4)).body("questions[2].options", hasSize(0)).body("$", not(hasKey("response_count")));
        given().queryParam("limit", 100).get("/v1/surveys").then().statusCode(200).body("data.id", hasItem(survey));
        given().auth().oauth2(admin()).get("/v1/admin/surveys/" + survey).then().statusCode(200).body("response_count", equalTo(1));
    }

    @Test
    void P5_surveyQuestionsAreCheckedWhenTheSurveyIsSetUp() {
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("title", "Bad", "questions", List.of(
                        Map.of("key", "a", "kind", "single_choice", "prompt", "One option only?", "options", List.of("yes")),
                        Map.of("key", "a", "kind", "rating", "prompt", "Again a", "options", List.of("1", "2")),
                        Map.of("key", "c", "kind", "multiple_choice", "prompt", "Twice", "options", List.of("x", "x")))))
                .post("/v1/admin/surveys").then().statusCode(400)
                .body("errors.field", containsInAnyOrder("questions[0].options", "questions[1].key", "questions[1].options",
                        "questions[2].options"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("title", "Bad", "questions", List.of(
                        Map.of("key", "Not A Key", "kind", "essay", "prompt", "?"))))
                .post("/v1/admin/surveys").then().statusCode(400)
                .body("errors.field", containsInAnyOrder("questions[0].key", "questions[0].kind"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("title", "Empty", "questions", List.of()))
                .post("/v1/admin/surveys").then().statusCode(400).body("errors[0].field", equalTo("questions"));
    }

    @Test
    void P5_P16_marketingSignUpInASurveyIsRecordedWithSourceSurvey() {
        String survey = survey();
        SignedIn customer = AuthFixtures.customer();
        Map<String, Object> body = response(customer.email(), goodAnswers());
        body.put("marketing", Map.of("email", true, "phone", false));
        asCustomer(customer.accessToken()).body(body).post("/v1/surveys/" + survey + "/responses").then().statusCode(201);
        given().auth().oauth2(customer.accessToken()).get("/v1/me/consents").then().statusCode(200)
                .body("consents.find { it.purpose == 'marketing_email' }.granted", equalTo(true))
                .body("consents.find { it.purpose == 'marketing_email' }.source", equalTo("survey"))
                .body("consents.find { it.purpose == 'marketing_phone' }.source", equalTo("survey"))
                .body("consents.find { it.purpose == 'marketing_postal_mail' }.source", nullValue());
    }

    @Test
    void P31_underAgeSurveyResponseIsRefused() {
        String survey = survey();
        String visitor = visitor();
        String email = AuthFixtures.uniqueEmail();
        Map<String, Object> child = response(email, goodAnswers());
        child.remove("adult_confirmed");
        child.put("birth_date", LocalDate.now().minusYears(15).toString());
        child.put("marketing", Map.of("email", true));
        asVisitor(visitor).body(child).post("/v1/surveys/" + survey + "/responses").then().statusCode(422)
                .contentType("application/problem+json").body("type", equalTo(PROBLEMS + "under-age"));
        child.remove("birth_date");
        child.put("adult_confirmed", false);
        asVisitor(visitor).body(child).post("/v1/surveys/" + survey + "/responses").then().statusCode(422);

        assertEquals(0, count(pool, "select count(*) from survey_response where email_key = $1", email));
        assertEquals(0, count(pool, "select count(*) from consent_event where visitor_id = $1",
                UUID.fromString(visitor.substring(0, 36))));
    }

    @Test
    void P5_responsesAreTheirOwnersAndSurveysTheAdminsOnly() {
        String survey = survey();
        SignedIn alice = AuthFixtures.customer();
        SignedIn bob = AuthFixtures.customer();
        String alices = asCustomer(alice.accessToken()).body(response(alice.email(), goodAnswers()))
                .post("/v1/surveys/" + survey + "/responses").then().statusCode(201).extract().path("id");
        given().auth().oauth2(bob.accessToken()).get("/v1/me/survey-responses/" + alices).then().statusCode(404);
        given().auth().oauth2(bob.accessToken()).get("/v1/me/survey-responses").then().statusCode(200).body("data", hasSize(0));
        given().auth().oauth2(alice.accessToken()).get("/v1/me/survey-responses").then().statusCode(200).body("data.id", equalTo(List.of(alices)));
        given().get("/v1/me/survey-responses").then().statusCode(401);
        given().contentType(ContentType.JSON).body(response(AuthFixtures.uniqueEmail(), goodAnswers()))
                .post("/v1/surveys/" + survey + "/responses").then().statusCode(404).body("type", equalTo(PROBLEMS + "visitor-required"));
        given().auth().oauth2(bob.accessToken()).get("/v1/admin/surveys").then().statusCode(403);
        given().auth().oauth2(bob.accessToken()).get("/v1/admin/surveys/" + survey).then().statusCode(403);
        given().get("/v1/admin/surveys").then().statusCode(401);

        // a survey that closed takes no more responses
        pool.preparedQuery("update survey set opens_at = now() - interval '2 hours', closes_at = now() - interval '1 second' where id = $1")
                .execute(Tuple.of(UUID.fromString(survey))).await().atMost(Duration.ofSeconds(10));
        asVisitor(visitor()).body(response(AuthFixtures.uniqueEmail(), goodAnswers())).post("/v1/surveys/" + survey + "/responses")
                .then().statusCode(409).body("type", equalTo(PROBLEMS + "survey-closed"));
    }
}
