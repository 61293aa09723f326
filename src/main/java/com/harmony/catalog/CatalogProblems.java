package com.harmony.catalog;

import com.harmony.platform.ProblemType;

/** The catalog's stable error kinds. */
public final class CatalogProblems {

    private CatalogProblems() {
    }

    public static final ProblemType DUPLICATE_SLUG = new ProblemType("duplicate-slug", 409, "Slug already in use");
    public static final ProblemType DUPLICATE_SKU = new ProblemType("duplicate-sku", 409, "SKU already in use");
    public static final ProblemType CURRENCY_MISMATCH = new ProblemType("currency-mismatch", 409, "Currency differs from the product's other variants");
    public static final ProblemType INSUFFICIENT_STOCK = new ProblemType("insufficient-stock", 409, "Not enough stock");
    public static final ProblemType CATEGORY_IN_USE = new ProblemType("category-in-use", 409, "Category still in use");
}
