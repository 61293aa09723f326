-- Returns (P9): requested by the verified buyer, decided by support, resolved by a refund through the
-- payment provider or a replacement order. How the requester was verified is kept for fraud review.
create table order_return (
    id                   uuid primary key default gen_random_uuid(),
    order_id             uuid not null references orders (id),
    status               varchar(16) not null check (status in ('requested', 'processing', 'rejected', 'refunded', 'exchanged')),
    resolution           varchar(16) not null check (resolution in ('refund', 'exchange')),
    reason               varchar(1000) not null default '',
    verified_as          varchar(16) not null check (verified_as in ('owner', 'order_details')),
    verifier_account_id  uuid,
    verifier_email       varchar(320),
    verifier_postal_code varchar(20),
    verifier_ip          varchar(64),
    verifier_user_agent  varchar(500),
    refund_minor         bigint,
    refund_reference     varchar(100),
    exchange_order_id    uuid references orders (id),
    decided_by           uuid,
    decision_note        varchar(1000),
    created_at           timestamptz not null default now(),
    decided_at           timestamptz
);
create index order_return_order on order_return (order_id);
create index order_return_status on order_return (status, created_at);

create table order_return_line (
    return_id uuid not null references order_return (id) on delete cascade,
    line_no   integer not null,
    quantity  integer not null check (quantity > 0),
    primary key (return_id, line_no)
);
