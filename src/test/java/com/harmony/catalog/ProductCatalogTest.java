package com.harmony.catalog;

import static com.harmony.catalog.CatalogFixtures.category;
import static com.harmony.catalog.CatalogFixtures.product;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.harmony.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shop's catalog, browsed anonymously (P2, P4). */
@QuarkusTest
class ProductCatalogTest {

    @Test
    void P4_browsingProductsNeedsNoIdentity() {
        String cat = category(null);
        Map<String, Object> p = product(cat, "Anonymous browse tee", 1999, 5);
        given().get("/v1/products/" + p.get("id")).then().statusCode(200)
                .body("title", equalTo("Anonymous browse tee"))
                .body("variants", hasSize(1))
                .body("variants[0].price.amount_minor", equalTo(1999))
                .body("variants[0].price.currency", equalTo("USD"))
                .body("price_range.min.amount_minor", equalTo(1999))
                .body("in_stock", is(true))
                .body("created_at", org.hamcrest.Matchers.matchesPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z"));
        given().get("/v1/products?category=" + cat).then().statusCode(200).body("data", hasSize(1));
    }

    @Test
    void aWholeCategoryPageComesWithItsContentLength_notInChunks() {
        String cat = category(null);
        for (int i = 0; i < 24; i++) {
            product(cat, "Page weight tee " + i + " " + "x".repeat(150), 1999, 5);
        }
        Response page = given().get("/v1/products?limit=100&category=" + cat).then().statusCode(200).body("data", hasSize(24)).extract().response();
        int bytes = page.asByteArray().length;
        assertTrue(bytes > 8192, "the page is larger than the HTTP layer's default output buffer: " + bytes);
        assertEquals(String.valueOf(bytes), page.header("Content-Length"), "the page's length is announced");
        assertEquals(null, page.header("Transfer-Encoding"));
    }

    @Test
    void productsPagesAndCategoriesComeAsCompactJson_withTheirTextUntouched() throws Exception {
        String cat = category(null);
        // what PostgreSQL writes between tokens (" : ", ", ") inside a title must survive, and so must escapes
        String title = "Tee \"A\" : B,  {c} [d] \\ e";
        Map<String, Object> p = product(cat, title, 1999, 5);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        String admin = com.harmony.AuthFixtures.admin().accessToken();
        for (String path : List.of("/v1/products/" + p.get("id"), "/v1/products/" + p.get("slug"), "/v1/products?category=" + cat,
                "/v1/categories", "/v1/admin/products/" + p.get("id"))) {
            String body = given().auth().oauth2(admin).get(path).then().statusCode(200).extract().asString();
            assertEquals(json.writeValueAsString(json.readTree(body)), body, path + " answers JSON with no whitespace between tokens");
        }
        given().get("/v1/products/" + p.get("id")).then().body("title", equalTo(title)).body("description", equalTo(title + " described"));
        given().get("/v1/products?category=" + cat).then().body("data[0].title", equalTo(title));
    }

    @Test
    void productIsReadableBySlugToo() {
        Map<String, Object> p = product(null, "Slug read", 500, 1);
        given().get("/v1/products/" + p.get("slug")).then().statusCode(200).body("id", equalTo(p.get("id")));
    }

    @Test
    void unknownProductIsANotFoundProblem() {
        given().get("/v1/products/00000000-0000-0000-0000-000000000000").then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("https://harmony.example/problems/not-found"))
                .body("status", equalTo(404));
        given().get("/v1/products/no-such-slug").then().statusCode(404);
    }

    @Test
    void archivedProductsLeaveTheShopButStayInTheBackOffice() {
        String cat = category(null);
        Map<String, Object> p = product(cat, "Archived one", 100, 1);
        given().auth().oauth2(com.harmony.AuthFixtures.admin().accessToken()).post("/v1/admin/products/" + p.get("id") + "/archive").then().statusCode(200)
                .body("status", equalTo("archived"));
        given().get("/v1/products/" + p.get("id")).then().statusCode(404);
        given().get("/v1/products?category=" + cat).then().statusCode(200).body("data", empty());
        given().auth().oauth2(com.harmony.AuthFixtures.admin().accessToken()).get("/v1/admin/products?category=" + cat).then().statusCode(200).body("data", hasSize(1));
    }

    @Test
    void listingIncludesSubCategoriesAndFiltersByPriceAndStock() {
        String root = category(null);
        String child = category(root);
        product(root, "Cheap stocked", 1000, 3);
        product(child, "Pricey stocked", 9000, 3);
        product(child, "Sold out", 5000, 0);

        given().get("/v1/products?category=" + root).then().statusCode(200).body("data", hasSize(3));
        given().get("/v1/products?category=" + child).then().statusCode(200).body("data", hasSize(2));
        given().get("/v1/products?category=" + root + "&min_price=2000&max_price=9000").then().statusCode(200)
                .body("data.title", org.hamcrest.Matchers.containsInAnyOrder("Pricey stocked", "Sold out"));
        given().get("/v1/products?category=" + root + "&in_stock=true").then().statusCode(200)
                .body("data.title", org.hamcrest.Matchers.containsInAnyOrder("Cheap stocked", "Pricey stocked"));
        given().get("/v1/products?category=" + root + "&in_stock=false").then().statusCode(200)
                .body("data.title", contains("Sold out"))
                .body("data[0].in_stock", is(false));
    }

    @Test
    void sortingByPriceAndTitleIsStable() {
        String cat = category(null);
        product(cat, "Bravo", 3000, 1);
        product(cat, "alpha", 2000, 1);
        product(cat, "Charlie", 1000, 1);
        given().get("/v1/products?category=" + cat + "&sort=price_asc").then().body("data.title", contains("Charlie", "alpha", "Bravo"));
        given().get("/v1/products?category=" + cat + "&sort=price_desc").then().body("data.title", contains("Bravo", "alpha", "Charlie"));
        given().get("/v1/products?category=" + cat + "&sort=title").then().body("data.title", contains("alpha", "Bravo", "Charlie"));
        given().get("/v1/products?category=" + cat + "&sort=newest").then().body("data.title", contains("Charlie", "alpha", "Bravo"));
        given().get("/v1/products?category=" + cat + "&sort=oldest").then().body("data.title", contains("Bravo", "alpha", "Charlie"));
    }

    @Test
    void cursorPaginationVisitsEveryProductOnceInEachSort() {
        String cat = category(null);
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            created.add((String) product(cat, "Paged " + (char) ('a' + i), 100L * (i % 3), 1).get("id"));
        }
        for (String sort : List.of("newest", "oldest", "price_asc", "price_desc", "title")) {
            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                Response r = given().queryParam("category", cat).queryParam("sort", sort).queryParam("limit", 3)
                        .queryParam("cursor", cursor).get("/v1/products");
                r.then().statusCode(200);
                seen.addAll(r.path("data.id"));
                cursor = r.path("next_cursor");
                assertEquals(cursor != null, (Boolean) r.path("has_more"), "has_more agrees with next_cursor");
                pages++;
            } while (cursor != null && pages < 10);
            assertEquals(3, pages, sort + " pages");
            assertEquals(7, seen.size(), sort + " saw duplicates or gaps: " + seen);
            assertEquals(created, new HashSet<>(seen), sort);
        }
    }

    @Test
    void fullTextSearchRanksTitleMatchesFirst() {
        String cat = category(null);
        String word = "zq" + CatalogFixtures.unique("w").replace("-", "");
        product(cat, "Plain kettle", 100, 1);
        Map<String, Object> described = product(cat, "Teapot", 100, 1);
        given().auth().oauth2(com.harmony.AuthFixtures.admin().accessToken()).contentType("application/json")
                .body(Map.of("description", "A teapot that pairs with the " + word + " kettle"))
                .patch("/v1/admin/products/" + described.get("id")).then().statusCode(200);
        product(cat, "The " + word + " kettle", 100, 1);

        given().get("/v1/products?q=" + word).then().statusCode(200)
                .body("data", hasSize(2))
                .body("data[0].title", equalTo("The " + word + " kettle"))
                .body("data[1].title", equalTo("Teapot"))
                .body("data[0].rank", notNullValue());
        given().get("/v1/products?q=" + word + " -teapot").then().statusCode(200).body("data", hasSize(1));
    }

    @Test
    void relevanceSortWithoutAQueryIsAValidationProblem() {
        given().get("/v1/products?sort=relevance").then().statusCode(400)
                .body("type", equalTo("https://harmony.example/problems/validation-failed"))
                .body("errors[0].field", equalTo("sort"));
    }

    @Test
    void badQueryValuesAreValidationProblemsNamingTheParameter() {
        for (String q : List.of("limit=0", "limit=101", "limit=abc", "min_price=-1", "min_price=x", "in_stock=maybe",
                "sort=cheapest", "currency=usd", "min_price=10&max_price=5")) {
            Response r = given().get("/v1/products?" + q);
            r.then().statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo("https://harmony.example/problems/validation-failed"));
            String field = r.path("errors[0].field");
            assertTrue(q.startsWith(field), q + " named " + field);
        }
    }

    /**
     * A cursor's sort key went to PostgreSQL as sent: a timestamp it cannot take (an offset past 15:59:59, a zone it
     * does not know) was a 500. Cursors are signed now, so a changed key is refused before any statement.
     */
    @Test
    void aCursorWhoseKeyWasChanged_orThatCarriesNoSignature_isAnInvalidCursorProblem_neverA500() {
        String cat = category(null);
        product(cat, "one", 1, 1);
        product(cat, "two", 1, 1);
        String cursor = given().get("/v1/products?limit=1&category=" + cat).path("next_cursor");
        String[] parts = new String(java.util.Base64.getUrlDecoder().decode(cursor), java.nio.charset.StandardCharsets.UTF_8).split("\u001f", -1);
        assertEquals(4, parts.length, "sort, key, id and signature");
        for (String key : List.of("2026-12-05 00:00:00+16:00:01", "2026-12-05 00:00:00 Mars/Olympus", "-9223372036854775809")) {
            for (String forged : List.of(String.join("\u001f", parts[0], key, parts[2], parts[3]), String.join("\u001f", parts[0], key, parts[2]))) {
                String encoded = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(forged.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                given().get("/v1/products?limit=1&category=" + cat + "&cursor=" + encoded).then().statusCode(400)
                        .body("type", equalTo("https://harmony.example/problems/invalid-cursor"));
                given().get("/v1/contests?cursor=" + encoded).then().statusCode(400)
                        .body("type", equalTo("https://harmony.example/problems/invalid-cursor"));
            }
        }
        // the cursor as issued still works, with another page size too
        given().get("/v1/products?limit=1&category=" + cat + "&cursor=" + cursor).then().statusCode(200).body("data", hasSize(1));
        given().get("/v1/products?limit=5&category=" + cat + "&cursor=" + cursor).then().statusCode(200).body("data", hasSize(1));
        // and with another filter: a position in the listing's order is one in the listing filtered otherwise
        given().get("/v1/products?limit=1&category=" + cat + "&in_stock=true&cursor=" + cursor).then().statusCode(200).body("data", hasSize(1));
        // but not on another listing of the same sort: it names a place in this one
        given().auth().oauth2(com.harmony.AuthFixtures.admin().accessToken()).get("/v1/admin/products?limit=1&category=" + cat + "&cursor=" + cursor)
                .then().statusCode(400).body("type", equalTo("https://harmony.example/problems/invalid-cursor"));
    }

    @Test
    void aTamperedOrForeignCursorIsAnInvalidCursorProblem() {
        given().get("/v1/products?cursor=not-a-cursor").then().statusCode(400)
                .body("type", equalTo("https://harmony.example/problems/invalid-cursor"));
        String cat = category(null);
        product(cat, "one", 1, 1);
        product(cat, "two", 1, 1);
        String cursor = given().get("/v1/products?limit=1&category=" + cat).path("next_cursor");
        given().get("/v1/products?limit=1&sort=title&cursor=" + cursor).then().statusCode(400)
                .body("type", equalTo("https://harmony.example/problems/invalid-cursor"));
    }

    @Test
    void readsCarryAnETagAndAnswer304WhenUnchanged() {
        Map<String, Object> p = product(null, "Etag", 100, 1);
        String url = "/v1/products/" + p.get("id");
        String etag = given().get(url).then().statusCode(200).header("ETag", notNullValue()).extract().header("ETag");
        given().header("If-None-Match", etag).get(url).then().statusCode(304).body(equalTo(""));
        given().auth().oauth2(com.harmony.AuthFixtures.admin().accessToken()).contentType("application/json").body(Map.of("title", "Etag changed"))
                .patch("/v1/admin/products/" + p.get("id")).then().statusCode(200);
        given().header("If-None-Match", etag).get(url).then().statusCode(200).body("title", equalTo("Etag changed"));

        String listTag = given().get("/v1/products?limit=5").then().statusCode(200).extract().header("ETag");
        given().header("If-None-Match", listTag).get("/v1/products?limit=5").then().statusCode(304);
    }

    @Test
    void categoryTreeNestsChildrenAndCountsProducts_itsOwnAndItsSubtrees() {
        String root = category(null);
        String child = category(root);
        String grandchild = category(child);
        product(child, "In child", 100, 1);
        product(grandchild, "In grandchild", 100, 1);
        product(root, "In root", 100, 1);
        given().get("/v1/categories/" + root).then().statusCode(200)
                .body("id", equalTo(root))
                .body("parent_id", nullValue())
                .body("product_count", equalTo(1)).body("total_product_count", equalTo(3))
                .body("children", hasSize(1))
                .body("children[0].id", equalTo(child))
                .body("children[0].product_count", equalTo(1)).body("children[0].total_product_count", equalTo(2))
                .body("children[0].children[0].total_product_count", equalTo(1));
        given().get("/v1/products?category=" + root + "&limit=10").then().statusCode(200).body("data", hasSize(3));
        given().get("/v1/categories").then().statusCode(200)
                .body("data.find { it.id == '" + root + "' }.children[0].id", equalTo(child));
        given().get("/v1/categories/no-such-category").then().statusCode(404)
                .body("type", containsString("not-found"));
    }
}
