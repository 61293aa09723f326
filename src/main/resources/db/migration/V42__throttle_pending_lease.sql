-- An attempt in flight holds its place until it settles; one that never settles (an instance that died
-- mid-attempt, a cancellation that came too early to be seen) held it until the window ended. Places in
-- flight now lapse: when the oldest of them is older than the lease (the throttle's PENDING_LEASE), they
-- are forgotten at the next attempt.
alter table rate_limit add column pending_since timestamptz;
