-- RFC 3339 UTC timestamps for JSON built in SQL (the session time zone must not matter).
create function rfc3339(t timestamptz) returns text
    language sql immutable strict parallel safe
    as $$ select to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') $$;

-- Catalog: categories (a tree), products and their purchasable variants.
-- No column here holds personal data; every column is still classified in data-map.json.

create table catalog_category (
    id          uuid primary key default gen_random_uuid(),
    slug        varchar(120) not null unique,
    name        varchar(200) not null,
    description text not null default '',
    parent_id   uuid references catalog_category (id) on delete restrict,
    position    integer not null default 0,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    check (parent_id is null or parent_id <> id)
);
create index catalog_category_parent on catalog_category (parent_id);

create table catalog_product (
    id          uuid primary key default gen_random_uuid(),
    slug        varchar(160) not null unique,
    title       varchar(200) not null,
    description text not null default '',
    category_id uuid references catalog_category (id) on delete restrict,
    images      jsonb not null default '[]'::jsonb check (jsonb_typeof(images) = 'array'),
    attributes  jsonb not null default '{}'::jsonb check (jsonb_typeof(attributes) = 'object'),
    status      varchar(16) not null default 'active' check (status in ('active', 'archived')),
    search      tsvector generated always as (
                    setweight(to_tsvector('english', title), 'A') ||
                    setweight(to_tsvector('english', description), 'B')) stored,
    version     integer not null default 1,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);
create index catalog_product_newest on catalog_product (created_at desc, id desc);
create index catalog_product_category on catalog_product (category_id);
create index catalog_product_search on catalog_product using gin (search);

create table catalog_variant (
    id            uuid primary key default gen_random_uuid(),
    product_id    uuid not null references catalog_product (id) on delete cascade,
    sku           varchar(64) not null,
    title         varchar(200) not null default '',
    options       jsonb not null default '{}'::jsonb check (jsonb_typeof(options) = 'object'),
    price_minor   bigint not null check (price_minor >= 0),
    currency      char(3) not null check (currency ~ '^[A-Z]{3}$'),
    stock_on_hand integer not null check (stock_on_hand >= 0),
    status        varchar(16) not null default 'active' check (status in ('active', 'archived')),
    position      integer not null default 0,
    version       integer not null default 1,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now()
);
-- SKUs are unique whatever their case: 'TS-1' and 'ts-1' would confuse a warehouse.
create unique index catalog_variant_sku on catalog_variant (upper(sku));
create index catalog_variant_product on catalog_variant (product_id, position, id);
