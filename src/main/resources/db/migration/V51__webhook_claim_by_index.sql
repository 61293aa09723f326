-- The webhook worker's lease, behind a function that never sorts the due deliveries, as V50 does for the
-- outbox: with statistics taken while few deliveries were pending, PostgreSQL planned the lease as a bitmap
-- scan of every due delivery and a sort, 27 ms a round of 20 with 20,000 due (a receiver back after an
-- outage), so a drain cost the square of its backlog; the ordered scan of the due index takes 0.7 ms.
create function webhook_claim(p_batch integer, p_lease_ms bigint)
    returns table (id uuid, subscription_id uuid, event_id uuid, payload text, attempts integer, url varchar, secret varchar)
    language plpgsql volatile
    set enable_sort = off
as $$
#variable_conflict use_column
begin
    return query
        with due as (
            select d.id from webhook_delivery d join webhook_subscription s on s.id = d.subscription_id
                join partner_client c on c.id = s.client_id
            where d.status = 'pending' and d.next_attempt_at <= now() and s.status = 'active' and c.status = 'active'
            order by d.next_attempt_at limit p_batch
            for update of d skip locked)
        update webhook_delivery d set next_attempt_at = now() + p_lease_ms * interval '1 millisecond', attempts = d.attempts + 1
        from due, webhook_subscription s
        where d.id = due.id and s.id = d.subscription_id
        returning d.id, d.subscription_id, d.event_id, d.payload::text, d.attempts, s.url, s.secret;
end
$$;
