-- Listings read one precomputed row per product instead of aggregating variants per request:
-- triggers keep each product's price range, stock flag and listing JSON up to date, in the same
-- transaction as the change that affects them.

alter table catalog_product
    add column price_min bigint,
    add column price_max bigint,
    add column currency  char(3),
    add column in_stock  boolean not null default false,
    add column summary   text;

create function catalog_product_derive() returns trigger language plpgsql as $$
declare
    cat record;
begin
    select min(v.price_minor), max(v.price_minor), min(v.currency), coalesce(bool_or(v.stock_on_hand > 0), false)
      into new.price_min, new.price_max, new.currency, new.in_stock
      from catalog_variant v where v.product_id = new.id and v.status = 'active';
    select c.id, c.slug, c.name into cat from catalog_category c where c.id = new.category_id;
    new.summary := json_build_object(
        'id', new.id, 'slug', new.slug, 'title', new.title,
        'category', case when new.category_id is null then null
                         else json_build_object('id', cat.id, 'slug', cat.slug, 'name', cat.name) end,
        'image', new.images ->> 0,
        'price_range', case when new.price_min is null then null
                            else json_build_object('min', json_build_object('amount_minor', new.price_min, 'currency', new.currency),
                                                   'max', json_build_object('amount_minor', new.price_max, 'currency', new.currency)) end,
        'in_stock', new.in_stock, 'status', new.status,
        'created_at', rfc3339(new.created_at))::text;
    return new;
end $$;

create trigger catalog_product_derive before insert or update on catalog_product
    for each row execute function catalog_product_derive();

-- A variant change that a listing can see re-derives its product (the update fires the trigger above).
-- Stock moves that do not cross zero (most sales) leave the product row alone.
create function catalog_variant_touch_product() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        update catalog_product set summary = null where id = old.product_id;
        return old;
    end if;
    update catalog_product set summary = null where id = new.product_id;
    return new;
end $$;

create trigger catalog_variant_inserted after insert or delete on catalog_variant
    for each row execute function catalog_variant_touch_product();
create trigger catalog_variant_changed after update on catalog_variant
    for each row when (old.price_minor is distinct from new.price_minor
                       or old.currency is distinct from new.currency
                       or old.status is distinct from new.status
                       or old.product_id is distinct from new.product_id
                       or (old.stock_on_hand > 0) is distinct from (new.stock_on_hand > 0))
    execute function catalog_variant_touch_product();

create function catalog_category_touch_products() returns trigger language plpgsql as $$
begin
    update catalog_product set summary = null where category_id = new.id;
    return new;
end $$;

create trigger catalog_category_renamed after update on catalog_category
    for each row when (old.slug is distinct from new.slug or old.name is distinct from new.name)
    execute function catalog_category_touch_products();

-- derive what exists already
update catalog_product set summary = null;

create index catalog_product_price on catalog_product (price_min, id);
