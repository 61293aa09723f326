package com.harmony.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import com.harmony.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** Bad input of every kind is an RFC 9457 problem with a stable type, never a 500 or a stack trace. */
@QuarkusTest
class ProblemDocumentsTest {

    private static final String PROBLEMS = "https://harmony.example/problems/";

    @Test
    void malformedJsonIsAMalformedRequestProblem() {
        given().auth().oauth2(com.harmony.AuthFixtures.admin().accessToken()).contentType(ContentType.JSON).body("{\"slug\": ")
                .post("/v1/admin/products").then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "malformed-request"))
                .body(not(containsString("Exception")))
                .body(not(containsString("at com.")));
    }

    @Test
    void wrongTypesAreProblemsNamingTheField() {
        given().auth().oauth2(com.harmony.AuthFixtures.admin().accessToken()).contentType(ContentType.JSON)
                .body("{\"slug\":\"x\",\"title\":\"t\",\"variants\":[{\"sku\":\"A\",\"price_minor\":\"cheap\",\"currency\":\"USD\",\"stock_on_hand\":1}]}")
                .post("/v1/admin/products").then().statusCode(400)
                .body("type", equalTo(PROBLEMS + "malformed-request"))
                .body("errors[0].field", equalTo("variants[0].price_minor"));
    }

    @Test
    void unknownFieldsAreRefusedNotIgnored() {
        given().auth().oauth2(com.harmony.AuthFixtures.admin().accessToken()).contentType(ContentType.JSON)
                .body("{\"delta\": 1, \"stock_on_hand\": 999}")
                .post("/v1/admin/variants/00000000-0000-0000-0000-000000000000/stock-adjustments").then().statusCode(400)
                .body("errors[0].field", equalTo("stock_on_hand"));
    }

    @Test
    void emptyBodyIsAValidationProblem() {
        given().auth().oauth2(com.harmony.AuthFixtures.admin().accessToken()).contentType(ContentType.JSON)
                .post("/v1/admin/categories").then().statusCode(400)
                .body("type", equalTo(PROBLEMS + "validation-failed"));
    }

    @Test
    void oversizedBodyIsAPayloadTooLargeProblem() {
        String huge = "{\"slug\":\"" + "a".repeat(300_000) + "\"}";
        given().auth().oauth2(com.harmony.AuthFixtures.admin().accessToken()).contentType(ContentType.JSON).body(huge)
                .post("/v1/admin/categories").then().statusCode(413)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "payload-too-large"));
    }

    @Test
    void wrongMediaTypeAndMethodAreProblems() {
        given().auth().oauth2(com.harmony.AuthFixtures.admin().accessToken()).contentType(ContentType.TEXT).body("slug=x")
                .post("/v1/admin/categories").then().statusCode(415)
                .body("type", equalTo(PROBLEMS + "unsupported-media-type"));
        given().delete("/v1/products").then().statusCode(405).body("type", equalTo(PROBLEMS + "method-not-allowed"));
    }

    /** RFC 9110 §15.5.6: a 405 names the methods the resource has, from the spec, wherever its resource class is. */
    @Test
    void aMethodThePathDoesNotHave_is405WithTheSpecsMethodsInAllow() {
        given().delete("/v1/products").then().statusCode(405).header("Allow", equalTo("GET, HEAD, OPTIONS"));
        String admin = com.harmony.AuthFixtures.admin().accessToken();
        String account = "/v1/admin/accounts/" + java.util.UUID.randomUUID();
        // sub-resources of another class than the account's own: the framework alone answers these 404
        given().auth().oauth2(admin).post(account + "/consents").then().statusCode(405)
                .contentType("application/problem+json").body("type", equalTo(PROBLEMS + "method-not-allowed"))
                .header("Allow", equalTo("GET, HEAD, PATCH, OPTIONS"));
        given().auth().oauth2(admin).delete(account + "/consents/history").then().statusCode(405).header("Allow", equalTo("GET, HEAD, OPTIONS"));
        given().auth().oauth2(admin).patch(account + "/partner-attributes").then().statusCode(405);
        // a method the path has, on an id that is not there, is still 404; a path the spec lacks too
        given().auth().oauth2(admin).get(account + "/consents/history").then().statusCode(404);
        given().delete("/v1/no-such-thing").then().statusCode(404);
    }

    /** OPTIONS names the same methods as a 405 would: the spec's for the path, not every method of its resource class. */
    @Test
    void optionsListsTheSpecsMethodsForThePath() {
        given().options("/v1/carts/" + java.util.UUID.randomUUID()).then().statusCode(200).header("Allow", equalTo("GET, HEAD, OPTIONS"));
        given().options("/v1/me").then().header("Allow", equalTo("GET, HEAD, PATCH, DELETE, OPTIONS"));
        given().options("/v1/me/addresses/" + java.util.UUID.randomUUID()).then().header("Allow", equalTo("PATCH, DELETE, OPTIONS"));
        given().options("/v1/products").then().header("Allow", equalTo("GET, HEAD, OPTIONS"));
    }

    /** A dot segment, even percent-encoded, is not resolved into another operation: DELETE …/addresses/%2e%2e is not DELETE /v1/me. */
    @Test
    void aPathWithADotSegmentIsNotFound_neverAnotherOperation() {
        com.harmony.AuthFixtures.SignedIn ada = com.harmony.AuthFixtures.customer();
        for (String path : java.util.List.of("/v1/me/addresses/%2e%2e", "/v1/me/addresses/..", "/v1/me/addresses/%2E%2e;x=1", "/v1/products/./..")) {
            given().urlEncodingEnabled(false).auth().oauth2(ada.accessToken()).delete(path).then().statusCode(404)
                    .contentType("application/problem+json").body("type", equalTo(PROBLEMS + "not-found"));
        }
        given().auth().oauth2(ada.accessToken()).get("/v1/me/privacy-requests").then().statusCode(200).body("data", org.hamcrest.Matchers.empty());
        given().get("/v1/products/no.such.product").then().statusCode(404); // a dot inside a segment is an ordinary character
    }

    /** Text the database would store otherwise than it was sent (half a surrogate pair) or that carries terminal escapes is refused. */
    @Test
    void textWithHalfASurrogatePairOrAControlCharacterIsRefused_whatIsStoredIsWhatWasSent() {
        String token = com.harmony.AuthFixtures.customer().accessToken();
        for (String name : java.util.List.of("\\ud800", "a\\udfff\\ud800b", "a\\u001b[31mb", "bell\\u0007")) {
            given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"name\": \"" + name + "\"}").patch("/v1/me").then().statusCode(400)
                    .body("type", equalTo(PROBLEMS + "malformed-request")).body("errors[0].field", equalTo("name"));
        }
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"name\": \"Ada \\ud83d\\ude80 Lovelace\"}").patch("/v1/me").then().statusCode(200);
        given().auth().oauth2(token).get("/v1/me").then().statusCode(200).body("name", equalTo("Ada \ud83d\ude80 Lovelace"));
    }

    /** Object keys are text too (a variant's options, a product's attributes), and a body must be UTF-8 as sent, not overlong forms of it. */
    @Test
    void controlCharactersInObjectKeysAndOverlongUtf8AreRefused_andNothingIsStored() {
        String admin = com.harmony.AuthFixtures.admin().accessToken();
        String slug = "strict-" + java.util.UUID.randomUUID();
        String product = "{\"slug\": \"" + slug + "\", \"title\": \"%s\", \"attributes\": {%s: \"x\"}, \"variants\": [{\"sku\": \""
                + slug + "\", \"options\": {}, \"price_minor\": 100, \"currency\": \"USD\", \"stock_on_hand\": 1}]}";
        for (String key : java.util.List.of("\"\\u001b[31m\"", "\"bell\\u0007\"")) {
            given().auth().oauth2(admin).contentType(ContentType.JSON).body(String.format(product, "Plain", key)).post("/v1/admin/products")
                    .then().statusCode(400).contentType("application/problem+json").body("type", equalTo(PROBLEMS + "malformed-request"));
        }
        byte[] overlong = String.format(product, "a\u0000b", "\"colour\"").replace("\u0000", "\u00c0\u00af")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        given().auth().oauth2(admin).contentType("application/json").body(overlong).post("/v1/admin/products")
                .then().statusCode(400).contentType("application/problem+json").body("type", equalTo(PROBLEMS + "malformed-request"))
                .body("detail", equalTo("The body is not valid UTF-8."));
        given().get("/v1/products/" + slug).then().statusCode(404);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(String.format(product, "Caf\u00e9 \ud83d\ude80", "\"colour\""))
                .post("/v1/admin/products").then().statusCode(201).body("title", equalTo("Caf\u00e9 \ud83d\ude80"));
    }

    /** The API would act on the first of two values, a proxy or log might judge by the other: a header or parameter sent twice is refused. */
    @Test
    void aSingleValuedHeaderOrAQueryParameterSentTwice_isAMalformedRequest_andNothingIsWritten() {
        given().get("/v1/products?limit=1&limit=500").then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "malformed-request")).body("detail", org.hamcrest.Matchers.containsString("limit"));
        given().get("/v1/products?limit=1&q=tee").then().statusCode(200);
        var cart = given().post("/v1/carts").then().statusCode(201).extract();
        String variant = com.harmony.cart.CartFixtures.variant(500, 5);
        given().header("X-Cart-Token", (String) cart.path("token")).header("If-Match", "\"999\"").header("If-Match", cart.header("ETag"))
                .contentType(ContentType.JSON).body(java.util.Map.of("variant_id", variant, "quantity", 1))
                .post("/v1/carts/" + cart.path("id") + "/items").then().statusCode(400)
                .body("type", equalTo(PROBLEMS + "malformed-request")).body("detail", org.hamcrest.Matchers.containsString("If-Match"));
        given().header("X-Cart-Token", (String) cart.path("token")).get("/v1/carts/" + cart.path("id")).then().statusCode(200)
                .body("lines", org.hamcrest.Matchers.empty());
        // an empty key is not "no key": the command asked to run once and would run unguarded
        given().auth().oauth2(com.harmony.AuthFixtures.admin().accessToken()).header("Idempotency-Key", "").contentType(ContentType.JSON)
                .body(java.util.Map.of("delta", 1, "reason", "count")).post("/v1/admin/variants/" + variant + "/stock-adjustments")
                .then().statusCode(400).body("detail", org.hamcrest.Matchers.containsString("Idempotency-Key"));
        given().auth().oauth2(com.harmony.AuthFixtures.admin().accessToken()).get("/v1/admin/variants/" + variant).then().statusCode(200)
                .body("stock_on_hand", equalTo(5));
    }

    /** A limit counts characters, as the spec's maxLength and the database do: emoji are one each, not two UTF-16 units. */
    @Test
    void textLimitsCountCharacters_soTheSpecsMaxLengthIsWhatTheApiTakes() {
        String admin = com.harmony.AuthFixtures.admin().accessToken();
        String slug = "emoji-" + java.util.UUID.randomUUID();
        String product = "{\"slug\": \"%s\", \"title\": \"%s\", \"variants\": [{\"sku\": \"%s\", \"options\": {}, "
                + "\"price_minor\": 100, \"currency\": \"USD\", \"stock_on_hand\": 1}]}";
        String rockets = "\ud83d\ude80".repeat(200);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(String.format(product, slug, rockets, slug)).post("/v1/admin/products")
                .then().statusCode(201).body("title", equalTo(rockets));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(String.format(product, slug + "-2", rockets + "\ud83d\ude80", slug + "-2"))
                .post("/v1/admin/products").then().statusCode(400).body("type", equalTo(PROBLEMS + "validation-failed"))
                .body("errors[0].field", equalTo("title"));
    }

    @Test
    void unknownPathsAreNotFoundProblems() {
        given().get("/v1/no-such-thing").then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "not-found"));
        given().auth().oauth2(com.harmony.AuthFixtures.admin().accessToken()).get("/v1/admin/variants/not-a-uuid").then().statusCode(404);
    }

    @Test
    void everyResponseEchoesARequestIdAndProblemsQuoteIt() {
        given().header("X-Request-Id", "trace-123").get("/v1/products/nope").then().statusCode(404)
                .header("X-Request-Id", "trace-123").body("request_id", equalTo("trace-123"));
        given().header("X-Request-Id", "bad id with spaces\u0001").get("/v1/ping").then().statusCode(200)
                .header("X-Request-Id", matchesPattern("[0-9a-f]{32}"));
    }
}
