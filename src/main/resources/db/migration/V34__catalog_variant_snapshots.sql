-- What another feature may know of a variant (its cart or order lines snapshot it): the catalog's one
-- definition of "purchasable", for the catalog's own reads and for other features' SQL functions, which
-- call this instead of naming the catalog's tables. A plain SQL function, so the planner inlines it.
create function catalog_variant_snapshots(ids uuid[])
    returns table (id uuid, sku text, title text, product_title text, price_minor bigint, currency text,
                   stock_on_hand integer, purchasable boolean)
    language sql stable parallel safe
as $$
    select v.id, v.sku::text, v.title::text, p.title::text, v.price_minor, v.currency::text, v.stock_on_hand,
           (v.status = 'active' and p.status = 'active')
    from catalog_variant v join catalog_product p on p.id = v.product_id
    where v.id = any (ids)
$$;
