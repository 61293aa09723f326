-- The outbox worker takes due events oldest first (next_attempt_at, created_at). The index held only
-- next_attempt_at, so with a backlog every round sorted all due rows (100 ms with 67k pending, spilling
-- to disk) to take 50; with both columns a round reads its batch straight off the index.
drop index outbox_due;
create index outbox_due on outbox (next_attempt_at, created_at) where status = 'pending';
