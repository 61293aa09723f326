package com.harmony.cart;

import com.harmony.cart.CartViews.CartView;
import com.harmony.platform.ProblemException;
import com.harmony.platform.ProblemType;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Cart ETags: {@code "<version>-<digest>"}. The version moves with every write of the cart; the digest covers what
 * the catalog adds to it now (titles, prices, availability, stock warnings), so a price or stock change made by staff
 * or by other buyers moves the tag too and If-None-Match never answers 304 over a cart that now reads differently.
 * If-Match compares the version: a write is refused when the cart changed, not when a price did (its answer shows it).
 */
final class CartHttp {

    private CartHttp() {
    }

    static String etag(CartView cart) {
        // the lines and totals as records print them: every field the catalog fills in counts, a new one included
        String shown = cart.lines() + "|" + cart.subtotal() + "|" + cart.stockWarning() + "|" + cart.hasUnavailableItems();
        return "\"" + cart.version() + "-" + com.harmony.platform.Hashes.sha256Hex(shown).substring(0, 16) + "\"";
    }

    static RestResponse<CartView> ok(CartView cart) {
        return ok(cart, etag(cart));
    }

    private static RestResponse<CartView> ok(CartView cart, String tag) {
        return RestResponse.ResponseBuilder.ok(cart, MediaType.APPLICATION_JSON_TYPE).header(HttpHeaders.ETAG, tag).build();
    }

    /** 200 with the cart, or 304 when the caller already holds it as it reads now. */
    static RestResponse<CartView> read(CartView cart, String ifNoneMatch) {
        String tag = etag(cart);
        if (ifNoneMatch != null && (ifNoneMatch.trim().equals("*") || ifNoneMatch.contains(tag))) {
            return RestResponse.ResponseBuilder.<CartView>create(Response.Status.NOT_MODIFIED).header(HttpHeaders.ETAG, tag).build();
        }
        return ok(cart, tag);
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
                    "If-Match compares entity tags strongly: a weak tag (W/…) never matches. Send the cart's ETag as received, such as \"3-5f2a9c0e4b1d7a63\".");
        }
        if (v.length() >= 3 && v.startsWith("\"") && v.endsWith("\"")) {
            String tag = v.substring(1, v.length() - 1);
            int dash = tag.indexOf('-');
            // the version is what a write is compared with; a tag without its digest ("3") names the version too, but a
            // digest is the 16 hex digits this class writes or none (a "3-" was never issued)
            if (tag.matches("(0|[1-9][0-9]{0,8})(-[0-9a-f]{16})?")) {
                return Integer.parseInt(dash < 0 ? tag : tag.substring(0, dash));
            }
        }
        throw new ProblemException(ProblemType.PRECONDITION_FAILED,
                "If-Match must be the cart's ETag as received, such as \"3-5f2a9c0e4b1d7a63\".");
    }
}
