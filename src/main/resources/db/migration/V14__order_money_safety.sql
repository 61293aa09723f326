-- Money safety: refunds are recorded as pending intents in the same transaction as the move that
-- causes them and settled after the provider answers; every order line carries the budget that
-- returns, exchanges and refunds draw from, so no combination pays out more than was paid.

-- A full refund is under way (the provider has not confirmed yet): no other move is allowed.
alter table orders drop constraint orders_status_check;
alter table orders add constraint orders_status_check
    check (status in ('placed', 'paid', 'fulfilled', 'shipped', 'delivered', 'cancelled', 'refunding', 'refunded'));

alter table orders drop constraint orders_payment_status_check;
alter table orders add constraint orders_payment_status_check
    check (payment_status in ('none', 'authorised', 'captured', 'released', 'refund_pending', 'partially_refunded', 'refunded'));

comment on column orders.refunded_minor is 'money committed to refunds, pending or settled; never more than total_minor';

-- Per line: money committed to refunds, and units replaced by exchanges. Money refunded plus the
-- value of replaced units never exceeds what the line cost.
alter table order_line add column refunded_minor bigint not null default 0 check (refunded_minor >= 0);
alter table order_line add column exchanged_quantity integer not null default 0 check (exchanged_quantity >= 0);

-- Returns: goods can be received; 'processing' (a refund in flight) becomes the visible 'refund_pending'.
alter table order_return drop constraint order_return_status_check;
alter table order_return add column received_at timestamptz;
alter table order_return add column received_by uuid;
-- Money going back to a buyer (or an authorisation being released), as an intent. The id is the
-- idempotency reference given to the provider, so a retry can never refund twice.
create table payment_refund (
    id                 uuid primary key default gen_random_uuid(),
    order_id           uuid not null references orders (id),
    return_id          uuid references order_return (id),
    kind               varchar(8) not null check (kind in ('refund', 'release')),
    reason             varchar(16) not null
                       check (reason in ('cancel', 'full_refund', 'partial_refund', 'return', 'late_capture')),
    amount_minor       bigint not null check (amount_minor >= 0),
    currency           char(3) not null,
    status             varchar(16) not null default 'pending' check (status in ('pending', 'succeeded', 'superseded')),
    attempts           integer not null default 0,
    next_attempt_at    timestamptz not null default now(),
    last_error         varchar(500),
    provider_reference varchar(100),
    requested_by       uuid,
    requested_role     varchar(16) not null,
    note               varchar(500),
    created_at         timestamptz not null default now(),
    completed_at       timestamptz
);
create index payment_refund_order on payment_refund (order_id, created_at);
create index payment_refund_due on payment_refund (next_attempt_at) where status = 'pending';
create index payment_refund_newest on payment_refund (created_at desc, id desc);

-- Existing orders get the budgets their history already used: units replaced by exchanges, money of
-- refunded returns, everything left on orders refunded in full.
update order_line l set exchanged_quantity = x.units
from (select r.order_id, rl.line_no, sum(rl.quantity)::int as units
      from order_return r join order_return_line rl on rl.return_id = r.id
      where r.status = 'exchanged' group by r.order_id, rl.line_no) x
where l.order_id = x.order_id and l.line_no = x.line_no;
update order_line l set refunded_minor = least(x.amount, l.line_total_minor - l.exchanged_quantity * l.unit_price_minor)
from (select r.order_id, rl.line_no, sum(rl.quantity * ol.unit_price_minor)::bigint as amount
      from order_return r join order_return_line rl on rl.return_id = r.id
      join order_line ol on ol.order_id = r.order_id and ol.line_no = rl.line_no
      where r.status in ('refunded', 'processing') group by r.order_id, rl.line_no) x
where l.order_id = x.order_id and l.line_no = x.line_no;
update order_line l set refunded_minor = l.line_total_minor - l.exchanged_quantity * l.unit_price_minor
from orders o where o.id = l.order_id and (o.status = 'refunded' or o.payment_status = 'refunded');
-- A return refund that was in flight under the old code (its money already counted on the order) is
-- now a pending refund the worker settles, with its own idempotency reference.
insert into payment_refund (order_id, return_id, kind, reason, amount_minor, currency, requested_by, requested_role, note)
select r.order_id, r.id, 'refund', 'return', coalesce(sum(rl.quantity * ol.unit_price_minor), 0), o.currency, r.decided_by, 'system',
       'in flight when money safety was introduced'
from order_return r join orders o on o.id = r.order_id
join order_return_line rl on rl.return_id = r.id
join order_line ol on ol.order_id = r.order_id and ol.line_no = rl.line_no
where r.status = 'processing' and o.payment_reference is not null
group by r.order_id, r.id, o.currency, r.decided_by;
update orders o set payment_status = 'refund_pending'
where exists (select 1 from payment_refund p where p.order_id = o.id and p.status = 'pending')
  and o.payment_status in ('captured', 'partially_refunded');
update order_return set status = 'refund_pending' where status = 'processing';

alter table order_line add constraint order_line_budget
    check (refunded_minor + exchanged_quantity * unit_price_minor <= line_total_minor);
alter table order_line add constraint order_line_exchanged_units check (exchanged_quantity <= quantity);
alter table order_return add constraint order_return_status_check
    check (status in ('requested', 'rejected', 'refund_pending', 'refunded', 'exchanged'));

-- Every stock change that is not a sale: admin adjustments, cancelled orders, received returns.
create table stock_movement (
    id          bigint generated always as identity primary key,
    variant_id  uuid not null references catalog_variant (id),
    delta       integer not null,
    reason      varchar(32) not null check (reason in ('adjustment', 'order_cancelled', 'order_refunded', 'return_received')),
    reference   varchar(100),
    note        varchar(200),
    actor_id    uuid,
    created_at  timestamptz not null default now()
);
create index stock_movement_variant on stock_movement (variant_id, id desc);

-- Idempotency claims are leases held by one running attempt, renewed while it runs.
alter table idempotency_key add column owner uuid;
