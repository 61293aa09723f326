package com.harmony.cart;

/** The cart's SQL; cart rows are locked (FOR UPDATE) by every write, so writes to one cart are serial. */
final class CartSql {

    private CartSql() {
    }

    static final String CREATE_GUEST = """
            insert into cart (token_hash, expires_at) values ($1, now() + $2 * interval '1 second') returning id""";

    /** Locks a guest cart and bumps its version in one statement; answers the version the caller must have seen. */
    static final String LOCK_AND_TOUCH_GUEST = """
            update cart set version = version + 1, updated_at = now(), expires_at = now() + $3 * interval '1 second'
            where id = $1 and token_hash = $2 and account_id is null and expires_at > now()
            returning id, version - 1 as version""";

    static final String FIND_GUEST = """
            select id from cart where id = $1 and token_hash = $2 and account_id is null and expires_at > now()""";

    static final String LOCK_GUEST_BY_TOKEN = """
            select id from cart where token_hash = $1 and account_id is null and expires_at > now() for update""";

    static final String DELETE_EXPIRED_ACCOUNT_CART = "delete from cart where account_id = $1 and expires_at <= now()";

    static final String ENSURE_ACCOUNT_CART = """
            insert into cart (account_id, expires_at) values ($1, now() + $2 * interval '1 second')
            on conflict (account_id) do nothing""";

    static final String LOCK_ACCOUNT = "select id, version from cart where account_id = $1 for update";

    /** Locks the account's live cart and bumps its version in one statement (no row: it has none yet, or it expired). */
    static final String LOCK_AND_TOUCH_ACCOUNT = """
            update cart set version = version + 1, updated_at = now(), expires_at = now() + $2 * interval '1 second'
            where account_id = $1 and expires_at > now()
            returning id, version - 1 as version""";

    /**
     * The cart a checkout names (the account's own, or a guest cart whose token the caller holds) and its
     * lines in one read. No row: not theirs, or expired; a cart without lines: one row, no variant.
     */
    static final String FOR_CHECKOUT = """
            select c.version, l.variant_id, l.quantity
            from cart c left join cart_line l on l.cart_id = c.id
            where c.id = $1 and c.expires_at > now() and (c.account_id = $2 or (c.account_id is null and c.token_hash = $3))
            order by l.added_at, l.variant_id""";

    /** Locks the cart and bumps its version only if it is still at the version checkout read; no row back means it changed. */
    static final String CONSUME = """
            update cart set version = version + 1, updated_at = now(), expires_at = now() + $3 * interval '1 second'
            where id = $1 and version = $2 returning id""";

    /** Empties the cart, answering the lines it held (in no particular order: the caller sorts them as CART_WITH_LINES does). */
    static final String CLEAR_RETURNING = "delete from cart_line where cart_id = $1 returning variant_id, quantity, added_at";

    static final String CART_WITH_LINES = """
            select c.version, c.account_id is not null as owned, rfc3339(c.expires_at) as expires_at,
                   l.variant_id, l.quantity
            from cart c left join cart_line l on l.cart_id = c.id
            where c.id = $1
            order by l.added_at, l.variant_id""";

    /**
     * Adds units in one statement (V35): the guest cart ($1 with token hash $2) or the account's ($3), variant $4,
     * $5 units, If-Match $6 or null, idle expiry $7 seconds, at most $8 units a line and $9 lines a cart.
     */
    static final String ADD_ITEM = """
            select outcome, cart_id, version, expires_at, variant_id, quantity, added_at,
                   sku, title, product_title, price_minor, currency, stock_on_hand, purchasable
            from cart_add_item($1, $2, $3, $4, $5, $6, $7, $8, $9)""";

    static final String SET_QUANTITY = "update cart_line set quantity = $3 where cart_id = $1 and variant_id = $2";

    static final String REMOVE_LINE = "delete from cart_line where cart_id = $1 and variant_id = $2";

    static final String CLEAR = "delete from cart_line where cart_id = $1";

    static final String TOUCH = """
            update cart set version = version + 1, updated_at = now(), expires_at = now() + $2 * interval '1 second'
            where id = $1""";

    /**
     * Guest lines into the account cart (locked by the caller): a variant in both gets the sum of the quantities,
     * capped at $3 units; the guest's other lines fill the room left under $4 lines, oldest first. A cart holds one
     * currency: when the account cart has lines, guest lines priced in another currency stay behind (and go with
     * the guest cart), as an add of one would have been refused (lines of variants gone from the catalog move as before).
     */
    static final String MERGE_LINES = """
            with mine as (select variant_id from cart_line where cart_id = $2),
                 kept as (select v.currency from cart_line l
                          join catalog_variant_snapshots(array(select variant_id from cart_line where cart_id = $2)) v on v.id = l.variant_id
                          where l.cart_id = $2 order by l.added_at, l.variant_id limit 1),
                 guest as (select g.variant_id, g.quantity, g.added_at from cart_line g
                           left join catalog_variant_snapshots(array(select variant_id from cart_line where cart_id = $1)) v on v.id = g.variant_id
                           where g.cart_id = $1 and (v.id is null or not exists (select 1 from kept) or v.currency = (select currency from kept))),
                 fits as (select g.variant_id from guest g
                          where g.variant_id not in (select variant_id from mine)
                          order by g.added_at, g.variant_id
                          limit greatest($4 - (select count(*) from mine), 0))
            insert into cart_line (cart_id, variant_id, quantity, added_at)
            select $2, g.variant_id, g.quantity, g.added_at from guest g
            where g.variant_id in (select variant_id from mine) or g.variant_id in (select variant_id from fits)
            on conflict (cart_id, variant_id) do update set quantity = least(cart_line.quantity + excluded.quantity, $3)""";

    static final String DELETE = "delete from cart where id = $1";

    /**
     * Carts idle past their expiry and, through the foreign key, their lines, counted from the CTE's
     * snapshot, which still sees them. One statement: safe when several instances purge at once.
     */
    static final String PURGE_EXPIRED = """
            with gone as (delete from cart c where c.expires_at <= now() returning c.id)
            select (select count(*) from gone) as carts,
                   (select count(*) from cart_line l where l.cart_id in (select g.id from gone g)) as lines""";
}
