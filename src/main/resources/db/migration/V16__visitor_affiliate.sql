-- Visitors: a browser or app install before (or without) an account. The id is not a secret; the
-- token's secret is stored only as a digest. Linked to an account when it signs in or registers (P11).
create table visitor (
    id           uuid primary key,
    secret_hash  char(64) not null,
    account_id   uuid,
    linked_at    timestamptz,
    created_at   timestamptz not null default now(),
    last_seen_at timestamptz not null default now()
);
create index visitor_account on visitor (account_id) where account_id is not null;

-- Affiliates: accounts approved to earn commissions on orders their links bring (P11, P12, P31).
create table affiliate (
    id              uuid primary key default gen_random_uuid(),
    account_id      uuid not null unique,
    status          varchar(16) not null check (status in ('pending', 'approved', 'rejected', 'suspended')),
    code            varchar(32) unique,
    website         varchar(500) not null,
    payout_email    varchar(320) not null,
    terms_version   varchar(40) not null,
    rate_bp         integer not null check (rate_bp between 0 and 10000),
    adult_attested_at timestamptz not null,
    applied_at      timestamptz not null default now(),
    decided_at      timestamptz,
    decided_by      uuid,
    decision_note   varchar(500)
);

create table affiliate_campaign (
    id           uuid primary key default gen_random_uuid(),
    affiliate_id uuid not null references affiliate (id),
    code         varchar(32) not null,
    name         varchar(200) not null,
    created_at   timestamptz not null default now()
);
create index affiliate_campaign_affiliate on affiliate_campaign (affiliate_id);
create unique index affiliate_campaign_code on affiliate_campaign (lower(code));

-- One arrival through an affiliate link (P11, P12). IP and user agent are removed (set to null) once
-- the visit can no longer attribute an order and the retention period after that has passed.
create table referral_visit (
    id           uuid primary key default gen_random_uuid(),
    affiliate_id uuid not null references affiliate (id),
    campaign_id  uuid references affiliate_campaign (id),
    visitor_id   uuid references visitor (id),
    ip           varchar(64),
    user_agent   varchar(500),
    landing_page varchar(2000),
    referrer     varchar(2000),
    bot          boolean not null default false,
    created_at   timestamptz not null default now(),
    attributable_until timestamptz not null,
    network_data_removed_at timestamptz
);
create index referral_visit_affiliate on referral_visit (affiliate_id, created_at);
create index referral_visit_visitor on referral_visit (visitor_id, created_at) where visitor_id is not null;
create index referral_visit_purge on referral_visit (attributable_until) where ip is not null or user_agent is not null;

-- An order a referral brought (P12: the order with the buyer's IP address). Orders are referred to by id.
create table affiliate_order (
    order_id     uuid primary key,
    affiliate_id uuid not null references affiliate (id),
    visit_id     uuid not null references referral_visit (id),
    buyer_account_id uuid not null,
    buyer_ip     varchar(64),
    outcome      varchar(24) not null check (outcome in ('attributed', 'self_referral', 'affiliate_suspended')),
    -- what the order's own events said so far, whatever order they arrive in
    refunded_minor bigint not null default 0,
    cancelled    boolean not null default false,
    created_at   timestamptz not null default now()
);
create index affiliate_order_affiliate on affiliate_order (affiliate_id, created_at);

-- What an attributed order earns: created once when the order is paid, adjusted by refunds and cancels.
create table commission (
    id             uuid primary key default gen_random_uuid(),
    affiliate_id   uuid not null references affiliate (id),
    order_id       uuid not null unique references affiliate_order (order_id),
    currency       char(3) not null,
    base_minor     bigint not null check (base_minor >= 0),
    rate_bp        integer not null,
    amount_minor   bigint not null check (amount_minor >= 0),
    paid_minor     bigint not null default 0,
    status         varchar(16) not null check (status in ('pending', 'approved', 'paid', 'reversed')),
    approve_after  timestamptz not null,
    payout_id      uuid,
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now()
);
create index commission_affiliate on commission (affiliate_id, created_at desc, id desc);
create index commission_due on commission (approve_after) where status = 'pending';

-- Order events the commission ledger has already applied: delivery is at least once, effects once.
create table affiliate_event_applied (
    event_id   uuid primary key,
    applied_at timestamptz not null default now()
);

-- Admin payout runs: one report line per affiliate and period.
create table affiliate_payout (
    id          uuid primary key default gen_random_uuid(),
    period_from date not null,
    period_to   date not null,
    currency    char(3) not null,
    total_minor bigint not null,
    created_by  uuid,
    created_at  timestamptz not null default now()
);
create table affiliate_payout_line (
    payout_id    uuid not null references affiliate_payout (id),
    affiliate_id uuid not null references affiliate (id),
    amount_minor bigint not null,
    commissions  integer not null,
    primary key (payout_id, affiliate_id)
);
