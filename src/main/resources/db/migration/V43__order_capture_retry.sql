-- A checkout whose capture failed (the provider was down) stays placed with its payment authorised. A
-- worker on every instance captures it again, claiming with SKIP LOCKED; capture_next_at is both the
-- backoff and the claim's lease. Only orders awaiting capture are in the index, so a round reads a few rows.
alter table orders add column capture_attempts integer not null default 0,
                   add column capture_next_at timestamptz;
create index orders_awaiting_capture on orders (created_at) where status = 'placed' and payment_status = 'authorised';
