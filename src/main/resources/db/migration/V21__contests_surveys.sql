-- Contests, sweepstakes and surveys (P5, P16, P31). Entries and responses hold the contact data the
-- entrant gave (name, email, phone, postal address) and how they attested being an adult; the birth
-- date itself is checked and never stored. The marketing answer at entry is a consent (consent_event).
create table contest (
    id                 uuid primary key,
    title              varchar(200) not null,
    rules              text not null,
    opens_at           timestamptz not null,
    closes_at          timestamptz not null,
    entries_per_person integer not null check (entries_per_person between 1 and 100),
    winners            integer not null check (winners between 1 and 1000),
    created_by         uuid not null,
    created_at         timestamptz not null default now(),
    check (closes_at > opens_at)
);
create index contest_created on contest (created_at desc, id desc);
create index contest_opens on contest (opens_at desc, id desc);

-- A person is an account, a visitor or a normalised email (email_key): the per-person limit counts
-- entries matching any of them, under advisory locks on each (see ContestService).
create table contest_entry (
    id                uuid primary key,
    contest_id        uuid not null references contest (id) on delete cascade,
    account_id        uuid references account (id) on delete cascade,
    visitor_id        uuid references visitor (id) on delete cascade,
    name              varchar(200) not null,
    email             varchar(254) not null,
    email_key         varchar(254) not null,
    phone             varchar(30),
    postal_address    jsonb not null,
    adult_basis       varchar(10) not null check (adult_basis in ('birth_date', 'statement')),
    entered_at        timestamptz not null default now()
);
create index contest_entry_contest_email on contest_entry (contest_id, email_key);
create index contest_entry_contest_account on contest_entry (contest_id, account_id) where account_id is not null;
create index contest_entry_contest_visitor on contest_entry (contest_id, visitor_id) where visitor_id is not null;
create index contest_entry_account on contest_entry (account_id, entered_at desc, id desc) where account_id is not null;

-- One draw per contest (the primary key makes a second one fail even if two start at once). The entry
-- ids are kept as drawn, sorted, so anyone can check the digest and recompute the picks from the seed.
create table contest_draw (
    contest_id     uuid primary key references contest (id) on delete cascade,
    algorithm      varchar(40) not null,
    seed           char(64) not null,
    entries_digest char(64) not null,
    entry_ids      uuid[] not null,
    drawn_by       uuid not null,
    drawn_at       timestamptz not null default now()
);

-- Every pick of the deterministic sequence, by its index; a disqualified pick stays with its reason and
-- the pick that replaced it names it. Entry ids carry no foreign key: an erased entry leaves the record intact.
create table contest_pick (
    contest_id              uuid not null references contest_draw (contest_id) on delete cascade,
    position                integer not null check (position >= 0),
    entry_id                uuid not null,
    replaces                uuid,
    picked_at               timestamptz not null default now(),
    disqualified_at         timestamptz,
    disqualification_reason varchar(500),
    disqualified_by         uuid,
    primary key (contest_id, position),
    unique (contest_id, entry_id),
    check ((disqualified_at is null) = (disqualification_reason is null))
);

-- Surveys: the questions are fixed at creation (answers are validated against them).
create table survey (
    id          uuid primary key,
    title       varchar(200) not null,
    description text,
    questions   jsonb not null,
    opens_at    timestamptz not null,
    closes_at   timestamptz,
    created_by  uuid not null,
    created_at  timestamptz not null default now(),
    check (closes_at is null or closes_at > opens_at)
);
create index survey_created on survey (created_at desc, id desc);
create index survey_opens on survey (opens_at desc, id desc);

create table survey_response (
    id             uuid primary key,
    survey_id      uuid not null references survey (id) on delete cascade,
    account_id     uuid references account (id) on delete cascade,
    visitor_id     uuid references visitor (id) on delete cascade,
    name           varchar(200) not null,
    email          varchar(254) not null,
    email_key      varchar(254) not null,
    phone          varchar(30),
    postal_address jsonb,
    answers        jsonb not null,
    adult_basis    varchar(10) not null check (adult_basis in ('birth_date', 'statement')),
    responded_at   timestamptz not null default now()
);
create index survey_response_survey_email on survey_response (survey_id, email_key);
create index survey_response_survey_account on survey_response (survey_id, account_id) where account_id is not null;
create index survey_response_survey_visitor on survey_response (survey_id, visitor_id) where visitor_id is not null;
create index survey_response_account on survey_response (account_id, responded_at desc, id desc) where account_id is not null;
