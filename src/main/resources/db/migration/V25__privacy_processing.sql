-- Carrying out privacy requests (P13, P28, P29). A confirmed request is claimed by a background job
-- (FOR UPDATE SKIP LOCKED, so any instance may run it); a failed attempt is retried later.
alter table privacy_request
    add column result          jsonb,
    add column attempts        integer not null default 0,
    add column next_attempt_at timestamptz,
    add column last_error      varchar(200);
create index privacy_request_due on privacy_request (next_attempt_at) where status = 'confirmed';

-- An export or access document: stored in chunks as it is streamed out of every feature, so a long
-- history is never held in memory; downloadable once through the emailed link (only its digest is
-- kept) or by the signed-in subject until it expires, then deleted by the retention run.
create table privacy_document (
    request_id    uuid primary key references privacy_request (id) on delete cascade,
    token_hash    varchar(64) unique,
    bytes         bigint not null,
    created_at    timestamptz not null default now(),
    expires_at    timestamptz not null,
    downloaded_at timestamptz
);
create index privacy_document_expiry on privacy_document (expires_at);

create table privacy_document_chunk (
    request_id uuid not null references privacy_document (request_id) on delete cascade,
    seq        integer not null,
    data       text not null,
    primary key (request_id, seq)
);

-- Who was told of an erasure and when they acknowledged it: the request completes only when every
-- recipient that held the data has.
create table privacy_request_recipient (
    request_id      uuid not null references privacy_request (id) on delete cascade,
    recipient       varchar(40) not null,
    notified_at     timestamptz,
    acknowledged_at timestamptz,
    answer          varchar(500),
    primary key (request_id, recipient)
);

-- A legal hold (litigation, an authority's order) stops erasure of a person's data until lifted.
create table legal_hold (
    id         uuid primary key,
    account_id uuid,
    email      varchar(254),
    reason     varchar(2000) not null,
    placed_by  uuid not null,
    placed_at  timestamptz not null default now(),
    lifted_by  uuid,
    lifted_at  timestamptz,
    check (account_id is not null or email is not null)
);
create index legal_hold_account on legal_hold (account_id) where lifted_at is null;
create index legal_hold_email on legal_hold (lower(email)) where lifted_at is null;

-- Every retention run and what each rule removed: the log the purge leaves, on every instance.
create table retention_run (
    id          bigint generated always as identity primary key,
    started_at  timestamptz not null default now(),
    finished_at timestamptz,
    counts      jsonb not null default '[]'
);
