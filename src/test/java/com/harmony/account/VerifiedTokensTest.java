package com.harmony.account;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import com.harmony.AuthFixtures;
import com.harmony.AuthFixtures.SignedIn;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Each instance verifies an access token's signature once and remembers it (VerifiedTokens); what it
 * remembers is that exact token, so no altered copy of a verified token gets in on its credit.
 */
@QuarkusTest
class VerifiedTokensTest {

    private static final String UNAUTHORIZED = "https://harmony.example/problems/unauthorized";

    @Test
    void aVerifiedTokenWithAnotherSignatureIsRefused() {
        SignedIn ada = AuthFixtures.customer();
        me(ada.accessToken()).then().statusCode(200);
        String token = ada.accessToken();
        char last = token.charAt(token.length() - 2);
        String forged = token.substring(0, token.length() - 2) + (last == 'A' ? 'B' : 'A') + token.charAt(token.length() - 1);
        me(forged).then().statusCode(401).body("type", equalTo(UNAUTHORIZED));
        me(token).then().statusCode(200);
    }

    @Test
    void aVerifiedTokenWhosePayloadClaimsMoreIsRefused() {
        SignedIn ada = AuthFixtures.customer();
        me(ada.accessToken()).then().statusCode(200);
        String[] parts = ada.accessToken().split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"customer\"", "\"admin\"");
        String escalated = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
        given().auth().oauth2(escalated).get("/v1/admin/accounts").then().statusCode(401);
        given().auth().oauth2(ada.accessToken()).get("/v1/admin/accounts").then().statusCode(403);
    }

    /** Defence in depth against a leaked signing key: a live session honours only tokens naming its own account. */
    @Test
    void aSignedTokenNamingAnotherAccountThanItsSession_isRefused() {
        SignedIn ada = AuthFixtures.customer();
        SignedIn bob = AuthFixtures.customer();
        String claims = new String(Base64.getUrlDecoder().decode(ada.accessToken().split("\\.")[1]), StandardCharsets.UTF_8);
        String sid = new io.vertx.core.json.JsonObject(claims).getString("sid");
        for (String subject : java.util.List.of(bob.accountId(), "x")) {
            String forged = io.smallrye.jwt.build.Jwt.subject(subject).claim("sid", sid).groups(java.util.Set.of("customer")).expiresIn(900).sign();
            me(forged).then().statusCode(401).body("type", equalTo(UNAUTHORIZED));
        }
        me(ada.accessToken()).then().statusCode(200);
        me(bob.accessToken()).then().statusCode(200).body("email", equalTo(bob.email()));
    }

    /** An access token is refused 5 s after its expiry, not the JWT library's default minute later. */
    @Test
    void aTokenExpiredHalfAMinuteAgo_isRefusedAsAnInvalidToken() {
        SignedIn ada = AuthFixtures.customer();
        String claims = new String(Base64.getUrlDecoder().decode(ada.accessToken().split("\\.")[1]), StandardCharsets.UTF_8);
        String sid = new io.vertx.core.json.JsonObject(claims).getString("sid");
        long now = System.currentTimeMillis() / 1000;
        String live = io.smallrye.jwt.build.Jwt.subject(ada.accountId()).claim("sid", sid).groups(java.util.Set.of("customer"))
                .issuedAt(now - 60).expiresAt(now + 60).sign();
        String expired = io.smallrye.jwt.build.Jwt.subject(ada.accountId()).claim("sid", sid).groups(java.util.Set.of("customer"))
                .issuedAt(now - 930).expiresAt(now - 30).sign();
        me(live).then().statusCode(200);
        // RFC 6750: a token that was sent and is not good says so; a request with none gets only the scheme
        me(expired).then().statusCode(401).body("type", equalTo(UNAUTHORIZED)).header("WWW-Authenticate", equalTo("Bearer error=\"invalid_token\""));
        given().get("/v1/me").then().statusCode(401).header("WWW-Authenticate", equalTo("Bearer"));
    }

    private static io.restassured.response.Response me(String token) {
        return given().auth().oauth2(token).get("/v1/me");
    }
}
