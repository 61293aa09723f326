-- Comments and suggestions (P6) from customers and visitors. The sender is the signed-in account, else
-- the visitor the request's token proved, else nobody; either goes with the feedback when the person is erased.
create table feedback (
    id              uuid primary key,
    account_id      uuid references account (id) on delete cascade,
    visitor_id      uuid references visitor (id) on delete cascade,
    topic           varchar(20) not null check (topic in ('product', 'order', 'delivery', 'website', 'privacy', 'other')),
    message         varchar(5000) not null,
    contact_email   varchar(254),
    status          varchar(10) not null default 'open' check (status in ('open', 'resolved')),
    resolution_note varchar(2000),
    resolved_by     uuid,
    resolved_at     timestamptz,
    created_at      timestamptz not null default now(),
    check (account_id is null or visitor_id is null),
    check ((status = 'resolved') = (resolved_at is not null))
);
create index feedback_account on feedback (account_id, created_at desc, id desc) where account_id is not null;
create index feedback_visitor on feedback (visitor_id) where visitor_id is not null;
create index feedback_status on feedback (status, created_at desc, id desc);

-- Call-centre and service-desk contacts (P3), recorded by support agents and kept to assist the person
-- later. A contact is about an account, or (no account) carries the caller's own name, phone and address.
create table support_contact (
    id                  uuid primary key,
    account_id          uuid references account (id) on delete cascade,
    caller_name         varchar(200),
    caller_phone        varchar(30),
    caller_addressee    varchar(200),
    caller_line1        varchar(200),
    caller_line2        varchar(200),
    caller_city         varchar(100),
    caller_region       varchar(100),
    caller_postal_code  varchar(20),
    caller_country      char(2),
    channel             varchar(10) not null check (channel in ('phone', 'email', 'chat', 'in_person', 'letter')),
    reason              varchar(20) not null check (reason in ('product', 'order', 'delivery', 'billing', 'return', 'account',
                            'privacy', 'complaint', 'other')),
    notes               varchar(5000) not null,
    recorded_by         uuid not null,
    created_at          timestamptz not null default now(),
    check ((account_id is null) = (caller_name is not null)),
    check (account_id is null or (caller_phone is null and caller_line1 is null)),
    check ((caller_line1 is null) = (caller_city is null) and (caller_line1 is null) = (caller_postal_code is null)
           and (caller_line1 is null) = (caller_country is null) and (caller_line1 is null) = (caller_addressee is null))
);
create index support_contact_account on support_contact (account_id, created_at desc, id desc) where account_id is not null;
create index support_contact_newest on support_contact (created_at desc, id desc);

-- Copyright notices under 17 U.S.C. § 512(c)(3) (P27), filed for the copyright agent (role legal). Every
-- element (a)-(f) is a not-null column, and the two statements must have been made.
create table copyright_notice (
    id                  uuid primary key,
    signature           varchar(200) not null,
    copyright_owner     varchar(200),
    copyrighted_work    varchar(5000) not null,
    infringing_material varchar(5000) not null,
    infringing_urls     text[] not null check (cardinality(infringing_urls) between 1 and 50),
    addressee           varchar(200) not null,
    line1               varchar(200) not null,
    line2               varchar(200),
    city                varchar(100) not null,
    region              varchar(100),
    postal_code         varchar(20) not null,
    country             char(2) not null,
    phone               varchar(30) not null,
    email               varchar(254) not null,
    good_faith          boolean not null check (good_faith),
    accurate_under_penalty boolean not null check (accurate_under_penalty),
    status              varchar(10) not null default 'open' check (status in ('open', 'handled')),
    outcome             varchar(20) check (outcome in ('removed', 'access_disabled', 'rejected', 'counter_notice', 'duplicate')),
    handling_note       varchar(2000),
    handled_by          uuid,
    handled_at          timestamptz,
    acknowledged_at     timestamptz,
    received_at         timestamptz not null default now(),
    check ((status = 'handled') = (handled_at is not null) and (handled_at is null) = (outcome is null))
);
create index copyright_notice_status on copyright_notice (status, received_at desc, id desc);
create index copyright_notice_newest on copyright_notice (received_at desc, id desc);
