package com.harmony.partner;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import com.harmony.order.OrderFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Partner credentials (issue #13): clients, the client credentials grant, scopes, revocation and rotation. */
@QuarkusTest
class PartnerClientTest {

    @Inject
    Pool pool;

    @Test
    void aNewClientShowsItsSecretOnce_andTheSecretGetsAToken() {
        PartnerFixtures.Client c = PartnerFixtures.client("orders:read", "webhooks:manage");
        assertTrue(c.secret().startsWith("hpc_") && c.secret().length() > 40, c.secret());
        given().auth().oauth2(AuthFixtures.admin().accessToken()).get("/v1/admin/partner-clients/" + c.id()).then().statusCode(200)
                .body("scopes", equalTo(List.of("orders:read", "webhooks:manage"))).body("status", equalTo("active"))
                .body(not(containsString(c.secret()))).body("$", not(org.hamcrest.Matchers.hasKey("client_secret")));
        given().auth().oauth2(AuthFixtures.admin().accessToken()).get("/v1/admin/partner-clients?limit=100").then().statusCode(200)
                .body("data.id", hasItem(c.id())).body(not(containsString(c.secret())));

        PartnerFixtures.tokenRequest(c.id(), c.secret(), null).then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("token_type", equalTo("Bearer")).body("expires_in", equalTo(900))
                .body("scope", equalTo("orders:read webhooks:manage")).body("access_token", notNullValue());
    }

    @Test
    void clientsAreListedNewestFirst_onePageAtATime() {
        PartnerFixtures.Client first = PartnerFixtures.client("catalog:read");
        PartnerFixtures.Client second = PartnerFixtures.client("catalog:read");
        PartnerFixtures.Client third = PartnerFixtures.client("catalog:read");
        String admin = AuthFixtures.admin().accessToken();
        var page = given().auth().oauth2(admin).get("/v1/admin/partner-clients?limit=2").then().statusCode(200)
                .body("data.id", equalTo(List.of(third.id(), second.id()))).body("has_more", equalTo(true)).extract().jsonPath();
        given().auth().oauth2(admin).queryParam("limit", 1).queryParam("cursor", page.getString("next_cursor")).get("/v1/admin/partner-clients")
                .then().statusCode(200).body("data.id", equalTo(List.of(first.id())));
        given().auth().oauth2(admin).get("/v1/admin/partner-clients?cursor=bogus").then().statusCode(400).body("type", containsString("invalid-cursor"));
        given().auth().oauth2(admin).get("/v1/admin/partner-clients/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void theSecretMayComeAsFormFields_butNotBothWaysAtOnce() {
        PartnerFixtures.Client c = PartnerFixtures.client("orders:read");
        given().contentType(ContentType.URLENC).formParam("grant_type", "client_credentials").formParam("client_id", c.id())
                .formParam("client_secret", c.secret()).post("/v1/oauth/token").then().statusCode(200).body("scope", equalTo("orders:read"));
        given().auth().preemptive().basic(c.id(), c.secret()).contentType(ContentType.URLENC).formParam("grant_type", "client_credentials")
                .formParam("client_id", c.id()).formParam("client_secret", c.secret()).post("/v1/oauth/token")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void aWrongSecret_isInvalidClient401WithWwwAuthenticate() {
        PartnerFixtures.Client c = PartnerFixtures.client("orders:read");
        PartnerFixtures.tokenRequest(c.id(), c.secret() + "x", null).then().statusCode(401)
                .header("WWW-Authenticate", containsString("Basic")).header("Cache-Control", "no-store")
                .body("error", equalTo("invalid_client")).body("access_token", nullValue());
        PartnerFixtures.tokenRequest(UUID.randomUUID().toString(), c.secret(), null).then().statusCode(401).body("error", equalTo("invalid_client"));
        PartnerFixtures.tokenRequest("not-a-client", "nothing", null).then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void aScopeNotGranted_isInvalidScope_andOtherGrantsAreUnsupported() {
        PartnerFixtures.Client c = PartnerFixtures.client("catalog:read");
        PartnerFixtures.tokenRequest(c.id(), c.secret(), "catalog:read orders:read").then().statusCode(400).body("error", equalTo("invalid_scope"));
        PartnerFixtures.tokenRequest(c.id(), c.secret(), "partner").then().statusCode(400).body("error", equalTo("invalid_scope"));
        given().auth().preemptive().basic(c.id(), c.secret()).contentType(ContentType.URLENC).formParam("grant_type", "password")
                .post("/v1/oauth/token").then().statusCode(400).body("error", equalTo("unsupported_grant_type"));
        given().auth().preemptive().basic(c.id(), c.secret()).contentType(ContentType.URLENC).formParam("scope", "catalog:read")
                .post("/v1/oauth/token").then().statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void creatingAClientWithAnUnknownScope_isAProblem_andOnlyAdminsCreateClients() {
        given().auth().oauth2(AuthFixtures.admin().accessToken()).contentType(ContentType.JSON)
                .body(Map.of("name", "Acme", "scopes", List.of("orders:write"))).post("/v1/admin/partner-clients")
                .then().statusCode(400).contentType("application/problem+json").body("type", containsString("partner-unknown-scope"));
        given().auth().oauth2(AuthFixtures.support().accessToken()).contentType(ContentType.JSON)
                .body(Map.of("name", "Acme", "scopes", List.of("orders:read"))).post("/v1/admin/partner-clients").then().statusCode(403);
    }

    @Test
    void aTokenWithoutTheScope_isForbiddenOnTheScopedEndpoint() {
        PartnerFixtures.Client c = PartnerFixtures.client("orders:read", "webhooks:manage");
        String narrow = PartnerFixtures.token(c, "webhooks:manage");
        given().auth().oauth2(narrow).get("/v1/partner/orders").then().statusCode(403).body("type", containsString("forbidden"));
        given().auth().oauth2(narrow).get("/v1/partner/webhooks").then().statusCode(200);
        given().auth().oauth2(PartnerFixtures.token(c, "orders:read")).get("/v1/partner/orders").then().statusCode(200);
        given().get("/v1/partner/orders").then().statusCode(401);
    }

    @Test
    void P19_partnerOrdersCarryNoContactData() {
        AuthFixtures.SignedIn buyer = AuthFixtures.customer();
        String number = OrderFixtures.paidOrder(buyer, 1999, 2).path("number");
        PartnerFixtures.Client c = PartnerFixtures.client("orders:read");
        var body = given().auth().oauth2(PartnerFixtures.token(c)).get("/v1/partner/orders?limit=100").then().statusCode(200)
                .body("data.number", hasItem(number)).extract().asString();
        for (String personal : List.of(buyer.email(), "ada@example.com", "Ada Lovelace", "Analytical", "62701", "555 0100", buyer.accountId(), "\"email\"")) {
            assertTrue(!body.contains(personal), "the partner page must not contain " + personal);
        }
        given().auth().oauth2(PartnerFixtures.token(c)).get("/v1/partner/orders?status=nonsense").then().statusCode(400);
    }

    @Test
    void aPartnerTokenReadsTheCatalog_butNothingOutsideThePartnerApi() {
        PartnerFixtures.Client c = PartnerFixtures.client("catalog:read", "orders:read");
        String token = PartnerFixtures.token(c);
        given().auth().oauth2(token).get("/v1/products").then().statusCode(200);
        given().auth().oauth2(token).get("/v1/me").then().statusCode(401);
        given().auth().oauth2(token).get("/v1/admin/partner-clients").then().statusCode(401);
    }

    @Test
    void revokingAClient_stopsItsTokensAtOnce_andItsSecret() {
        PartnerFixtures.Client c = PartnerFixtures.client("orders:read");
        String token = PartnerFixtures.token(c);
        given().auth().oauth2(token).get("/v1/partner/orders").then().statusCode(200);
        given().auth().oauth2(AuthFixtures.admin().accessToken()).post("/v1/admin/partner-clients/" + c.id() + "/revocation")
                .then().statusCode(200).body("status", equalTo("revoked")).body("revoked_at", notNullValue());
        given().auth().oauth2(token).get("/v1/partner/orders").then().statusCode(401);
        PartnerFixtures.tokenRequest(c.id(), c.secret(), null).then().statusCode(401).body("error", equalTo("invalid_client"));
        given().auth().oauth2(AuthFixtures.admin().accessToken()).post("/v1/admin/partner-clients/" + c.id() + "/revocation")
                .then().statusCode(409).body("type", containsString("partner-client-revoked"));
    }

    @Test
    void afterARotation_theOldSecretWorksDuringTheOverlap_andNotAfter() {
        PartnerFixtures.Client c = PartnerFixtures.client("orders:read");
        String fresh = given().auth().oauth2(AuthFixtures.admin().accessToken()).post("/v1/admin/partner-clients/" + c.id() + "/secret-rotation")
                .then().statusCode(200).body("client.previous_secret_expires_at", notNullValue()).extract().path("client_secret");
        PartnerFixtures.tokenRequest(c.id(), fresh, null).then().statusCode(200);
        PartnerFixtures.tokenRequest(c.id(), c.secret(), null).then().statusCode(200);
        // the overlap (24 hours by default) ends
        pool.preparedQuery("update partner_client set previous_secret_expires_at = now() - interval '1 second' where id = $1")
                .execute(Tuple.of(UUID.fromString(c.id()))).await().atMost(Duration.ofSeconds(5));
        PartnerFixtures.tokenRequest(c.id(), c.secret(), null).then().statusCode(401).body("error", equalTo("invalid_client"));
        PartnerFixtures.tokenRequest(c.id(), fresh, null).then().statusCode(200);
        // a second rotation retires the first secret's successor into the overlap and the original for good
        String third = given().auth().oauth2(AuthFixtures.admin().accessToken()).post("/v1/admin/partner-clients/" + c.id() + "/secret-rotation")
                .then().statusCode(200).extract().path("client_secret");
        PartnerFixtures.tokenRequest(c.id(), fresh, null).then().statusCode(200);
        PartnerFixtures.tokenRequest(c.id(), third, null).then().statusCode(200);
        PartnerFixtures.tokenRequest(c.id(), c.secret(), null).then().statusCode(401);
    }

    /**
     * The limit is on failures: correct secrets sent at once from one address beyond the limit may be told to
     * retry in a second (no more than the limit are evaluated at once), but nothing failed, so nothing locks.
     */
    @Test
    void aBurstOfCorrectSecretsFromOneAddressBeyondTheLimit_locksNothing() throws Exception {
        PartnerFixtures.Client c = PartnerFixtures.client("orders:read");
        String address = "198.51.100." + (1 + new java.util.Random().nextInt(250));
        ExecutorService threads = Executors.newFixedThreadPool(24);
        try {
            List<java.util.concurrent.Callable<io.restassured.response.Response>> calls = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                calls.add(() -> PartnerFixtures.tokenRequest(c.id(), c.secret(), null, address));
            }
            for (Future<io.restassured.response.Response> f : threads.invokeAll(calls)) {
                io.restassured.response.Response r = f.get();
                if (r.statusCode() != 200) {
                    assertEquals(429, r.statusCode(), r.asString());
                    assertEquals("1", r.header("Retry-After"), "the excess of a burst waits a moment, it is not locked out: " + r.asString());
                }
            }
        } finally {
            threads.shutdownNow();
        }
        Thread.sleep(1100);
        PartnerFixtures.tokenRequest(c.id(), c.secret(), null, address).then().statusCode(200);
    }

    @Test
    void wrongSecretsCountOnOneLimitPerClient_howeverItsIdIsSpelled() {
        PartnerFixtures.Client c = PartnerFixtures.client("orders:read");
        String attacker = "198.51.100." + (1 + new java.util.Random().nextInt(250));
        for (int i = 0; i < 10; i++) {
            String spelled = i % 2 == 0 ? c.id().toUpperCase(java.util.Locale.ROOT) : c.id();
            PartnerFixtures.tokenRequest(spelled, "hpc_wrong", null, attacker).then().statusCode(401);
        }
        PartnerFixtures.tokenRequest(c.id().toUpperCase(java.util.Locale.ROOT), c.secret(), null, attacker).then().statusCode(429)
                .body("type", containsString("partner-authentication-throttled"));
    }

    @Test
    void aBurstOfParallelTokenRequests_allSucceed_whileWrongSecretsAreThrottledAtTheLimit() throws Exception {
        PartnerFixtures.Client c = PartnerFixtures.client("orders:read");
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> good = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                good.add(threads.submit(() -> PartnerFixtures.tokenRequest(c.id(), c.secret(), null).statusCode()));
            }
            for (Future<Integer> f : good) {
                assertEquals(200, f.get());
            }
            String attacker = "203.0.113." + (1 + new java.util.Random().nextInt(250));
            List<Future<Integer>> bad = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                bad.add(threads.submit(() -> PartnerFixtures.tokenRequest(c.id(), "hpc_wrong", null, attacker).statusCode()));
            }
            int unauthorised = 0;
            int throttled = 0;
            for (Future<Integer> f : bad) {
                int status = f.get();
                unauthorised += status == 401 ? 1 : 0;
                throttled += status == 429 ? 1 : 0;
            }
            assertEquals(16, unauthorised + throttled);
            assertEquals(10, unauthorised, "no more wrong secrets are checked than the limit (PARTNER_AUTH_FAILURES)");
            PartnerFixtures.tokenRequest(c.id(), c.secret(), null, attacker).then().statusCode(429).header("Retry-After", notNullValue())
                    .body("type", containsString("partner-authentication-throttled"));
            // the partner itself, elsewhere, is not locked out
            PartnerFixtures.tokenRequest(c.id(), c.secret(), null).then().statusCode(200);
        } finally {
            threads.shutdownNow();
        }
    }
}
