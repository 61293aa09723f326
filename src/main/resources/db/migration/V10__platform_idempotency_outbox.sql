-- Platform mechanisms shared by features: idempotent commands, a transactional outbox and
-- failure throttling. All coordination between instances happens here, never in JVM memory.

-- One row per (scope, key) an unsafe request was sent with. The first request claims the key
-- (insert ... on conflict do nothing); its successful response is stored and replayed for 24 h.
create table idempotency_key (
    scope            varchar(200) not null,
    key              varchar(255) not null,
    request_hash     varchar(64) not null,
    status           varchar(16) not null check (status in ('in_progress', 'completed')),
    -- an in-progress claim older than this is considered abandoned (crashed instance) and may be re-claimed
    locked_until     timestamptz not null,
    response_status  integer,
    response_body    text,
    response_headers jsonb,
    created_at       timestamptz not null default now(),
    expires_at       timestamptz not null,
    primary key (scope, key)
);
create index idempotency_key_expiry on idempotency_key (expires_at);

-- Events written in the same transaction as the change they announce; a worker publishes them
-- at least once (rows are claimed with FOR UPDATE SKIP LOCKED, retried with backoff).
create table outbox (
    id              uuid primary key default gen_random_uuid(),
    topic           varchar(100) not null,
    aggregate_id    uuid not null,
    payload         jsonb not null,
    status          varchar(16) not null default 'pending' check (status in ('pending', 'published')),
    attempts        integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    last_error      varchar(500),
    created_at      timestamptz not null default now(),
    published_at    timestamptz
);
create index outbox_due on outbox (next_attempt_at) where status = 'pending';

-- Failure counters per key and fixed window (guest verification attempts, for instance).
-- The key is a SHA-256 digest, so the table holds no personal data.
create table throttle (
    key          char(64) not null,
    window_start timestamptz not null,
    failures     integer not null default 0,
    primary key (key, window_start)
);
create index throttle_window on throttle (window_start);
