-- Accounts (P10): the registered customer, their address book and marketing consents.
-- Personal columns are classified in data-map.json.

create table account (
    id                uuid primary key,
    email             varchar(254) not null,
    password_hash     varchar(255) not null,
    name              varchar(200) not null,
    phone             varchar(30),
    interests         text[] not null default '{}',
    birth_date        date,
    adult_attested_at timestamptz not null,
    roles             text[] not null default '{customer}',
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    version           integer not null default 0
);
-- One account per address whatever its case (P10); the index also serves sign-in look-ups.
create unique index account_email_unique on account (lower(email));
create index account_created on account (created_at desc, id desc);

create table account_address (
    id                uuid primary key,
    account_id        uuid not null references account (id) on delete cascade,
    name              varchar(200) not null,
    line1             varchar(200) not null,
    line2             varchar(200),
    city              varchar(100) not null,
    region            varchar(100),
    postal_code       varchar(20) not null,
    country           char(2) not null,
    phone             varchar(30),
    default_shipping  boolean not null default false,
    default_billing   boolean not null default false,
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    version           integer not null default 0
);
create index account_address_owner on account_address (account_id, created_at);
create unique index account_address_one_default_shipping on account_address (account_id) where default_shipping;
create unique index account_address_one_default_billing on account_address (account_id) where default_billing;

-- Marketing consent per channel (P16, P17), with when, where and under which policy version (P30).
create table account_consent (
    id              uuid primary key,
    account_id      uuid not null references account (id) on delete cascade,
    purpose         varchar(40) not null,
    channel         varchar(20) not null check (channel in ('email', 'postal_mail', 'phone')),
    granted         boolean not null,
    source          varchar(40) not null,
    policy_version  varchar(40) not null,
    recorded_at     timestamptz not null default now()
);
create index account_consent_owner on account_consent (account_id, purpose, channel, recorded_at desc);
