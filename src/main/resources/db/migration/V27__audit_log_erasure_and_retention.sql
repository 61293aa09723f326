-- The audit log stays append-only (P24) with two narrow, reviewed exceptions the privacy policy needs:
--
-- Erasure (P28): an entry about an erased account keeps what was done, by whom and when, but its
-- subject becomes the person's pseudonym, the same one their kept orders carry. Exactly that UPDATE
-- passes, once per entry: only subject_account_id changes (to another id), target_id only where it
-- spelled that account id, and subject_erased_at records that the subject is a pseudonym, so no
-- entry can be silently re-pointed and none twice.
--
-- Retention: entries older than seven years may be deleted. The purge's own period cannot go below
-- this floor, whatever its configuration says.
alter table audit_log add column subject_erased_at timestamptz;

create or replace function audit_log_append_only() returns trigger language plpgsql as $$
begin
    if TG_OP = 'UPDATE' then
        if OLD.subject_erased_at is null and NEW.subject_erased_at is not null
           and OLD.subject_account_id is not null and NEW.subject_account_id is not null
           and NEW.subject_account_id <> OLD.subject_account_id
           and NEW.id = OLD.id and NEW.actor_id is not distinct from OLD.actor_id and NEW.actor_roles = OLD.actor_roles
           and NEW.action = OLD.action and NEW.target_type = OLD.target_type
           and NEW.target_id is not distinct from replace(OLD.target_id, OLD.subject_account_id::text, NEW.subject_account_id::text)
           and NEW.request_id is not distinct from OLD.request_id and NEW.occurred_at = OLD.occurred_at then
            return NEW;
        end if;
    elsif TG_OP = 'DELETE' then
        if OLD.occurred_at < now() - interval '7 years' then
            return OLD;
        end if;
    end if;
    raise exception 'audit_log is append-only' using errcode = '42501';
end $$;
