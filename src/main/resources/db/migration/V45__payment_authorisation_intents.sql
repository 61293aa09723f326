-- Checkout records its intent before it asks the gateway to authorise a card, under the id the gateway gets as
-- its idempotency key. The order's own transaction deletes the row: from then on the order holds the
-- authorisation (captured, retried or released from there). A row still here at void_after belongs to a
-- checkout that never recorded its order (the instance died, the gateway's answer was lost, the order failed
-- and so did its release): a worker on every instance claims it (SKIP LOCKED) and voids whatever the gateway
-- authorised under that key. A claimed row is 'voiding', so a checkout finishing late cannot take it back.
create table payment_authorisation (
    id           uuid primary key,
    amount_minor bigint not null,
    currency     char(3) not null,
    status       text not null default 'pending' check (status in ('pending', 'voiding')),
    attempts     integer not null default 0,
    void_after   timestamptz not null,
    created_at   timestamptz not null default now()
);
create index payment_authorisation_due on payment_authorisation (void_after);
