-- The admin audit log (P24): every staff action that reads or changes someone else's data, written
-- in the same transaction as the change (reads after they were answered). Append-only: triggers
-- refuse updates, deletes and truncation for every role, the application's included; only a
-- migration that drops them could change history, and that is itself reviewed code.
create table audit_log (
    id                 bigint generated always as identity primary key,
    actor_id           uuid,
    actor_roles        text[] not null,
    action             varchar(60) not null,
    target_type        varchar(40) not null,
    target_id          varchar(200),
    subject_account_id uuid,
    request_id         varchar(128),
    occurred_at        timestamptz not null default now()
);
create index audit_log_time on audit_log (occurred_at desc, id desc);
create index audit_log_actor on audit_log (actor_id, occurred_at desc);
create index audit_log_subject on audit_log (subject_account_id, occurred_at desc) where subject_account_id is not null;
create index audit_log_target on audit_log (target_type, target_id);

create function audit_log_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_log is append-only' using errcode = '42501';
end $$;
create trigger audit_log_no_update before update or delete on audit_log for each row execute function audit_log_append_only();
create trigger audit_log_no_truncate before truncate on audit_log for each statement execute function audit_log_append_only();
