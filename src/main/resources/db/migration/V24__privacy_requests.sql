-- Privacy requests (P13, P29): export, erasure, access and rectification, for customers, affiliates,
-- visitors and guest buyers. Nothing is processed until the requester confirms through a single-use
-- link sent to their email; an unconfirmed request expires. Every status change is kept in the trail.
create table privacy_request (
    id               uuid primary key,
    kind             varchar(20) not null check (kind in ('export', 'erasure', 'access', 'rectification')),
    subject_kind     varchar(20) not null check (subject_kind in ('customer', 'visitor', 'guest_buyer')),
    account_id       uuid references account (id) on delete set null,
    visitor_id       uuid references visitor (id) on delete set null,
    order_id         uuid,
    email            varchar(254) not null,
    corrections      jsonb,
    status           varchar(30) not null check (status in ('awaiting_confirmation', 'confirmed', 'processing', 'completed',
                         'rejected', 'expired')),
    token_hash       varchar(64) unique,
    token_expires_at timestamptz not null,
    due_at           timestamptz not null,
    created_at       timestamptz not null default now(),
    confirmed_at     timestamptz,
    closed_at        timestamptz,
    reason           varchar(2000)
);
create index privacy_request_status_due on privacy_request (status, due_at);
create index privacy_request_account on privacy_request (account_id, created_at desc) where account_id is not null;
create index privacy_request_expiring on privacy_request (token_expires_at) where status = 'awaiting_confirmation';

create table privacy_request_event (
    id          bigint generated always as identity primary key,
    request_id  uuid not null references privacy_request (id) on delete cascade,
    status      varchar(30) not null,
    actor_id    uuid,
    note        varchar(2000),
    occurred_at timestamptz not null default now()
);
create index privacy_request_event_request on privacy_request_event (request_id, id);
