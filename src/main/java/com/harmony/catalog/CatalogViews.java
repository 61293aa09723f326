package com.harmony.catalog;

import com.harmony.platform.Money;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The shapes the catalog answers with. The JSON itself is built by PostgreSQL in {@link CatalogSql}
 * (one round trip per read); these records are its contract in the OpenAPI document, and
 * CatalogContractTest holds the two together.
 */
public final class CatalogViews {

    private CatalogViews() {
    }

    @Schema(name = "CategoryRef", description = "The category a product is filed under")
    public record CategoryRef(String id, String slug, String name) {
    }

    @Schema(name = "PriceRange", description = "Lowest and highest price among the product's active variants")
    public record PriceRange(Money min, Money max) {
    }

    @Schema(name = "Variant", description = "A purchasable variant of a product (one SKU)")
    public record VariantView(
            @Schema(examples = "0b6f6f2e-8a63-4a8e-9a53-3d1a3c1f0a11") String id,
            String productId,
            @Schema(examples = "TEE-ORG-M-BLK") String sku,
            @Schema(examples = "Medium / Black") String title,
            @Schema(description = "Option name to value, such as size and colour", examples = "{\"size\": \"M\", \"colour\": \"black\"}") Map<String, String> options,
            Money price,
            @Schema(description = "Units on hand", examples = "12") int stockOnHand,
            boolean inStock,
            @Schema(enumeration = {"active", "archived"}) String status,
            @Schema(description = "Incremented on every change") int version) {
    }

    @Schema(name = "Product", description = "A product with its variants")
    public record ProductView(
            String id,
            @Schema(examples = "organic-cotton-tee") String slug,
            @Schema(examples = "Organic cotton tee") String title,
            String description,
            @Schema(nullable = true) CategoryRef category,
            @Schema(description = "Image URLs, first is the main image") List<String> images,
            @Schema(description = "Free-form attributes such as material", examples = "{\"material\": \"cotton\"}") Map<String, String> attributes,
            @Schema(enumeration = {"active", "archived"}) String status,
            @Schema(nullable = true) PriceRange priceRange,
            boolean inStock,
            List<VariantView> variants,
            int version,
            @Schema(description = "RFC 3339, UTC", examples = "2026-11-24T17:05:00.000000Z") String createdAt,
            @Schema(description = "RFC 3339, UTC") String updatedAt) {
    }

    @Schema(name = "ProductSummary", description = "A product as it appears in listings")
    public record ProductSummary(
            String id,
            String slug,
            String title,
            @Schema(nullable = true) CategoryRef category,
            @Schema(nullable = true, description = "The main image URL") String image,
            @Schema(nullable = true) PriceRange priceRange,
            boolean inStock,
            @Schema(enumeration = {"active", "archived"}) String status,
            @Schema(nullable = true, description = "Full-text rank, present when searching with q") Float rank,
            String createdAt) {
    }

    @Schema(name = "ProductPage", description = "One page of products; pass next_cursor as cursor for the next")
    public record ProductPage(List<ProductSummary> data, boolean hasMore, @Schema(nullable = true) String nextCursor) {
    }

    @Schema(name = "Category", description = "A category with its sub-categories")
    public record CategoryView(
            String id,
            @Schema(examples = "apparel") String slug,
            @Schema(examples = "Apparel") String name,
            String description,
            @Schema(nullable = true) String parentId,
            int position,
            @Schema(description = "Active products filed directly under this category") int productCount,
            @Schema(description = "Active products under this category and its sub-categories at any depth: what a listing "
                    + "filtered by this category finds (a navigation's count)") int totalProductCount,
            List<CategoryView> children) {
    }

    @Schema(name = "CategoryList", description = "The category tree, roots first")
    public record CategoryList(List<CategoryView> data) {
    }
}
