-- Add to cart, the busiest write, in one statement and one round trip: it locks the cart, checks the
-- version the caller saw, the variant and the cart's currency, upserts the line within the limits, bumps
-- the version and answers the cart's lines with their variants. It was four round trips and a commit
-- from the service; each statement here runs with a fresh snapshot (a volatile function), after the
-- lock, exactly as those did. A refusal writes nothing but, for an account without a live cart, the
-- new empty cart (reading the cart creates it too), so no refusal needs a rollback.
--
-- outcome: 'added' with one row per line (cart order: oldest first, then variant id), or one row with
-- 'not_found' (no such guest cart, wrong token, expired), 'version_mismatch' (version is the current
-- one), 'variant_unavailable', 'currency_mismatch' or 'quantity_limit'.
create function cart_add_item(p_cart_id uuid, p_token_hash bpchar, p_account_id uuid, p_variant_id uuid,
                              p_quantity integer, p_if_match integer, p_idle_seconds bigint,
                              p_max_quantity integer, p_max_lines integer)
    returns table (outcome text, cart_id uuid, version integer, expires_at text, variant_id uuid, quantity integer,
                   added_at timestamptz, sku text, title text, product_title text, price_minor bigint, currency text,
                   stock_on_hand integer, purchasable boolean)
    language plpgsql volatile
as $$
#variable_conflict use_column
declare
    v_cart    uuid;
    v_version integer;
    v_expires text;
    v_lines   uuid[];
    v_purchasable    boolean;
    v_other_currency boolean;
begin
    if p_account_id is null then
        select c.id, c.version into v_cart, v_version from cart c
        where c.id = p_cart_id and c.token_hash = p_token_hash and c.account_id is null and c.expires_at > now()
        for no key update;
    else
        select c.id, c.version into v_cart, v_version from cart c
        where c.account_id = p_account_id and c.expires_at > now()
        for no key update;
        if v_cart is null then
            -- its first add, or its cart expired: replace an expired one (concurrent first adds meet on the unique key)
            delete from cart c where c.account_id = p_account_id and c.expires_at <= now();
            insert into cart (account_id, expires_at) values (p_account_id, now() + p_idle_seconds * interval '1 second')
            on conflict (account_id) do nothing;
            select c.id, c.version into v_cart, v_version from cart c where c.account_id = p_account_id for no key update;
        end if;
    end if;
    if v_cart is null then
        outcome := 'not_found'; return next; return;
    end if;
    if p_if_match is not null and p_if_match <> v_version then
        outcome := 'version_mismatch'; version := v_version; return next; return;
    end if;

    -- the lines cannot change before this commits: every writer of a cart's lines locks the cart first.
    -- The variants' ids go in as plain values: an argument with a subquery would keep the planner from
    -- inlining catalog_variant_snapshots, and a SQL function that is not inlined is planned at every call
    v_lines := array(select l.variant_id from cart_line l where l.cart_id = v_cart);
    select w.purchasable, exists (select 1 from catalog_variant_snapshots(v_lines) s where s.currency <> w.currency)
    into v_purchasable, v_other_currency
    from catalog_variant_snapshots(array[p_variant_id]) w;
    if not coalesce(v_purchasable, false) then
        outcome := 'variant_unavailable'; return next; return;
    end if;
    if v_other_currency then
        outcome := 'currency_mismatch'; return next; return;
    end if;

    insert into cart_line (cart_id, variant_id, quantity)
    select v_cart, p_variant_id, p_quantity
    where p_quantity <= p_max_quantity and (cardinality(v_lines) < p_max_lines or p_variant_id = any (v_lines))
    on conflict (cart_id, variant_id) do update set quantity = cart_line.quantity + excluded.quantity
        where cart_line.quantity + excluded.quantity <= p_max_quantity;
    if not found then
        outcome := 'quantity_limit'; return next; return;
    end if;

    update cart c set version = c.version + 1, updated_at = now(), expires_at = now() + p_idle_seconds * interval '1 second'
    where c.id = v_cart
    returning c.version, rfc3339(c.expires_at) into v_version, v_expires;

    return query
        select 'added'::text, v_cart, v_version, v_expires, l.variant_id, l.quantity, l.added_at,
               s.sku, s.title, s.product_title, s.price_minor, s.currency, s.stock_on_hand, s.purchasable
        from cart_line l
        left join catalog_variant_snapshots(v_lines || p_variant_id) s on s.id = l.variant_id
        where l.cart_id = v_cart
        order by l.added_at, l.variant_id;
end
$$;
