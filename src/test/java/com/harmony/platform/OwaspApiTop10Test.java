package com.harmony.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import com.harmony.AuthFixtures.SignedIn;
import com.harmony.TestTokens;
import com.harmony.cart.CartFixtures;
import com.harmony.order.OrderFixtures;
import com.harmony.partner.PartnerFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The OWASP API Security Top 10 (2023), one named test per risk, each an attack a client could try
 * through HTTP. Deeper suites sit next to the features (the README maps each risk to them too). Runs with
 * the production webhook target rules (https, public addresses only).
 */
@QuarkusTest
@TestProfile(OwaspApiTop10Test.ProductionTargets.class)
class OwaspApiTop10Test {

    public static class ProductionTargets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("harmony.partner.webhooks.allow-http", "false", "harmony.partner.webhooks.allow-private-targets", "false");
        }
    }

    private static io.restassured.specification.RequestSpecification as(SignedIn who) {
        return given().auth().oauth2(who.accessToken()).contentType(ContentType.JSON);
    }

    @Test
    void API1_2023_brokenObjectLevelAuthorization_anotherCustomersAddressAndOrderAreNotFound() {
        SignedIn ada = AuthFixtures.customer();
        SignedIn eve = AuthFixtures.customer();
        String address = as(ada).body(Map.of("address", OrderFixtures.address())).post("/v1/me/addresses").then().statusCode(201)
                .extract().path("id");
        String order = OrderFixtures.paidOrder(ada, 1200, 1).path("id");
        as(eve).body(Map.of("default_shipping", true)).patch("/v1/me/addresses/" + address).then().statusCode(404);
        as(eve).get("/v1/me/orders/" + order).then().statusCode(404);
        as(eve).header("Idempotency-Key", UUID.randomUUID().toString()).post("/v1/me/orders/" + order + "/cancel")
                .then().statusCode(404);
        as(ada).get("/v1/me/orders/" + order).then().statusCode(200).body("id", equalTo(order));
    }

    @Test
    void API2_2023_brokenAuthentication_forgedExpiredAndUnsignedTokensAreRefused_andGuessingIsThrottled() {
        for (String forged : List.of(TestTokens.expiredAdmin(), TestTokens.wrongIssuerAdmin(), TestTokens.wrongAudienceAdmin(),
                TestTokens.foreignKeyAdmin(), TestTokens.unsignedAdmin())) {
            given().auth().oauth2(forged).get("/v1/admin/accounts").then().statusCode(401)
                    .contentType(Problem.MEDIA_TYPE).body("type", equalTo(ProblemType.UNAUTHORIZED.uri()));
        }
        String email = AuthFixtures.uniqueEmail();
        AuthFixtures.register(email);
        String client = AuthFixtures.randomClient();
        int status = 0;
        for (int i = 0; i < 30 && status != 429; i++) {
            status = given().header("X-Forwarded-For", client).contentType(ContentType.JSON)
                    .body(Map.of("email", email, "password", "not the password " + i)).post("/v1/auth/sign-in").statusCode();
        }
        assertEquals(429, status, "password guessing is throttled");
    }

    @Test
    void API3_2023_brokenObjectPropertyLevelAuthorization_aClientCannotSetRolesOrIds_andNeverSeesCredentials() {
        SignedIn ada = AuthFixtures.customer();
        as(ada).body(Map.of("name", "Ada", "roles", List.of("admin"))).patch("/v1/me").then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE);
        as(ada).body(Map.of("id", UUID.randomUUID().toString())).patch("/v1/me").then().statusCode(400);
        String me = as(ada).get("/v1/me").then().statusCode(200).body("roles", not(hasItem("admin")))
                .body("$", not(hasKey("password_hash"))).extract().asString();
        assertTrue(!me.contains("argon2") && !me.contains("$2a$"), "no password hash in the account");
        String variant = CartFixtures.variant(1500, 5);
        CartFixtures.GuestCart cart = CartFixtures.guestCart();
        given().header("X-Cart-Token", cart.token()).contentType(ContentType.JSON)
                .body(Map.of("variant_id", variant, "quantity", 1, "unit_price", Map.of("amount_minor", 1, "currency", "USD")))
                .post("/v1/carts/" + cart.id() + "/items").then().statusCode(400);
    }

    @Test
    void API4_2023_unrestrictedResourceConsumption_bodiesPagesAndStringsAreBounded() {
        given().contentType(ContentType.JSON).body("{\"email\":\"" + "a".repeat(300 * 1024) + "\"}").post("/v1/accounts")
                .then().statusCode(413).contentType(Problem.MEDIA_TYPE);
        given().get("/v1/products?limit=100000").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        given().get("/v1/products?q=" + "x".repeat(5_000)).then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        SignedIn ada = AuthFixtures.customer();
        as(ada).body(Map.of("current_password", "x".repeat(10_000), "new_password", "y".repeat(10_000)))
                .post("/v1/me/password").then().statusCode(400);
    }

    @Test
    void API5_2023_brokenFunctionLevelAuthorization_customersCannotReachStaffOperations_norPartnersCustomerOnes() {
        SignedIn ada = AuthFixtures.customer();
        as(ada).get("/v1/admin/accounts").then().statusCode(403).body("type", equalTo(ProblemType.FORBIDDEN.uri()));
        as(ada).body(Map.of("roles", List.of("admin"))).put("/v1/admin/accounts/" + ada.accountId() + "/roles").then().statusCode(403);
        as(ada).get("/v1/admin/audit-log").then().statusCode(403);
        String partner = partnerToken("catalog:read");
        given().auth().oauth2(partner).get("/v1/me").then().statusCode(401);
        given().auth().oauth2(partner).get("/v1/admin/accounts").then().statusCode(401);
        given().auth().oauth2(partner).get("/v1/partner/orders").then().statusCode(403);
    }

    @Test
    void API6_2023_unrestrictedAccessToSensitiveBusinessFlows_twoBuyersOfTheLastUnitNeverBothSucceed() throws Exception {
        String variant = CartFixtures.variant(2500, 1);
        List<SignedIn> buyers = List.of(AuthFixtures.customer(), AuthFixtures.customer(), AuthFixtures.customer(), AuthFixtures.customer());
        List<String> carts = new ArrayList<>();
        for (SignedIn b : buyers) {
            carts.add(CartFixtures.myCartWith(b, variant, 1));
        }
        ExecutorService pool = Executors.newFixedThreadPool(buyers.size());
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < buyers.size(); i++) {
                SignedIn b = buyers.get(i);
                String cart = carts.get(i);
                answers.add(pool.submit(() -> OrderFixtures.place(b, OrderFixtures.checkout(cart)).statusCode()));
            }
            int sold = 0;
            for (Future<Integer> f : answers) {
                int status = f.get();
                assertTrue(status == 201 || status == 409, "a buyer got " + status);
                sold += status == 201 ? 1 : 0;
            }
            assertEquals(1, sold, "exactly one buyer gets the last unit");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void API7_2023_serverSideRequestForgery_webhooksToInternalAddressesAreRefused() {
        String partner = partnerToken("webhooks:manage", "orders:read");
        for (String target : List.of("https://169.254.169.254/latest/meta-data/", "https://127.0.0.1/hook", "https://10.0.0.5/hook",
                "https://[::1]/hook", "http://partner.example/hook", "https://user:secret@partner.example/hook")) {
            given().auth().oauth2(partner).contentType(ContentType.JSON)
                    .body(Map.of("url", target, "event_types", List.of("order.paid"))).post("/v1/partner/webhooks")
                    .then().statusCode(400).contentType(Problem.MEDIA_TYPE).body("type", containsString("webhook-target-refused"));
        }
    }

    @Test
    void API8_2023_securityMisconfiguration_hardenedHeaders_noForeignOrigins_noInternalsInErrors() {
        given().get("/v1/me").then().statusCode(401)
                .header("X-Content-Type-Options", "nosniff").header("X-Frame-Options", "DENY")
                .header("Cache-Control", containsString("no-store"))
                .header("Content-Security-Policy", containsString("default-src 'none'"))
                .body(not(containsString("Exception"))).body(not(containsString("at com.")));
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .options("/v1/me/orders").then().header("Access-Control-Allow-Origin", (String) null);
        given().contentType(ContentType.JSON).body("{\"email\": ").post("/v1/accounts").then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE).body(not(containsString("jackson"))).body(not(containsString("Exception")));
    }

    @Test
    void API9_2023_improperInventoryManagement_theServedSpecIsTheContract_andNothingUndocumentedAnswers() throws Exception {
        String served = given().accept("application/yaml").get("/q/openapi").then().statusCode(200).extract().asString();
        assertEquals(Files.readString(Path.of("openapi/openapi.yaml")), Files.readString(Path.of("target/openapi/openapi.yaml")),
                "the checked-in contract is what the service generates");
        assertTrue(served.contains("operationId: listProducts"));
        given().get("/v2/products").then().statusCode(404);
        given().get("/v1/internal/debug").then().statusCode(404);
        given().get("/q/metrics").then().statusCode(404);
        given().get("/q/health").then().statusCode(404);
    }

    @Test
    void API10_2023_unsafeConsumptionOfApis_aFailingPaymentProviderLeavesNoOrderAndNoStockTaken() {
        SignedIn ada = AuthFixtures.customer();
        String variant = CartFixtures.variant(1900, 3);
        String cart = CartFixtures.myCartWith(ada, variant, 2);
        Map<String, Object> body = OrderFixtures.checkout(cart);
        body.put("payment_token", "tok_error");
        OrderFixtures.place(ada, body).then().statusCode(502).contentType(Problem.MEDIA_TYPE)
                .body("type", containsString("payment-provider-error"));
        as(ada).get("/v1/me/orders").then().statusCode(200).body("data.size()", equalTo(0));
        // every unit is still there: the failed attempt reserved nothing
        CartFixtures.myCartWith(ada, variant, 1);
        String again = as(ada).body(Map.of("quantity", 3)).patch("/v1/me/cart/items/" + variant).then().statusCode(200)
                .body("stock_warning", equalTo(false)).extract().path("id");
        OrderFixtures.place(ada, OrderFixtures.checkout(again)).then().statusCode(201);
    }

    private static String partnerToken(String... scopes) {
        return PartnerFixtures.token(PartnerFixtures.client(scopes));
    }
}
