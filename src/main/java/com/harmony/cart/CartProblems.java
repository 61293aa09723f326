package com.harmony.cart;

import com.harmony.platform.ProblemType;

/** The cart's stable error kinds. */
public final class CartProblems {

    private CartProblems() {
    }

    public static final ProblemType VARIANT_UNAVAILABLE = new ProblemType("variant-unavailable", 422, "Variant cannot be bought");
    public static final ProblemType QUANTITY_LIMIT = new ProblemType("quantity-limit", 422, "Quantity limit exceeded");
    public static final ProblemType CURRENCY_MISMATCH = new ProblemType("cart-currency-mismatch", 409, "Cart holds another currency");
    public static final ProblemType CART_CHANGED = new ProblemType("cart-changed", 409, "Cart changed meanwhile");
    public static final ProblemType CART_EMPTY = new ProblemType("cart-empty", 409, "Cart is empty");
    public static final ProblemType CART_UNAVAILABLE_ITEMS = new ProblemType("cart-has-unavailable-items", 409,
            "Cart holds items that can no longer be bought");
}
