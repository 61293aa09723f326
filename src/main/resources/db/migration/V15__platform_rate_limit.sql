-- One throttle mechanism for the whole service (sign-in, guest return verification, password checks,
-- reset mails, registration). An attempt is reserved before it is evaluated, with one atomic upsert, so
-- a burst of parallel guesses can never all be evaluated; a success gives its reservation back. Past
-- the limit the key is locked for a while that doubles with each further attempt, up to a cap.
-- Keys are SHA-256 digests: what is throttled (an email, an IP, an order number) is not stored.
create table rate_limit (
    key           char(64) primary key,
    attempts      integer not null check (attempts >= 0),
    window_start  timestamptz not null,
    locked_until  timestamptz
);
create index rate_limit_window on rate_limit (window_start);

drop table auth_throttle;
drop table throttle;
