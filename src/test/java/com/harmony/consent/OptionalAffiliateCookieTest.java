package com.harmony.consent;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.harmony.MailServer;
import com.harmony.affiliate.AffiliateFixtures;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the affiliate cookie is configured optional (C1), only visitors who allowed it are tracked. */
@QuarkusTest
@QuarkusTestResource(MailServer.class)
@TestProfile(OptionalAffiliateCookieTest.Optional.class)
class OptionalAffiliateCookieTest {

    public static class Optional implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("harmony.consent.affiliate-attribution", "optional");
        }
    }

    private static Response follow(String code, String visitor) {
        var req = given().redirects().follow(false).header("X-Forwarded-For", AffiliateFixtures.clientIp());
        if (visitor != null) {
            req = req.header("X-Visitor-Token", visitor);
        }
        return req.get("/r/" + code);
    }

    @Test
    void C1_optionalAffiliateCookieIsSetOnlyWithTheVisitorsConsent() {
        AffiliateFixtures.Affiliate ada = AffiliateFixtures.approvedAffiliate();
        given().get("/v1/cookie-preferences").then().body("optional", contains("analytics", "affiliate_attribution"))
                .body("affiliate_attribution", equalTo(false));

        // no visitor, or a visitor who did not choose: followed, but untracked
        Response anonymous = follow(ada.code(), null);
        anonymous.then().statusCode(302);
        assertNull(anonymous.getCookie(AffiliateFixtures.AFFILIATE_COOKIE));
        String v = ConsentTest.visitor();
        assertNull(follow(ada.code(), v).getCookie(AffiliateFixtures.AFFILIATE_COOKIE));
        given().header("X-Visitor-Token", v).header("X-Forwarded-For", AffiliateFixtures.clientIp()).contentType(ContentType.JSON)
                .body(Map.of("code", ada.code())).post("/v1/referrals").then().statusCode(204);

        given().header("X-Visitor-Token", v).contentType(ContentType.JSON).body(Map.of("affiliate_attribution", true))
                .put("/v1/cookie-preferences").then().statusCode(200).body("affiliate_attribution", equalTo(true));
        assertNotNull(follow(ada.code(), v).getCookie(AffiliateFixtures.AFFILIATE_COOKIE));
    }
}
