-- Every instance keeps live sessions and rendered /v1/me views in memory for a moment (issue #14). These
-- triggers tell all of them, when a transaction commits, that a session ended or an account's view changed,
-- whichever code path did it (sign-out, a reused refresh token, erasure, staff edits, consent changes).
-- NOTIFY is sent at commit and folds identical payloads of one transaction into one.
create function notify_session_ended() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        perform pg_notify('session_ended', old.id::text);
        return old;
    end if;
    if new.revoked_at is not null and old.revoked_at is null or new.expires_at < old.expires_at then
        perform pg_notify('session_ended', new.id::text);
    end if;
    return new;
end $$;
create trigger auth_session_ended after update of revoked_at, expires_at or delete on auth_session
    for each row execute function notify_session_ended();

create function notify_account_changed() returns trigger language plpgsql as $$
begin
    perform pg_notify('account_changed', (case when tg_op = 'DELETE' then old.id else new.id end)::text);
    return null;
end $$;
create trigger account_changed after update or delete on account
    for each row execute function notify_account_changed();

create function notify_account_consent() returns trigger language plpgsql as $$
begin
    if new.account_id is not null then
        perform pg_notify('account_changed', new.account_id::text);
    end if;
    return null;
end $$;
create trigger consent_event_account_changed after insert on consent_event
    for each row execute function notify_account_consent();
