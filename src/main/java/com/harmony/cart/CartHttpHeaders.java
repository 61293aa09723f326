package com.harmony.cart;

/** Header names the cart API reads. */
public final class CartHttpHeaders {

    private CartHttpHeaders() {
    }

    /** The guest cart token, for clients that do not use the harmony_cart cookie. */
    public static final String CART_TOKEN = "X-Cart-Token";
}
