-- Versioned policy documents (P30): the privacy statement and the cookie policy, every version kept
-- with the moment it takes effect. Consents record the version in force when they were given.
create table policy_document (
    id           uuid primary key default gen_random_uuid(),
    kind         varchar(32) not null check (kind in ('privacy_statement', 'cookie_policy')),
    version      varchar(40) not null,
    effective_at timestamptz not null,
    body         text not null,
    published_by uuid,
    published_at timestamptz not null default now(),
    unique (kind, version)
);
create index policy_document_current on policy_document (kind, effective_at desc);
