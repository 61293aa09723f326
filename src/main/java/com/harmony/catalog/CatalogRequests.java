package com.harmony.catalog;

import com.harmony.platform.NotBlankText;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What the back office sends to change the catalog. Unknown fields are refused by the JSON reader. */
public final class CatalogRequests {

    /** The most units a stock level may hold, however it is reached (set or adjusted). */
    static final int MAX_STOCK = 1_000_000_000;
    static final String SLUG = "^[a-z0-9]+(?:-[a-z0-9]+)*$";
    static final String SKU = "^[A-Za-z0-9][A-Za-z0-9._-]*$";
    static final String URL = "^https?://[^\\s]+$";
    static final String CURRENCY = "^[A-Z]{3}$";

    private CatalogRequests() {
    }

    @Schema(name = "VariantInput")
    public record VariantInput(
            @NotBlank @Size(max = 64) @Pattern(regexp = SKU, message = "letters, digits, '.', '_' and '-' only") @Schema(examples = "TEE-ORG-M-BLK") String sku,
            @Size(max = 200) String title,
            @Size(max = 10) Map<@NotBlank @Size(max = 40) String, @NotNull @Size(max = 100) String> options,
            @NotNull @PositiveOrZero @Max(100_000_000_00L) @Schema(description = "Price in minor units", examples = "2500") Long priceMinor,
            @NotNull @Size(max = 3) @Pattern(regexp = CURRENCY, message = "must be an ISO 4217 code such as USD") @Schema(examples = "USD") String currency,
            @NotNull @PositiveOrZero @Max(MAX_STOCK) @Schema(examples = "10") Integer stockOnHand) {
    }

    @Schema(name = "CreateProductRequest")
    public record CreateProductRequest(
            @NotBlank @Size(max = 160) @Pattern(regexp = SLUG, message = "lower-case letters, digits and single hyphens only") @Schema(examples = "organic-cotton-tee") String slug,
            @NotBlank @Size(max = 200) @Schema(examples = "Organic cotton tee") String title,
            @Size(max = 20_000) String description,
            @Schema(description = "Id of an existing category") UUID categoryId,
            @Size(max = 20) List<@NotBlank @Size(max = 2048) @Pattern(regexp = URL, message = "must be an http(s) URL") String> images,
            @Size(max = 50) Map<@NotBlank @Size(max = 60) String, @NotNull @Size(max = 500) String> attributes,
            @NotNull @Size(min = 1, max = 100) List<@NotNull @Valid VariantInput> variants) {
    }

    @Schema(name = "UpdateProductRequest", description = "Fields left out (or null) stay as they are")
    public record UpdateProductRequest(
            @Size(min = 1, max = 160) @Pattern(regexp = SLUG, message = "lower-case letters, digits and single hyphens only") String slug,
            @Size(min = 1, max = 200) @Pattern(regexp = ".*\\S.*", message = "must not be blank") @NotBlankText String title,
            @Size(max = 20_000) String description,
            UUID categoryId,
            @Size(max = 20) List<@NotBlank @Size(max = 2048) @Pattern(regexp = URL, message = "must be an http(s) URL") String> images,
            @Size(max = 50) Map<@NotBlank @Size(max = 60) String, @NotNull @Size(max = 500) String> attributes) {
    }

    @Schema(name = "UpdateVariantRequest", description = "Fields left out (or null) stay as they are")
    public record UpdateVariantRequest(
            @Size(min = 1, max = 64) @Pattern(regexp = SKU, message = "letters, digits, '.', '_' and '-' only") String sku,
            @Size(max = 200) String title,
            @Size(max = 10) Map<@NotBlank @Size(max = 40) String, @NotNull @Size(max = 100) String> options,
            @PositiveOrZero @Max(100_000_000_00L) Long priceMinor,
            @Size(max = 3) @Pattern(regexp = CURRENCY, message = "must be an ISO 4217 code such as USD") String currency,
            @PositiveOrZero @Max(MAX_STOCK) Integer stockOnHand) {
    }

    @Schema(name = "StockAdjustmentRequest", description = "A relative stock change, applied atomically")
    public record StockAdjustmentRequest(
            @NotNull @Min(-MAX_STOCK) @Max(MAX_STOCK) @Schema(description = "Units to add (positive) or remove (negative)", examples = "-2") Integer delta,
            @Size(max = 200) @Schema(examples = "cycle count") String reason) {
    }

    @Schema(name = "CreateCategoryRequest")
    public record CreateCategoryRequest(
            @NotBlank @Size(max = 120) @Pattern(regexp = SLUG, message = "lower-case letters, digits and single hyphens only") @Schema(examples = "apparel") String slug,
            @NotBlank @Size(max = 200) @Schema(examples = "Apparel") String name,
            @Size(max = 5_000) String description,
            UUID parentId,
            @Min(0) @Max(100_000) Integer position) {
    }

    @Schema(name = "UpdateCategoryRequest", description = "Fields left out (or null) stay as they are")
    public record UpdateCategoryRequest(
            @Size(min = 1, max = 120) @Pattern(regexp = SLUG, message = "lower-case letters, digits and single hyphens only") String slug,
            @Size(min = 1, max = 200) @Pattern(regexp = ".*\\S.*", message = "must not be blank") @NotBlankText String name,
            @Size(max = 5_000) String description,
            UUID parentId,
            @Min(0) @Max(100_000) Integer position) {
    }
}
