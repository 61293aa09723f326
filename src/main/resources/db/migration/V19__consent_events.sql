-- Consents (P15, P16, P17, P23, C1): every choice a person made about one purpose, appended and never
-- updated, with when, where (source) and under which policy version (P30). The newest event per
-- subject and purpose is the current state; no event means not given. A subject is an account or a
-- visitor (a browser before it signs in), never both.
create table consent_event (
    seq            bigint generated always as identity primary key,
    account_id     uuid references account (id) on delete cascade,
    visitor_id     uuid references visitor (id) on delete cascade,
    purpose        varchar(30) not null check (purpose in ('marketing_email', 'marketing_postal_mail', 'marketing_phone',
                       'partner_sharing', 'personalisation', 'analytics', 'affiliate_attribution')),
    granted        boolean not null,
    source         varchar(20) not null check (source in ('registration', 'account_page', 'cookie_banner', 'survey', 'contest',
                       'unsubscribe_link', 'gpc', 'dnt', 'admin', 'sign_in')),
    policy_version varchar(40) not null,
    recorded_at    timestamptz not null default now(),
    check (num_nonnulls(account_id, visitor_id) = 1)
);
create index consent_event_account on consent_event (account_id, purpose, seq desc) where account_id is not null;
create index consent_event_visitor on consent_event (visitor_id, purpose, seq desc) where visitor_id is not null;
create index consent_event_purpose on consent_event (purpose, account_id, seq desc) where account_id is not null;

-- The marketing choices recorded so far move over, oldest first, so their order is kept.
insert into consent_event (account_id, purpose, granted, source, policy_version, recorded_at)
select account_id, 'marketing_' || channel, granted, source, policy_version, recorded_at
from account_consent order by recorded_at, id;
drop table account_consent;

-- Attributes partners and service providers told us about a customer (P7, P15), with their source and
-- date; used only while the customer consents to personalisation. A newer value from the same source
-- replaces the older one.
create table partner_attribute (
    account_id  uuid not null references account (id) on delete cascade,
    source      varchar(100) not null,
    name        varchar(60) not null,
    value       varchar(500) not null,
    received_at timestamptz not null,
    recorded_at timestamptz not null default now(),
    primary key (account_id, source, name)
);

-- Marketing emails (P16): one campaign, one outbox event per consenting recipient; a delivery row
-- per event so a redelivered event sends nothing twice.
create table marketing_campaign (
    id          uuid primary key,
    subject     varchar(200) not null,
    body        text not null,
    created_by  uuid not null,
    recipients  integer not null,
    created_at  timestamptz not null default now()
);
create table marketing_delivery (
    event_id     uuid primary key,
    campaign_id  uuid not null references marketing_campaign (id) on delete cascade,
    account_id   uuid references account (id) on delete set null,
    outcome      varchar(20) not null check (outcome in ('sent', 'skipped')),
    delivered_at timestamptz not null default now()
);
create index marketing_delivery_account on marketing_delivery (account_id);

-- The disclosure log (P18, P20): every time a person's data left the company, to whom, on which legal
-- basis and which fields. Partner audience exports write one entry per person in the export.
create table disclosure (
    id           uuid primary key,
    account_id   uuid references account (id) on delete set null,
    recipient    varchar(200) not null,
    legal_basis  varchar(30) not null check (legal_basis in ('consent', 'subpoena', 'court_order', 'law_enforcement',
                     'debt_collection', 'business_transfer', 'fraud_prevention', 'other')),
    fields       text[] not null,
    note         varchar(2000),
    export_id    uuid,
    disclosed_at timestamptz not null,
    recorded_by  uuid not null,
    recorded_at  timestamptz not null default now()
);
create index disclosure_account on disclosure (account_id, disclosed_at desc);
create index disclosure_newest on disclosure (recorded_at desc, id desc);

-- Page views (P21), recorded only while the visitor's preferences allow analytics. The client address
-- is truncated before it is stored (by default); raw rows are kept for a retention period, after which
-- whole days are rolled up into anonymous daily aggregates and deleted.
create table page_view (
    id              bigint generated always as identity primary key,
    visitor_id      uuid references visitor (id) on delete cascade,
    account_id      uuid references account (id) on delete cascade,
    path            varchar(300) not null,
    browser_family  varchar(30) not null,
    os_family       varchar(30) not null,
    client_ip       inet,
    time_on_page_ms integer check (time_on_page_ms between 0 and 86400000),
    viewed_at       timestamptz not null default now()
);
create index page_view_time on page_view (viewed_at);
create index page_view_visitor on page_view (visitor_id) where visitor_id is not null;
create index page_view_account on page_view (account_id) where account_id is not null;
create table page_view_daily (
    day                    date not null,
    path                   varchar(300) not null,
    views                  bigint not null,
    median_time_on_page_ms integer,
    primary key (day, path)
);
