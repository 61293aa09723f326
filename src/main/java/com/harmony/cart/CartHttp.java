package com.harmony.cart;

import com.harmony.cart.CartViews.CartView;
import com.harmony.platform.ProblemException;
import com.harmony.platform.ProblemType;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestResponse;

/** Version ETags for carts: {@code "<version>"} out, If-Match / If-None-Match in. */
final class CartHttp {

    private CartHttp() {
    }

    static String etag(CartView cart) {
        return "\"" + cart.version() + "\"";
    }

    static RestResponse<CartView> ok(CartView cart) {
        return RestResponse.ResponseBuilder.ok(cart, MediaType.APPLICATION_JSON_TYPE).header(HttpHeaders.ETAG, etag(cart)).build();
    }

    /** 200 with the cart, or 304 when the caller already holds this version. */
    static RestResponse<CartView> read(CartView cart, String ifNoneMatch) {
        if (ifNoneMatch != null && (ifNoneMatch.trim().equals("*") || ifNoneMatch.contains(etag(cart)))) {
            return RestResponse.ResponseBuilder.<CartView>create(Response.Status.NOT_MODIFIED).header(HttpHeaders.ETAG, etag(cart)).build();
        }
        return ok(cart);
    }

    /** The version in an If-Match header; null when absent or "*" (any version). An empty one never gets here (EmptyIfMatch). */
    static Integer ifMatch(String header) {
        if (header == null || header.trim().equals("*")) {
            return null;
        }
        String v = header.trim();
        if (v.startsWith("W/")) {
            // RFC 9110 13.1.1: If-Match compares strongly, so a weak tag (a proxy may have weakened ours) never matches
            throw new ProblemException(ProblemType.PRECONDITION_FAILED,
                    "If-Match compares entity tags strongly: a weak tag (W/…) never matches. Send the cart's ETag as received, such as \"3\".");
        }
        if (v.length() >= 3 && v.startsWith("\"") && v.endsWith("\"")) {
            try {
                return Integer.parseInt(v.substring(1, v.length() - 1));
            } catch (NumberFormatException e) {
                // falls through: no cart version looks like this, so it cannot match
            }
        }
        throw new ProblemException(ProblemType.PRECONDITION_FAILED,
                "If-Match must be the cart's ETag as received, such as \"3\".");
    }
}
