package com.harmony.account;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.harmony.AuthFixtures;
import com.harmony.AuthFixtures.SignedIn;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Roles (customer, affiliate, support, admin) and the back office's account administration. */
@QuarkusTest
class AdminAccountsTest {

    private static String admin() {
        return AuthFixtures.admin().accessToken();
    }

    @Test
    void adminsSearchAccountsByEmailOrName() {
        String email = AuthFixtures.uniqueEmail();
        String id = AuthFixtures.register(email);
        given().auth().oauth2(admin()).queryParam("q", email.substring(0, 10).toUpperCase()).get("/v1/admin/accounts").then().statusCode(200)
                .body("data", hasSize(1)).body("data[0].id", equalTo(id)).body("has_more", equalTo(false));
        given().auth().oauth2(admin()).get("/v1/admin/accounts/" + id).then().statusCode(200).body("email", equalTo(email));
        given().auth().oauth2(admin()).get("/v1/admin/accounts/00000000-0000-0000-0000-000000000000").then().statusCode(404);
    }

    @Test
    void adminListsPageWithACursor() {
        for (int i = 0; i < 3; i++) AuthFixtures.register(AuthFixtures.uniqueEmail());
        var first = given().auth().oauth2(admin()).queryParam("limit", 2).get("/v1/admin/accounts").then().statusCode(200)
                .body("data", hasSize(2)).body("has_more", equalTo(true)).extract();
        String cursor = first.path("next_cursor");
        given().auth().oauth2(admin()).queryParam("limit", 2).queryParam("cursor", cursor).get("/v1/admin/accounts").then().statusCode(200)
                .body("data.id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItems(((List<String>) first.path("data.id")).toArray())));
        given().auth().oauth2(admin()).queryParam("role", "wizard").get("/v1/admin/accounts").then().statusCode(400);
    }

    @Test
    void grantingARoleEndsTheAccountsSessionsAndAppliesAtTheNextSignIn() {
        String email = AuthFixtures.uniqueEmail();
        String id = AuthFixtures.register(email);
        SignedIn before = AuthFixtures.signIn(email, AuthFixtures.PASSWORD);
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("roles", List.of("support", "customer")))
                .put("/v1/admin/accounts/" + id + "/roles").then().statusCode(200).body("roles", containsInAnyOrder("customer", "support"));
        given().auth().oauth2(before.accessToken()).get("/v1/me").then().statusCode(401);
        given().auth().oauth2(admin()).queryParam("role", "support").queryParam("q", email).get("/v1/admin/accounts").then()
                .statusCode(200).body("data", hasSize(1)).body("data[0].id", equalTo(id));
        given().auth().oauth2(admin()).queryParam("role", "affiliate").queryParam("q", email).get("/v1/admin/accounts").then()
                .statusCode(200).body("data", hasSize(0));
        SignedIn after = AuthFixtures.signIn(email, AuthFixtures.PASSWORD);
        given().auth().oauth2(after.accessToken()).get("/v1/me").then().body("roles", containsInAnyOrder("customer", "support"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("roles", List.of("emperor")))
                .put("/v1/admin/accounts/" + id + "/roles").then().statusCode(400);
    }

    @Test
    void onlyAdminsAdministerAccounts() {
        SignedIn customer = AuthFixtures.customer();
        SignedIn support = AuthFixtures.support();
        given().auth().oauth2(customer.accessToken()).get("/v1/admin/accounts").then().statusCode(403);
        given().auth().oauth2(support.accessToken()).get("/v1/admin/accounts").then().statusCode(403);
        given().auth().oauth2(customer.accessToken()).contentType(ContentType.JSON).body(Map.of("roles", List.of("admin")))
                .put("/v1/admin/accounts/" + customer.accountId() + "/roles").then().statusCode(403);
        given().auth().oauth2(customer.accessToken()).get("/v1/me").then().body("roles", contains("customer"));
        given().get("/v1/admin/accounts").then().statusCode(401);
    }
}
