-- Carts: a guest cart is reached with its unguessable token (only its SHA-256 digest is stored);
-- an account cart (one per account) through the account's access token. Lines point at catalog
-- variants by id; prices are never stored here, they are read from the catalog on every view.
create table cart (
    id          uuid primary key default gen_random_uuid(),
    token_hash  char(64) unique,
    account_id  uuid unique,
    version     integer not null default 1,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    expires_at  timestamptz not null,
    check ((token_hash is null) <> (account_id is null))
);
create index cart_expiry on cart (expires_at);

create table cart_line (
    cart_id    uuid not null references cart (id) on delete cascade,
    variant_id uuid not null,
    quantity   integer not null check (quantity between 1 and 99),
    added_at   timestamptz not null default now(),
    primary key (cart_id, variant_id)
);
