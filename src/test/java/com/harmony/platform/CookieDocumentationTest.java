package com.harmony.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Cookies (P14, P22, C1): every cookie is documented with its category, and losing any of them breaks nothing. */
@QuarkusTest
class CookieDocumentationTest {

    @Test
    void P14_C1_everyCookieTheApiSetsIsInTheReadmeWithItsCategory() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        for (String name : List.of(Cookies.SESSION, Cookies.REFRESH, Cookies.CSRF, Cookies.CART, VisitorToken.COOKIE, ReferralAttribution.COOKIE)) {
            Matcher row = Pattern.compile("^\\| `__Host-" + name + "` \\| (necessary|optional|analytics)[^|]*\\|", Pattern.MULTILINE).matcher(readme);
            assertEquals(true, row.find(), name + " has no row with a category in the README's cookie table");
        }
    }

    @Test
    void P14_aBrowserThatDeletedItsCookiesIsSimplyNew() {
        // stale or foreign cookie values are not errors: the browser is treated as one without cookies
        given().cookie("__Host-" + VisitorToken.COOKIE, "00000000-0000-0000-0000-000000000000.stale").get("/v1/cookie-preferences").then()
                .statusCode(200).body("subject", equalTo("none"));
        given().cookie("__Host-" + Cookies.CART, "gone").get("/v1/products?limit=1").then().statusCode(200);
        given().get("/v1/products?limit=1").then().statusCode(200);
        given().header("X-Forwarded-For", com.harmony.AuthFixtures.randomClient()).post("/v1/visitors").then().statusCode(201);
    }
}
