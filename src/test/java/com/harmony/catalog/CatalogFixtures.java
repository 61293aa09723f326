package com.harmony.catalog;

import static io.restassured.RestAssured.given;

import com.harmony.TestTokens;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Creates catalog data through the admin API, with unique slugs and SKUs so tests never collide. */
public final class CatalogFixtures {

    private CatalogFixtures() {
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String category(String parentId) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("slug", unique("cat"), "name", "Category"));
        if (parentId != null) body.put("parent_id", parentId);
        return given().auth().oauth2(com.harmony.AuthFixtures.admin().accessToken()).contentType(ContentType.JSON).body(body)
                .post("/v1/admin/categories").then().statusCode(201).extract().path("id");
    }

    public static Map<String, Object> variant(String sku, long price, int stock) {
        return Map.of("sku", sku, "title", sku, "options", Map.of("size", "M"), "price_minor", price, "currency", "USD", "stock_on_hand", stock);
    }

    /** Creates a product in the category with one variant per (price, stock) pair; returns the product JSON as a map. */
    public static Map<String, Object> product(String categoryId, String title, long[] prices, int[] stock) {
        String slug = unique("p");
        List<Map<String, Object>> variants = new java.util.ArrayList<>();
        for (int i = 0; i < prices.length; i++) {
            variants.add(variant(unique("SKU").toUpperCase(), prices[i], stock[i]));
        }
        Map<String, Object> body = new java.util.HashMap<>(Map.of("slug", slug, "title", title,
                "description", title + " described", "variants", variants,
                "images", List.of("https://img.example/" + slug + ".jpg")));
        if (categoryId != null) body.put("category_id", categoryId);
        return given().auth().oauth2(com.harmony.AuthFixtures.admin().accessToken()).contentType(ContentType.JSON).body(body)
                .post("/v1/admin/products").then().statusCode(201).extract().jsonPath().getMap("");
    }

    public static Map<String, Object> product(String categoryId, String title, long price, int stock) {
        return product(categoryId, title, new long[] {price}, new int[] {stock});
    }
}
