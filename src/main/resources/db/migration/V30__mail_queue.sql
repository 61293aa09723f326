-- Outgoing emails that are not tied to an outbox event (issue #14): sign-in links, welcomes, privacy
-- request confirmations, notice acknowledgements. The request queues the message and answers; a worker
-- sends it when the mail server takes it, and deletes it then. The message (recipient, subject, text,
-- which may hold a single-use link) is sealed with AES-GCM under a key derived from SECRET_KEY, so
-- neither the address nor a link sits in the database in clear.
create table mail_queue (
    id              uuid primary key,
    account_id      uuid,
    sealed          bytea not null,
    attempts        integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    leased_until    timestamptz,
    last_error      varchar(200),
    created_at      timestamptz not null default now()
);
create index mail_queue_due on mail_queue (next_attempt_at);
create index mail_queue_account on mail_queue (account_id) where account_id is not null;
