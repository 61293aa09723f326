-- Orders: placed by signed-in accounts (account ids are plain uuids, no foreign key to accounts).
-- Lines snapshot the catalog at checkout. Card data is limited to brand, last four digits, expiry
-- and the provider's reference (P8): no column can hold a card number or security code.
create table orders (
    id                  uuid primary key default gen_random_uuid(),
    number              varchar(20) not null unique,
    account_id          uuid not null,
    email               varchar(320) not null,
    status              varchar(16) not null
                        check (status in ('placed', 'paid', 'fulfilled', 'shipped', 'delivered', 'cancelled', 'refunded')),
    currency            char(3) not null,
    subtotal_minor      bigint not null check (subtotal_minor >= 0),
    total_minor         bigint not null check (total_minor >= 0),
    refunded_minor      bigint not null default 0,
    ship_name           varchar(200) not null,
    ship_line1          varchar(200) not null,
    ship_line2          varchar(200),
    ship_city           varchar(100) not null,
    ship_region         varchar(100),
    ship_postal_code    varchar(20) not null,
    ship_country        char(2) not null,
    ship_phone          varchar(30),
    billing_postal_code varchar(20) not null,
    card_brand          varchar(20),
    card_last4          char(4) check (card_last4 ~ '^[0-9]{4}$'),
    card_exp_month      smallint check (card_exp_month between 1 and 12),
    card_exp_year       smallint,
    payment_reference   varchar(100),
    payment_status      varchar(20) not null
                        check (payment_status in ('none', 'authorised', 'captured', 'released', 'refunded', 'partially_refunded')),
    exchange_of         uuid references orders (id),
    version             integer not null default 1,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    check (refunded_minor between 0 and total_minor)
);
create index orders_account on orders (account_id, created_at desc, id desc);
create index orders_newest on orders (created_at desc, id desc);
create index orders_status on orders (status, created_at desc);
create index orders_email on orders (lower(email));

create table order_line (
    order_id          uuid not null references orders (id) on delete cascade,
    line_no           integer not null,
    variant_id        uuid not null,
    sku               varchar(64) not null,
    title             varchar(200) not null,
    product_title     varchar(200) not null,
    unit_price_minor  bigint not null check (unit_price_minor >= 0),
    quantity          integer not null check (quantity > 0),
    line_total_minor  bigint not null check (line_total_minor >= 0),
    -- units under a return request or returned; a conditional update keeps it within quantity
    returned_quantity integer not null default 0,
    primary key (order_id, line_no),
    check (returned_quantity between 0 and quantity)
);

-- Every status change: who moved the order, from where to where.
create table order_transition (
    id          bigint generated always as identity primary key,
    order_id    uuid not null references orders (id) on delete cascade,
    from_status varchar(16),
    to_status   varchar(16) not null,
    actor_id    uuid,
    actor_role  varchar(16) not null,
    note        varchar(500),
    created_at  timestamptz not null default now()
);
create index order_transition_order on order_transition (order_id, id);
