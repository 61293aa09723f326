package com.harmony.partner;

import static io.restassured.RestAssured.given;

import com.harmony.AuthFixtures;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Partner clients and their tokens, made through the API as an admin and a partner would. */
public final class PartnerFixtures {

    private PartnerFixtures() {
    }

    /** A client as created: its id, its secret (shown once) and its contact email. */
    public record Client(String id, String secret, String contactEmail) {
    }

    public static Client client(String... scopes) {
        String contact = "ops-" + UUID.randomUUID().toString().substring(0, 8) + "@partner.example";
        var r = given().auth().oauth2(AuthFixtures.admin().accessToken()).contentType(ContentType.JSON)
                .body(Map.of("name", "Test partner " + UUID.randomUUID(), "contact_email", contact, "scopes", List.of(scopes)))
                .post("/v1/admin/partner-clients").then().statusCode(201).extract();
        return new Client(r.path("client.id"), r.path("client_secret"), contact);
    }

    /** The token endpoint, authenticating with HTTP Basic. */
    static Response tokenRequest(String clientId, String secret, String scope) {
        return tokenRequest(clientId, secret, scope, AuthFixtures.randomClient());
    }

    /** The token endpoint from this client address (as the trusted proxy reports it). */
    static Response tokenRequest(String clientId, String secret, String scope, String address) {
        var req = given().auth().preemptive().basic(clientId, secret).header("X-Forwarded-For", address)
                .contentType(ContentType.URLENC).formParam("grant_type", "client_credentials");
        if (scope != null) {
            req = req.formParam("scope", scope);
        }
        return req.post("/v1/oauth/token");
    }

    public static String token(Client c) {
        return tokenRequest(c.id(), c.secret(), null).then().statusCode(200).extract().path("access_token");
    }

    static String token(Client c, String scope) {
        return tokenRequest(c.id(), c.secret(), scope).then().statusCode(200).extract().path("access_token");
    }
}
