package com.harmony;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import org.junit.jupiter.api.Test;

/** The check every REST Assured call goes through finds what it is there to find. */
class SpecConformanceTest {

    private final SpecConformance.Check check = SpecConformance.check();

    private static SimpleResponse json(int status, String contentType, String body) {
        return SimpleResponse.Builder.status(status).withContentType(contentType).withBody(body).build();
    }

    @Test
    void aPageOfProductsAsDocumentedPasses() {
        assertNull(check.check(SimpleRequest.Builder.get("/v1/products").build(),
                json(200, "application/json", "{\"data\":[],\"has_more\":false,\"next_cursor\":null}")));
    }

    @Test
    void aBodyOfTheWrongShapeIsCaught() {
        String finding = check.check(SimpleRequest.Builder.get("/v1/products").build(),
                json(200, "application/json", "{\"data\":\"none\",\"has_more\":\"yes\",\"next_cursor\":7}"));
        assertNotNull(finding);
        assertTrue(finding.contains("does not match the spec"), finding);
    }

    @Test
    void aMissingRequiredPropertyIsCaught() {
        String finding = check.check(SimpleRequest.Builder.get("/v1/products").build(),
                json(200, "application/json", "{\"data\":[]}"));
        assertNotNull(finding);
        assertTrue(finding.contains("required"), finding);
    }

    @Test
    void anUndocumentedStatusIsCaught() {
        String finding = check.check(SimpleRequest.Builder.get("/v1/products").build(), json(418, "application/json", "{}"));
        assertNotNull(finding);
        assertTrue(finding.contains("418"), finding);
    }

    @Test
    void aProblemTypeTheOperationDoesNotListIsCaught() {
        String finding = check.check(SimpleRequest.Builder.get("/v1/products").withQueryParam("limit", "0").build(),
                json(400, "application/problem+json",
                        "{\"type\":\"https://harmony.example/problems/sign-in-throttled\",\"title\":\"x\",\"status\":400}"));
        assertNotNull(finding);
        assertTrue(finding.contains("problem type sign-in-throttled is not listed for 400"), finding);
    }

    @Test
    void aRequestTheSpecRefusesButTheServiceAcceptsIsCaught() {
        String finding = check.check(SimpleRequest.Builder.get("/v1/products").withQueryParam("limit", "500").build(),
                json(200, "application/json", "{\"data\":[],\"has_more\":false,\"next_cursor\":null}"));
        assertNotNull(finding);
        assertTrue(finding.contains("the spec refuses this request"), finding);
    }
}
