-- Partner credentials (issue #13): machine clients of partners (a marketplace, a logistics or ERP system)
-- that get short-lived access tokens through the OAuth 2.0 client credentials grant. The secret is shown
-- once; only its SHA-256 digest is kept (a 256-bit random secret needs no slow hash). A rotation keeps the
-- previous digest valid until previous_secret_expires_at; a revoked client's tokens stop working at once,
-- because every partner request checks the client's status here.
create table partner_client (
    id                         uuid primary key,
    name                       varchar(200) not null,
    contact_email              varchar(254),
    scopes                     text[] not null check (cardinality(scopes) > 0),
    status                     varchar(16) not null default 'active' check (status in ('active', 'revoked')),
    secret_hash                varchar(64) not null,
    previous_secret_hash       varchar(64),
    previous_secret_expires_at timestamptz,
    secret_rotated_at          timestamptz,
    created_by                 uuid,
    created_at                 timestamptz not null default now(),
    revoked_at                 timestamptz,
    revoked_by                 uuid
);
create index partner_client_newest on partner_client (created_at desc, id desc);
create index partner_client_contact on partner_client (lower(contact_email)) where contact_email is not null;
