-- The service's own read of variant snapshots (checkout prices a cart with it twice, carts show their
-- lines with it). Sent as a prepared statement over catalog_variant_snapshots, PostgreSQL planned it
-- again at every execution: for an array parameter the generic plan is costed for ten ids and a custom
-- plan for the ids given, so the custom plan always won, and each one parsed the inlined function's
-- body anew (0.3 ms of every call under checkout load, about a seventh of the statement time of an
-- order). Behind PL/pgSQL the outer statement is one function scan, whose generic plan is chosen after
-- the first few, and the lookup inside is planned once per connection. SQL functions keep calling
-- catalog_variant_snapshots, which their own statements inline.
create function catalog_variant_snapshots_planned(ids uuid[])
    returns table (id uuid, sku text, title text, product_title text, price_minor bigint, currency text,
                   stock_on_hand integer, purchasable boolean)
    language plpgsql stable parallel safe rows 4
    set plan_cache_mode = force_generic_plan
as $$
begin
    return query select s.id, s.sku, s.title, s.product_title, s.price_minor, s.currency, s.stock_on_hand, s.purchasable
                 from catalog_variant_snapshots(ids) s;
end
$$;
