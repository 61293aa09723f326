package com.harmony.catalog;

import static com.harmony.catalog.CatalogFixtures.category;
import static com.harmony.catalog.CatalogFixtures.product;
import static com.harmony.catalog.CatalogFixtures.unique;
import static com.harmony.catalog.CatalogFixtures.variant;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import com.harmony.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The back office changes the catalog; only admins may, and every write is validated. */
@QuarkusTest
class AdminCatalogTest {

    private static final String PROBLEMS = "https://harmony.example/problems/";

    private static RequestSpecification admin() {
        return given().auth().oauth2(com.harmony.AuthFixtures.admin().accessToken()).contentType(ContentType.JSON);
    }

    private static Map<String, Object> newProduct(String slug, List<Map<String, Object>> variants) {
        return new HashMap<>(Map.of("slug", slug, "title", "A product", "variants", variants));
    }

    @Test
    void creatingAProductAnswers201WithLocationAndTheStoredProduct() {
        String cat = category(null);
        Map<String, Object> body = newProduct(unique("created"), List.of(variant(unique("S"), 2500, 4), variant(unique("S"), 2700, 0)));
        body.put("category_id", cat);
        body.put("attributes", Map.of("material", "cotton"));
        String location = admin().body(body).post("/v1/admin/products").then().statusCode(201)
                .header("Location", containsString("/v1/admin/products/"))
                .body("category.id", equalTo(cat))
                .body("variants", hasSize(2))
                .body("variants[1].in_stock", is(false))
                .body("price_range.max.amount_minor", equalTo(2700))
                .body("attributes.material", equalTo("cotton"))
                .extract().header("Location");
        // re-read: the write really landed
        given().auth().oauth2(com.harmony.AuthFixtures.admin().accessToken()).get(location).then().statusCode(200).body("variants", hasSize(2));
    }

    @Test
    void writesNeedTheAdminRole() {
        Map<String, Object> body = newProduct(unique("denied"), List.of(variant(unique("S"), 1, 1)));
        given().contentType(ContentType.JSON).body(body).post("/v1/admin/products").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", startsWith("Bearer"))
                .body("type", equalTo(PROBLEMS + "unauthorized"));
        given().auth().oauth2(com.harmony.AuthFixtures.customer().accessToken()).contentType(ContentType.JSON).body(body)
                .post("/v1/admin/products").then().statusCode(403).body("type", equalTo(PROBLEMS + "forbidden"));
        given().get("/v1/products/" + body.get("slug")).then().statusCode(404);
    }

    @Test
    void expiredForgedWrongIssuerAndUnsignedTokensAreRefused() {
        // TestTokens.admin() is validly signed but belongs to no live session: only sign-in makes usable tokens
        for (String token : List.of(TestTokens.admin(), TestTokens.expiredAdmin(), TestTokens.wrongIssuerAdmin(), TestTokens.wrongAudienceAdmin(), TestTokens.foreignKeyAdmin(),
                TestTokens.unsignedAdmin(), "not.a.jwt")) {
            given().auth().oauth2(token).get("/v1/admin/products").then().statusCode(401)
                    .body("type", equalTo(PROBLEMS + "unauthorized"));
        }
    }

    @Test
    void duplicateSlugIsAConflictAndNothingIsHalfWritten() {
        String slug = unique("dup");
        admin().body(newProduct(slug, List.of(variant(unique("S"), 1, 1)))).post("/v1/admin/products").then().statusCode(201);
        String sku = unique("NEW");
        admin().body(newProduct(slug, List.of(variant(sku, 1, 1)))).post("/v1/admin/products").then().statusCode(409)
                .body("type", equalTo(PROBLEMS + "duplicate-slug"));
        // the second product's variant was not stored either: its SKU is still free
        admin().body(newProduct(unique("other"), List.of(variant(sku, 1, 1)))).post("/v1/admin/products").then().statusCode(201);
    }

    /** A slug shaped like an id could never be followed (the public path reads it as an id): refused, for products and categories. */
    @Test
    void aSlugShapedLikeAnId_isRefused() {
        String existing = admin().body(newProduct(unique("real"), List.of(variant(unique("S"), 1, 1)))).post("/v1/admin/products")
                .then().statusCode(201).extract().path("id");
        String sku = unique("UUIDSLUG");
        admin().body(newProduct(existing, List.of(variant(sku, 1, 1)))).post("/v1/admin/products").then().statusCode(400)
                .body("type", equalTo(PROBLEMS + "validation-failed")).body("errors[0].field", equalTo("slug"));
        admin().body(Map.of("slug", UUID.randomUUID().toString())).patch("/v1/admin/products/" + existing).then().statusCode(400)
                .body("errors[0].field", equalTo("slug"));
        admin().body(Map.of("slug", UUID.randomUUID().toString(), "name", "Ids")).post("/v1/admin/categories").then().statusCode(400)
                .body("errors[0].field", equalTo("slug"));
        given().get("/v1/products/" + existing).then().statusCode(200).body("id", equalTo(existing));
    }

    @Test
    void duplicateSkuWhateverItsCaseIsAConflict() {
        String sku = unique("Case");
        admin().body(newProduct(unique("a"), List.of(variant(sku, 1, 1)))).post("/v1/admin/products").then().statusCode(201);
        String slug = unique("b");
        admin().body(newProduct(slug, List.of(variant(sku.toUpperCase(), 1, 1)))).post("/v1/admin/products").then().statusCode(409)
                .body("type", equalTo(PROBLEMS + "duplicate-sku"));
        given().get("/v1/products/" + slug).then().statusCode(404);
    }

    @Test
    void invalidProductsAreRefusedWithEveryOffendingField() {
        Map<String, Object> body = new HashMap<>();
        body.put("slug", "Not A Slug");
        body.put("title", "");
        body.put("images", List.of("javascript:alert(1)"));
        body.put("variants", List.of(Map.of("sku", "ok-1", "price_minor", -5, "currency", "usd", "stock_on_hand", -1)));
        admin().body(body).post("/v1/admin/products").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "validation-failed"))
                .body("errors.field", hasItem("slug"))
                .body("errors.field", hasItem("title"))
                .body("errors.field", hasItem("images[0]"))
                .body("errors.field", hasItem("variants[0].price_minor"))
                .body("errors.field", hasItem("variants[0].currency"))
                .body("errors.field", hasItem("variants[0].stock_on_hand"));
        admin().body(newProduct(unique("novariants"), List.of())).post("/v1/admin/products").then().statusCode(400)
                .body("errors.field", hasItem("variants"));
        admin().body(newProduct(unique("xxx"), List.of(Map.of("sku", unique("S"), "price_minor", 1, "currency", "XXQ", "stock_on_hand", 1))))
                .post("/v1/admin/products").then().statusCode(400).body("errors[0].field", equalTo("variants[0].currency"));
    }

    @Test
    void variantsOfOneProductShareOneCurrency() {
        Map<String, Object> eur = new HashMap<>(variant(unique("S"), 1, 1));
        eur.put("currency", "EUR");
        admin().body(newProduct(unique("mixed"), List.of(variant(unique("S"), 1, 1), eur))).post("/v1/admin/products")
                .then().statusCode(409).body("type", equalTo(PROBLEMS + "currency-mismatch"));
        Map<String, Object> p = product(null, "USD only", 100, 1);
        admin().body(eur).post("/v1/admin/products/" + p.get("id") + "/variants").then().statusCode(409)
                .body("type", equalTo(PROBLEMS + "currency-mismatch"));
    }

    @Test
    void unknownCategoryIsAValidationProblem() {
        Map<String, Object> body = newProduct(unique("nocat"), List.of(variant(unique("S"), 1, 1)));
        body.put("category_id", "00000000-0000-0000-0000-000000000001");
        admin().body(body).post("/v1/admin/products").then().statusCode(400).body("errors[0].field", equalTo("category_id"));
    }

    @Test
    void updatingAProductChangesOnlyTheFieldsSentAndBumpsItsVersion() {
        Map<String, Object> p = product(null, "Before", 100, 1);
        admin().body(Map.of("title", "After", "images", List.of("https://img.example/x.png")))
                .patch("/v1/admin/products/" + p.get("id")).then().statusCode(200)
                .body("title", equalTo("After"))
                .body("description", equalTo("Before described"))
                .body("images", hasSize(1))
                .body("version", equalTo(2));
        admin().body(Map.of("title", "x")).patch("/v1/admin/products/00000000-0000-0000-0000-000000000000").then().statusCode(404);
        admin().body(Map.of("id", "forged")).patch("/v1/admin/products/" + p.get("id")).then().statusCode(400)
                .body("type", equalTo(PROBLEMS + "malformed-request"));
    }

    /** Two members of staff edit one product: the second, over the version both read, is 412 and writes nothing. */
    @Test
    void aProductEditOverAStaleETag_is412_andTheFirstEditStands() {
        Map<String, Object> p = product(null, "Edited twice", 100, 1);
        String read = admin().get("/v1/admin/products/" + p.get("id")).then().statusCode(200).extract().header("ETag");
        String written = admin().header("If-Match", read).body(Map.of("title", "First edit")).patch("/v1/admin/products/" + p.get("id"))
                .then().statusCode(200).body("title", equalTo("First edit")).extract().header("ETag");
        admin().get("/v1/admin/products/" + p.get("id")).then().statusCode(200).header("ETag", equalTo(written));
        admin().header("If-Match", read).body(Map.of("title", "Second edit", "description", "lost?")).patch("/v1/admin/products/" + p.get("id"))
                .then().statusCode(412).body("type", equalTo(PROBLEMS + "precondition-failed"));
        admin().get("/v1/admin/products/" + p.get("id")).then().body("title", equalTo("First edit"))
                .body("description", equalTo("Edited twice described")).body("version", equalTo(2));
        admin().header("If-Match", written).body(Map.of("title", "Second edit")).patch("/v1/admin/products/" + p.get("id"))
                .then().statusCode(200).body("title", equalTo("Second edit"));
        admin().header("If-Match", written).body(Map.of("title", "x")).patch("/v1/admin/products/00000000-0000-0000-0000-000000000000")
                .then().statusCode(404);
    }

    /** Stock moved since a variant was read (an adjustment, as orders move it): setting it over the older read is 412. */
    @Test
    void aStockLevelSetOverAStaleETag_is412_andTheMovedStockStands() {
        Map<String, Object> p = product(null, "Stock set", 100, 5);
        String variantId = ((List<Map<String, String>>) p.get("variants")).get(0).get("id");
        String read = admin().get("/v1/admin/variants/" + variantId).then().statusCode(200).extract().header("ETag");
        admin().body(Map.of("delta", -2, "reason", "sold at the counter")).post("/v1/admin/variants/" + variantId + "/stock-adjustments")
                .then().statusCode(200).body("stock_on_hand", equalTo(3));
        admin().header("If-Match", read).body(Map.of("stock_on_hand", 10)).patch("/v1/admin/variants/" + variantId)
                .then().statusCode(412).body("type", equalTo(PROBLEMS + "precondition-failed"));
        String now = admin().get("/v1/admin/variants/" + variantId).then().body("stock_on_hand", equalTo(3)).extract().header("ETag");
        admin().header("If-Match", now).body(Map.of("stock_on_hand", 10)).patch("/v1/admin/variants/" + variantId)
                .then().statusCode(200).body("stock_on_hand", equalTo(10)).header("ETag", org.hamcrest.Matchers.not(equalTo(now)));
    }

    @Test
    void addingEditingAndArchivingVariants() {
        Map<String, Object> p = product(null, "Variants", 100, 1);
        String newSku = unique("ADDED");
        String variantId = admin().body(variant(newSku, 300, 2)).post("/v1/admin/products/" + p.get("id") + "/variants")
                .then().statusCode(201).body("variants", hasSize(2)).body("price_range.max.amount_minor", equalTo(300))
                .extract().path("variants.find { it.sku == '" + newSku + "' }.id");
        admin().body(Map.of("price_minor", 350, "options", Map.of("size", "XL"))).patch("/v1/admin/variants/" + variantId)
                .then().statusCode(200).body("price.amount_minor", equalTo(350)).body("options.size", equalTo("XL"));
        admin().post("/v1/admin/variants/" + variantId + "/archive").then().statusCode(200).body("status", equalTo("archived"));
        given().get("/v1/products/" + p.get("id")).then().body("variants", hasSize(1)).body("price_range.max.amount_minor", equalTo(100));
        admin().post("/v1/admin/variants/" + variantId + "/restore").then().statusCode(200).body("status", equalTo("active"));
        admin().get("/v1/admin/variants/" + variantId).then().statusCode(200).body("sku", equalTo(newSku));
    }

    @Test
    void stockAdjustmentsNeverTakeStockBelowZeroOrPastABillion() {
        Map<String, Object> p = product(null, "Stock", 100, 5);
        String variantId = ((List<Map<String, String>>) p.get("variants")).get(0).get("id");
        admin().body(Map.of("delta", 3, "reason", "delivery")).post("/v1/admin/variants/" + variantId + "/stock-adjustments")
                .then().statusCode(200).body("stock_on_hand", equalTo(8));
        admin().body(Map.of("delta", -9)).post("/v1/admin/variants/" + variantId + "/stock-adjustments")
                .then().statusCode(409).body("type", equalTo(PROBLEMS + "insufficient-stock"));
        admin().get("/v1/admin/variants/" + variantId).then().body("stock_on_hand", equalTo(8));
        // up to the billion a stock level may hold, as a set does; past it refused, never summed beyond (nor overflowing)
        admin().body(Map.of("delta", 999_999_992)).post("/v1/admin/variants/" + variantId + "/stock-adjustments")
                .then().statusCode(200).body("stock_on_hand", equalTo(1_000_000_000));
        for (int delta : new int[] {1, 1_000_000_000}) {
            admin().body(Map.of("delta", delta)).post("/v1/admin/variants/" + variantId + "/stock-adjustments")
                    .then().statusCode(400).body("type", equalTo(PROBLEMS + "validation-failed")).body("errors[0].field", equalTo("delta"));
        }
        admin().get("/v1/admin/variants/" + variantId).then().body("stock_on_hand", equalTo(1_000_000_000));
    }

    @Test
    void concurrentStockRemovalsNeverOversell() throws Exception {
        Map<String, Object> p = product(null, "Race", 100, 10);
        String variantId = ((List<Map<String, String>>) p.get("variants")).get(0).get("id");
        String token = com.harmony.AuthFixtures.admin().accessToken();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 32; i++) {
                results.add(pool.submit(() -> given().auth().oauth2(token).contentType(ContentType.JSON)
                        .body(Map.of("delta", -1)).post("/v1/admin/variants/" + variantId + "/stock-adjustments").statusCode()));
            }
            int ok = 0;
            for (Future<Integer> f : results) {
                int status = f.get();
                if (status == 200) ok++;
                else org.junit.jupiter.api.Assertions.assertEquals(409, status);
            }
            org.junit.jupiter.api.Assertions.assertEquals(10, ok);
        } finally {
            pool.shutdownNow();
        }
        admin().get("/v1/admin/variants/" + variantId).then().body("stock_on_hand", equalTo(0));
    }

    @Test
    void categoriesCanBeMovedButNeverUnderThemselves() {
        String root = category(null);
        String child = category(root);
        admin().body(Map.of("parent_id", child)).patch("/v1/admin/categories/" + root).then().statusCode(400)
                .body("errors[0].field", equalTo("parent_id"));
        admin().body(Map.of("name", "Renamed", "position", 3)).patch("/v1/admin/categories/" + child).then().statusCode(200)
                .body("name", equalTo("Renamed")).body("position", equalTo(3));
    }

    @Test
    void categoriesInUseCannotBeDeleted() {
        String root = category(null);
        String child = category(root);
        admin().delete("/v1/admin/categories/" + root).then().statusCode(409).body("type", equalTo(PROBLEMS + "category-in-use"));
        admin().delete("/v1/admin/categories/" + child).then().statusCode(204);
        admin().delete("/v1/admin/categories/" + child).then().statusCode(404);
        admin().delete("/v1/admin/categories/" + root).then().statusCode(204);
        given().get("/v1/categories/" + root).then().statusCode(404);
    }

    @Test
    void duplicateCategorySlugIsAConflict() {
        String slug = unique("cat");
        admin().body(Map.of("slug", slug, "name", "One")).post("/v1/admin/categories").then().statusCode(201);
        admin().body(Map.of("slug", slug, "name", "Two")).post("/v1/admin/categories").then().statusCode(409)
                .body("type", equalTo(PROBLEMS + "duplicate-slug"));
    }
}
