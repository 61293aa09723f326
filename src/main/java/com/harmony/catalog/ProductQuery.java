package com.harmony.catalog;

import com.harmony.platform.ProblemException;

/** The filters, sort and page a product listing was asked for, already checked for sense. */
public record ProductQuery(
        String category,
        String q,
        Long minPrice,
        Long maxPrice,
        String currency,
        Boolean inStock,
        Sort sort,
        int limit,
        String cursor,
        Status status) {

    /** Listing orders; each is a total order (ties broken by id) so keyset pages never skip or repeat. */
    public enum Sort {
        newest, oldest, price_asc, price_desc, title, relevance
    }

    /** Which products a listing covers; the shop surface sees active ones only. */
    public enum Status {
        active, archived, all
    }

    /**
     * One key per distinct query, for the page cache: every field length-prefixed, an absent one marked as such. The
     * record's own text form prints an absent field as {@code null}, so {@code ?category=null} shared its key with no
     * category at all, and a crafted {@code q} could imitate other fields: either put one query's answer under another's.
     */
    public String cacheKey() {
        StringBuilder key = new StringBuilder("page");
        for (Object field : new Object[] {category, q, minPrice, maxPrice, currency, inStock, sort, limit, cursor, status}) {
            String text = field == null ? null : field.toString();
            key.append('|').append(text == null ? "-" : text.length() + ":" + text);
        }
        return key.toString();
    }

    public ProductQuery {
        if (minPrice != null && maxPrice != null && minPrice > maxPrice) {
            throw ProblemException.invalid("min_price", "must not be greater than max_price");
        }
        boolean searching = q != null && !q.isBlank();
        if (sort == null) {
            sort = searching ? Sort.relevance : Sort.newest;
        }
        if (sort == Sort.relevance && !searching) {
            throw ProblemException.invalid("sort", "relevance needs a search query q");
        }
    }
}
