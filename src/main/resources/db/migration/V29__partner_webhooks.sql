-- Signed webhooks (issue #13): a partner's subscriptions to event types, one delivery per (subscription,
-- event) fanned out from the outbox, and every attempt of it. The signing secret must be usable to sign,
-- so it is stored as issued (classified credential in the data map, never exported or shown again).
create table webhook_subscription (
    id                   uuid primary key,
    client_id            uuid not null references partner_client (id) on delete cascade,
    url                  varchar(2000) not null,
    event_types          text[] not null check (cardinality(event_types) > 0),
    secret               varchar(100) not null,
    status               varchar(16) not null default 'active' check (status in ('active', 'paused')),
    consecutive_failures integer not null default 0,
    paused_at            timestamptz,
    paused_reason        varchar(200),
    created_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now()
);
create index webhook_subscription_client on webhook_subscription (client_id, created_at desc, id desc);
create index webhook_subscription_events on webhook_subscription using gin (event_types) where status = 'active';

create table webhook_delivery (
    id              uuid primary key,
    subscription_id uuid not null references webhook_subscription (id) on delete cascade,
    event_id        uuid not null,
    event_type      varchar(64) not null,
    payload         jsonb not null,
    status          varchar(16) not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
    attempts        integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    retry_until     timestamptz not null,
    created_at      timestamptz not null default now(),
    delivered_at    timestamptz,
    unique (subscription_id, event_id)
);
create index webhook_delivery_due on webhook_delivery (next_attempt_at) where status = 'pending';
create index webhook_delivery_subscription on webhook_delivery (subscription_id, created_at desc, id desc);
create index webhook_delivery_created on webhook_delivery (created_at);

create table webhook_attempt (
    id               bigint generated always as identity primary key,
    delivery_id      uuid not null references webhook_delivery (id) on delete cascade,
    attempted_at     timestamptz not null default now(),
    latency_ms       integer not null,
    response_status  integer,
    error            varchar(200),
    response_excerpt varchar(200)
);
create index webhook_attempt_delivery on webhook_attempt (delivery_id, id);
create index webhook_attempt_time on webhook_attempt (attempted_at);
