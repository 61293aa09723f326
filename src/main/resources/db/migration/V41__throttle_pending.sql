-- Limits on failures (sign-in, password checks, guest verifications, partner authentication) counted an
-- attempt in flight as if it had failed: a burst of correct attempts passed the limit and locked the key
-- for minutes although nothing had failed. Attempts in flight are now counted apart (pending): they still
-- count against the limit, so no more than the limit are ever evaluated at once, but only a failure
-- moves into attempts, and only failures lock.
alter table rate_limit add column pending integer not null default 0 check (pending >= 0);
