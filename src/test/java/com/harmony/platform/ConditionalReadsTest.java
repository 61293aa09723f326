package com.harmony.platform;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.AuthFixtures;
import io.quarkus.test.junit.QuarkusTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.harmony.affiliate.AffiliateFixtures;
import com.harmony.partner.PartnerFixtures;
import io.restassured.response.Response;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every list and single-resource read carries an ETag, and If-None-Match with it answers 304. */
@QuarkusTest
class ConditionalReadsTest {

    private static void conditional(String token, String path) {
        Response first = given().auth().oauth2(token).get(path);
        assertEquals(200, first.statusCode(), path);
        String etag = first.header("ETag");
        assertNotNull(etag, path + " has no ETag");
        assertEquals(304, given().auth().oauth2(token).header("If-None-Match", etag).get(path).statusCode(), path);
    }

    @Test
    void readsOfListsAndSingleResourcesAreConditional() {
        String admin = AuthFixtures.admin().accessToken();
        AuthFixtures.SignedIn customer = AuthFixtures.customer();
        for (String path : List.of("/v1/products", "/v1/categories", "/v1/admin/products", "/v1/admin/accounts",
                "/v1/admin/accounts/" + customer.accountId(), "/v1/admin/orders", "/v1/admin/returns")) {
            conditional(admin, path);
        }
        for (String path : List.of("/v1/me", "/v1/me/addresses", "/v1/me/cart", "/v1/me/orders")) {
            conditional(customer.accessToken(), path);
        }
    }

    /**
     * What the spec says of every read: each GET it documents with a 304 carries an ETag and answers 304 to
     * If-None-Match. Walks every such read without path parameters, as the role its path is for, so a new
     * read cannot forget it.
     */
    /** The read filter tags every GET, whatever its operation is called: the spec must say so of each, and ask no CSRF token of any. */
    @Test
    void everyGetInTheSpecDeclaresIfNoneMatchAnd304_andNoCsrfToken() throws IOException {
        JsonNode paths = new ObjectMapper(new YAMLFactory()).readTree(Path.of("openapi/openapi.yaml").toFile()).path("paths");
        List<String> wrong = new ArrayList<>();
        paths.fields().forEachRemaining(e -> {
            JsonNode get = e.getValue().path("get");
            if (get.isMissingNode()) {
                return;
            }
            List<String> params = new ArrayList<>();
            get.path("parameters").forEach(p -> params.add(p.path("name").asText()));
            // a streamed document has no whole body to tag; a redirect has no 200
            boolean tagged = get.path("responses").has("200") && !OpenApiProblems.STREAMED.contains(get.path("operationId").asText());
            if (tagged != params.contains("If-None-Match") || tagged != get.path("responses").has("304") || params.contains("X-CSRF-Token")) {
                wrong.add(e.getKey() + " " + params + " " + get.path("responses").fieldNames().next());
            }
        });
        assertTrue(wrong.isEmpty(), "GETs the spec describes wrongly: " + wrong);
    }

    @Test
    void everyReadTheSpecDocumentsCarriesAnETagAndAnswers304() throws IOException {
        JsonNode paths = new ObjectMapper(new YAMLFactory()).readTree(Path.of("openapi/openapi.yaml").toFile()).path("paths");
        String admin = AuthFixtures.admin().accessToken();
        AffiliateFixtures.Affiliate affiliate = AffiliateFixtures.approvedAffiliate(admin);
        String partner = PartnerFixtures.token(PartnerFixtures.client("catalog:read", "orders:read", "webhooks:manage"));
        List<String> conditional = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = e.getKey();
            JsonNode responses = e.getValue().path("get").path("responses");
            if (path.contains("{") || !responses.has("304")) {
                continue;
            }
            String token = path.startsWith("/v1/admin/") ? admin : path.startsWith("/v1/partner/") ? partner : affiliate.token();
            Response first = given().auth().oauth2(token).get(path);
            if (first.statusCode() != 200) {
                skipped.add(path + " " + first.statusCode()); // a read that needs a query parameter or another role
                continue;
            }
            if (path.equals("/v1/admin/audit-log")) {
                assertNotNull(first.header("ETag"), path + " has no ETag"); // reading it adds an entry: no two answers are alike
            } else {
                conditional(token, path);
            }
            conditional.add(path);
        }
        for (String read : List.of("/v1/me/consents", "/v1/me/consents/history", "/v1/me/feedback", "/v1/me/disclosures",
                "/v1/me/privacy-requests", "/v1/affiliate", "/v1/affiliate/dashboard", "/v1/affiliate/commissions",
                "/v1/admin/legal-holds", "/v1/admin/audit-log", "/v1/admin/feedback", "/v1/admin/privacy-requests", "/v1/partner/orders",
                "/v1/partner/webhooks")) {
            assertTrue(conditional.contains(read), read + " was not walked; skipped: " + skipped);
        }
        assertTrue(conditional.size() >= 30, "walked " + conditional + "; skipped " + skipped);
    }
}
