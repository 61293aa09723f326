package com.harmony.engagement;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.harmony.consent.ConsentService;
import com.harmony.consent.ConsentService.Requester;
import com.harmony.consent.ConsentService.Source;
import com.harmony.consent.ConsentService.Subject;
import com.harmony.engagement.EngagementRequests.SurveyRequest;
import com.harmony.engagement.EngagementRequests.SurveyResponseRequest;
import com.harmony.engagement.EngagementViews.Question;
import com.harmony.engagement.EngagementViews.ResponseReceipt;
import com.harmony.platform.NewestFirst;
import com.harmony.platform.ProblemException;
import com.harmony.platform.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Surveys (P5, P16): admins set the questions; adults (P31) respond once each with their contact details
 * and answers checked against the questions, and may sign up for marketing as they do, recorded as
 * consent (source survey) in the response's transaction. Respondents read their own responses only.
 */
@ApplicationScoped
public class SurveyService {

    private static final String OPEN = "(s.opens_at <= now() and (s.closes_at is null or now() < s.closes_at))";
    private static final String DOC = """
            json_build_object('id', s.id, 'title', s.title, 'description', s.description, 'opens_at', rfc3339(s.opens_at),
                'closes_at', rfc3339(s.closes_at), 'open', %s, 'questions', s.questions)::text""".formatted(OPEN);
    private static final String ADMIN_DOC = """
            json_build_object('id', s.id, 'title', s.title, 'description', s.description, 'opens_at', rfc3339(s.opens_at),
                'closes_at', rfc3339(s.closes_at), 'open', %s, 'questions', s.questions,
                'response_count', (select count(*) from survey_response r where r.survey_id = s.id),
                'created_by', s.created_by, 'created_at', rfc3339(s.created_at))::text""".formatted(OPEN);
    private static final String RESPONSE_DOC = """
            json_build_object('id', r.id, 'survey_id', r.survey_id, 'survey_title', s.title, 'name', r.name, 'email', r.email,
                'phone', r.phone, 'address', r.postal_address, 'answers', r.answers, 'responded_at', rfc3339(r.responded_at))::text""";

    private static final NewestFirst ADMIN_LIST = new NewestFirst("survey s", "s", "created_at", "surveys", ADMIN_DOC);
    private static final NewestFirst OPEN_LIST = new NewestFirst(
            "(select * from survey where opens_at <= now() and (closes_at is null or now() < closes_at)) s", "s", "opens_at",
            "open-surveys", DOC);
    private static final NewestFirst MY_RESPONSES = new NewestFirst(
            "survey_response r join survey s on s.id = r.survey_id", "r", "responded_at", "my-survey-responses", RESPONSE_DOC);

    private static final String INSERT = """
            insert into survey (id, title, description, questions, opens_at, closes_at, created_by)
            values ($1, $2, $3, $4::text::jsonb, coalesce($5, now()), $6, $7)""";
    private static final String ADMIN_ONE = "select " + ADMIN_DOC + " as doc from survey s where s.id = $1";
    private static final String PUBLIC_ONE = "select " + DOC + " as doc from survey s where s.id = $1 and s.opens_at <= now()";
    /** Key share, as for contest entries: responses go on side by side and the survey cannot go away under them. */
    private static final String LOCK_SURVEY = """
            select s.questions::text as questions, s.opens_at <= now() as opened, %s as open
            from survey s where s.id = $1 for key share""".formatted(OPEN);
    private static final String COUNT = """
            select count(*) as n from survey_response
            where survey_id = $1 and (account_id = $2 or visitor_id = $3 or email_key = $4)""";
    private static final String RESPOND = """
            insert into survey_response (id, survey_id, account_id, visitor_id, name, email, email_key, phone, postal_address, answers,
                adult_basis)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9::text::jsonb, $10::text::jsonb, $11) returning rfc3339(responded_at) as responded_at""";
    private static final String MY_ONE = "select " + RESPONSE_DOC + " as doc from survey_response r join survey s on s.id = r.survey_id "
            + "where r.id = $1 and r.account_id = $2";
    private static final TypeReference<List<Question>> QUESTIONS = new TypeReference<>() { };

    private final Pool pool;
    private final ConsentService consents;
    private final ObjectMapper json;

    SurveyService(Pool pool, ConsentService consents, ObjectMapper json) {
        this.pool = pool;
        this.consents = consents;
        this.json = json;
    }

    // ------------------------------------------------------------------ back office

    public Uni<EngagementViews.Created> create(SurveyRequest r, UUID admin) {
        OffsetDateTime opens = r.opensAt() == null ? OffsetDateTime.now() : r.opensAt();
        if (r.closesAt() != null && !r.closesAt().isAfter(opens)) {
            throw ProblemException.invalid("closes_at", "must be after opens_at");
        }
        if (r.closesAt() != null && !r.closesAt().isAfter(OffsetDateTime.now())) {
            throw ProblemException.invalid("closes_at", "must be in the future");
        }
        List<Question> questions = SurveyQuestions.define(r.questions());
        UUID id = UUID.randomUUID();
        String description = r.description() == null || r.description().isBlank() ? null : r.description().strip();
        return pool.withTransaction(conn -> conn.preparedQuery(INSERT)
                        .execute(Tuple.from(new Object[] {id, r.title().strip(), description, write(questions), r.opensAt(), r.closesAt(), admin}))
                        .chain(() -> conn.preparedQuery(ADMIN_ONE).execute(Tuple.of(id))))
                .map(rows -> new EngagementViews.Created(id, Rows.doc(rows.iterator().next())));
    }

    public Uni<String> list(int limit, String cursor) {
        return ADMIN_LIST.page(pool, null, null, limit, cursor);
    }

    public Uni<String> adminGet(UUID id) {
        return one(ADMIN_ONE, Tuple.of(id), "Survey");
    }

    // ------------------------------------------------------------------ the public

    public Uni<String> listOpen(int limit, String cursor) {
        return OPEN_LIST.page(pool, null, null, limit, cursor);
    }

    public Uni<String> get(UUID id) {
        return one(PUBLIC_ONE, Tuple.of(id), "Survey");
    }

    /**
     * One response. The age check comes first and touches nothing (P31). Then, in one transaction: the
     * survey must be open, the answers must fit its questions, the person must not have responded yet
     * (under their locks), the response is stored and the marketing answer recorded (source survey).
     */
    public Uni<ResponseReceipt> respond(UUID surveyId, SurveyResponseRequest r, Uni<Requester> requester) {
        String adult = Entrants.adultBasis(r.birthDate(), r.adultConfirmed());
        // resolved only now: knowing the visitor touches its row, and an under-age response must touch nothing
        return requester.chain(who -> respond(surveyId, r, adult, who));
    }

    private Uni<ResponseReceipt> respond(UUID surveyId, SurveyResponseRequest r, String adult, Requester who) {
        Subject subject = Entrants.subject(who);
        String emailKey = Entrants.emailKey(r.email());
        UUID id = UUID.randomUUID();
        return pool.withTransaction(conn -> openSurvey(conn, surveyId)
                .map(questions -> SurveyQuestions.check(questions, r.answers()))
                .call(() -> Entrants.lockPerson(conn, "survey:" + surveyId, who, emailKey))
                .call(() -> notRespondedYet(conn, surveyId, who, emailKey))
                .chain(answers -> conn.preparedQuery(RESPOND).execute(Tuple.from(new Object[] {id, surveyId, who.accountId(), who.visitorId(),
                        r.name().strip(), r.email().strip(), emailKey, ContestService.blankToNull(r.phone()),
                        r.address() == null ? null : write(r.address()), write(answers), adult})))
                .map(rows -> new ResponseReceipt(id.toString(), surveyId.toString(), rows.iterator().next().getString("responded_at"),
                        subject.accountId() != null ? "account" : "visitor"))
                .call(() -> consents.record(conn, subject, Entrants.choices(r.marketing()), Source.SURVEY)));
    }

    private Uni<List<Question>> openSurvey(SqlClient conn, UUID surveyId) {
        return conn.preparedQuery(LOCK_SURVEY).execute(Tuple.of(surveyId)).map(rows -> {
            Row s = Rows.first(rows);
            if (s == null || !s.getBoolean("opened")) {
                throw ProblemException.notFound("Survey");
            }
            if (!s.getBoolean("open")) {
                throw new ProblemException(EngagementProblems.SURVEY_CLOSED, "This survey closed; responses are no longer accepted.");
            }
            return read(s.getString("questions"));
        });
    }

    private static Uni<Void> notRespondedYet(SqlClient conn, UUID surveyId, Requester who, String emailKey) {
        return conn.preparedQuery(COUNT).execute(Tuple.of(surveyId, who.accountId(), who.visitorId(), emailKey)).invoke(rows -> {
            if (rows.iterator().next().getLong("n") > 0) {
                throw new ProblemException(EngagementProblems.ALREADY_RESPONDED,
                        "This survey takes one response per person, and one was given (by this account, this browser or this email address).");
            }
        }).replaceWithVoid();
    }

    // ------------------------------------------------------------------ my responses

    public Uni<String> myResponses(UUID accountId, int limit, String cursor) {
        return MY_RESPONSES.page(pool, "account_id", accountId, limit, cursor);
    }

    /** Another person's response is not found, never forbidden. */
    public Uni<String> myResponse(UUID accountId, UUID responseId) {
        return one(MY_ONE, Tuple.of(responseId, accountId), "Response");
    }

    // ------------------------------------------------------------------ helpers

    private Uni<String> one(String sql, Tuple args, String what) {
        return pool.preparedQuery(sql).execute(args).map(rows -> {
            Row row = Rows.first(rows);
            if (row == null) {
                throw ProblemException.notFound(what);
            }
            return Rows.doc(row);
        });
    }

    private List<Question> read(String questions) {
        try {
            return json.readValue(questions, QUESTIONS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored survey's questions no longer read", e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
