-- Sign-in state shared by every instance: sessions (revocable), rotating refresh tokens,
-- single-use emailed tokens and sign-in throttling. Nothing here lives in one JVM's memory.

create table auth_session (
    id            uuid primary key,
    account_id    uuid not null references account (id) on delete cascade,
    remember      boolean not null default false,
    created_at    timestamptz not null default now(),
    last_used_at  timestamptz not null default now(),
    expires_at    timestamptz not null,
    revoked_at    timestamptz
);
create index auth_session_account on auth_session (account_id) where revoked_at is null;

-- A session's refresh tokens form one family: presenting a used one revokes the session.
create table auth_refresh_token (
    token_hash    varchar(64) primary key,
    session_id    uuid not null references auth_session (id) on delete cascade,
    issued_at     timestamptz not null default now(),
    used_at       timestamptz
);
create index auth_refresh_token_session on auth_refresh_token (session_id);

create table auth_email_token (
    token_hash    varchar(64) primary key,
    account_id    uuid not null references account (id) on delete cascade,
    purpose       varchar(20) not null check (purpose in ('password_reset', 'email_change')),
    new_email     varchar(254),
    created_at    timestamptz not null default now(),
    expires_at    timestamptz not null,
    used_at       timestamptz
);
create index auth_email_token_account on auth_email_token (account_id);

-- Failed sign-ins per subject key (a hash of the email or of the client IP, never the value).
create table auth_throttle (
    key           varchar(64) primary key,
    failures      integer not null,
    window_start  timestamptz not null,
    locked_until  timestamptz
);
