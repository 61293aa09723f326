-- A refund attempt holds its own lease. It used to live in next_attempt_at, so support's "retry now"
-- (which makes a refund due) could start a second provider call while one was still in flight; the
-- idempotency key kept the money from moving twice, but the second call had no business happening.
alter table payment_refund add column leased_until timestamptz;
