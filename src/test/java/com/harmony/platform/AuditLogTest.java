package com.harmony.platform;

import static com.harmony.order.OrderFixtures.paidOrder;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.harmony.AuthFixtures;
import com.harmony.AuthFixtures.SignedIn;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The admin audit log (P24): staff actions on someone else's data, written with the change, append-only. */
@QuarkusTest
class AuditLogTest {

    @Inject
    Pool pool;

    private static Response audit(Map<String, ?> query) {
        return given().auth().oauth2(AuthFixtures.admin().accessToken()).queryParams(query).get("/v1/admin/audit-log");
    }

    @Test
    void P24_aStaffOrderMoveIsAuditedWithActorTargetSubjectAndRequestId() {
        SignedIn ada = AuthFixtures.customer();
        String order = paidOrder(ada, 1000, 1).path("id");
        SignedIn support = AuthFixtures.support();
        Response moved = given().auth().oauth2(support.accessToken()).contentType(ContentType.JSON).header("X-Request-Id", "audit-test-" + order)
                .body(Map.of("to", "fulfilled")).post("/v1/admin/orders/" + order + "/transitions");
        moved.then().statusCode(200);

        audit(Map.of("target_type", "order", "target_id", order)).then().statusCode(200)
                .body("data", hasSize(1))
                .body("data[0].action", equalTo("order.fulfilled"))
                .body("data[0].actor_id", equalTo(support.accountId()))
                .body("data[0].actor_roles", equalTo(List.of("customer", "support")))
                .body("data[0].subject_account_id", equalTo(ada.accountId()))
                .body("data[0].request_id", equalTo("audit-test-" + order));

        // a move refused as illegal changes nothing and leaves no entry: the entry commits with the change or not at all
        given().auth().oauth2(support.accessToken()).contentType(ContentType.JSON).body(Map.of("to", "delivered"))
                .post("/v1/admin/orders/" + order + "/transitions").then().statusCode(409);
        audit(Map.of("target_type", "order", "target_id", order)).then().body("data", hasSize(1));
        // the buyer's own actions are not staff actions
        audit(Map.of("actor_id", ada.accountId())).then().body("data", hasSize(0));
    }

    @Test
    void P24_roleChangesAndStaffReadsOfAnAccountAreAudited() {
        SignedIn someone = AuthFixtures.customer();
        String admin = AuthFixtures.admin().accessToken();
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("roles", List.of("customer", "support")))
                .put("/v1/admin/accounts/" + someone.accountId() + "/roles").then().statusCode(200);
        given().auth().oauth2(admin).get("/v1/admin/accounts/" + someone.accountId()).then().statusCode(200);

        audit(Map.of("subject_account_id", someone.accountId(), "action", "account.roles_changed")).then().statusCode(200)
                .body("data", hasSize(1)).body("data[0].target_id", equalTo(someone.accountId()));
        audit(Map.of("subject_account_id", someone.accountId(), "action", "read")).then().statusCode(200)
                .body("data[0].target_id", equalTo("/v1/admin/accounts/" + someone.accountId()));
    }

    /** A HEAD of an account tells what a GET would (its tag, its size): it is audited as the read it is. */
    @Test
    void P24_aStaffHeadOfAnAccountIsAuditedLikeItsGet() {
        SignedIn someone = AuthFixtures.customer();
        given().auth().oauth2(AuthFixtures.admin().accessToken()).head("/v1/admin/accounts/" + someone.accountId()).then().statusCode(200)
                .header("ETag", org.hamcrest.Matchers.notNullValue());
        audit(Map.of("subject_account_id", someone.accountId(), "action", "read")).then().statusCode(200)
                .body("data", hasSize(1)).body("data[0].target_id", equalTo("/v1/admin/accounts/" + someone.accountId()));
    }

    /** Staff decisions about someone's records say whose they were, though the request names only the record. */
    @Test
    void P24_decisionsOnAnAffiliateAndOnFeedback_nameTheCustomerTheyConcern() {
        com.harmony.affiliate.AffiliateFixtures.Affiliate affiliate = com.harmony.affiliate.AffiliateFixtures.approvedAffiliate();
        audit(Map.of("subject_account_id", affiliate.who().accountId(), "action", "affiliate.approved")).then().statusCode(200)
                .body("data", hasSize(1)).body("data[0].target_id", equalTo(affiliate.id()));

        SignedIn customer = AuthFixtures.customer();
        String feedback = given().auth().oauth2(customer.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("topic", "website", "message", "The search is slow")).post("/v1/feedback").then().statusCode(201).extract().path("id");
        given().auth().oauth2(AuthFixtures.admin().accessToken()).contentType(ContentType.JSON).body(Map.of("note", "Thanks"))
                .post("/v1/admin/feedback/" + feedback + "/resolution").then().statusCode(200);
        audit(Map.of("subject_account_id", customer.accountId(), "action", "feedback.resolved")).then().statusCode(200)
                .body("data", hasSize(1)).body("data[0].target_id", equalTo(feedback));
    }

    @Test
    void P3_P24_aSupportContactNoteIsAuditedWithTheCustomerItConcerns() {
        SignedIn customer = AuthFixtures.customer();
        SignedIn agent = AuthFixtures.support();
        String id = given().auth().oauth2(agent.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("account_id", customer.accountId(), "channel", "phone", "reason", "delivery", "notes", "Asked about delivery"))
                .post("/v1/admin/support-contacts").then().statusCode(201).extract().path("id");
        audit(Map.of("subject_account_id", customer.accountId(), "action", "support_contact.recorded")).then().statusCode(200)
                .body("data", hasSize(1)).body("data[0].target_id", equalTo(id)).body("data[0].actor_id", equalTo(agent.accountId()));
    }

    /**
     * A staff read of one of a customer's records (an order, a support contact) names the customer it concerns, as a
     * read of their account does: the path names only the record, the entry finds whose it is. A product is nobody's.
     */
    @Test
    void P24_staffReadsOfACustomersOrderOrSupportContact_nameTheCustomer() {
        SignedIn ada = AuthFixtures.customer();
        String order = paidOrder(ada, 1000, 1).path("id");
        SignedIn agent = AuthFixtures.support();
        String contact = given().auth().oauth2(agent.accessToken()).contentType(ContentType.JSON)
                .body(Map.of("account_id", ada.accountId(), "channel", "email", "reason", "order", "notes", "Asked where it is"))
                .post("/v1/admin/support-contacts").then().statusCode(201).extract().path("id");
        given().auth().oauth2(agent.accessToken()).get("/v1/admin/orders/" + order).then().statusCode(200);
        given().auth().oauth2(agent.accessToken()).get("/v1/admin/support-contacts/" + contact).then().statusCode(200);

        List<String> read = audit(Map.of("subject_account_id", ada.accountId(), "action", "read")).then().statusCode(200)
                .extract().path("data.target_id");
        org.junit.jupiter.api.Assertions.assertTrue(read.contains("/v1/admin/orders/" + order), read.toString());
        org.junit.jupiter.api.Assertions.assertTrue(read.contains("/v1/admin/support-contacts/" + contact), read.toString());
        audit(Map.of("actor_id", agent.accountId(), "action", "read")).then().statusCode(200)
                .body("data.subject_account_id", org.hamcrest.Matchers.everyItem(equalTo(ada.accountId())));
    }

    @Test
    void P24_aStaffSearchIsAuditedByItsParameterNamesNeverTheirValues() {
        SignedIn someone = AuthFixtures.customer();
        given().auth().oauth2(AuthFixtures.admin().accessToken()).queryParam("q", someone.email()).get("/v1/admin/accounts").then().statusCode(200);
        given().auth().oauth2(AuthFixtures.admin().accessToken()).queryParam("account_id", someone.accountId())
                .get("/v1/admin/disclosures").then().statusCode(200);
        long leaked = pool.preparedQuery("select count(*) from audit_log where target_id like $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of("%" + someone.email() + "%")).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong(0);
        assertEquals(0, leaked);
        audit(Map.of("subject_account_id", someone.accountId(), "action", "read")).then().statusCode(200)
                .body("data[0].target_id", equalTo("/v1/admin/disclosures?account_id"));
    }

    @Test
    void P24_theLogIsAppendOnlyEvenForTheServicesOwnDatabaseRole() {
        given().auth().oauth2(AuthFixtures.admin().accessToken()).get("/v1/admin/orders").then().statusCode(200);
        assertThrows(Exception.class, () -> pool.query("update audit_log set action = 'nothing'").execute().await().atMost(Duration.ofSeconds(10)));
        assertThrows(Exception.class, () -> pool.query("delete from audit_log").execute().await().atMost(Duration.ofSeconds(10)));
        assertThrows(Exception.class, () -> pool.query("truncate audit_log").execute().await().atMost(Duration.ofSeconds(10)));
        long left = pool.query("select count(*) from audit_log").execute().await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
        assertEquals(true, left > 0);
    }

    @Test
    void P24_onlyAdminsSearchTheLog() {
        given().auth().oauth2(AuthFixtures.support().accessToken()).get("/v1/admin/audit-log").then().statusCode(403);
        given().auth().oauth2(AuthFixtures.customer().accessToken()).get("/v1/admin/audit-log").then().statusCode(403);
        given().get("/v1/admin/audit-log").then().statusCode(401);
        audit(Map.of("actor_id", "not-a-uuid")).then().statusCode(400).contentType("application/problem+json");
        audit(Map.of("cursor", "bogus")).then().statusCode(400);
    }
}
