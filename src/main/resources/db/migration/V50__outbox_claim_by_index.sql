-- The outbox worker's lease, behind a function that never sorts the queue. V32 gave the due index the
-- claim's order so that a round reads its batch straight off it, but PostgreSQL costs that plan from the
-- table's statistics, and a queue's are always stale: taken when the queue was empty or drained, they say a
-- handful of rows are pending, and the planner then prefers a bitmap scan of every due row and a sort. Under
-- a checkout load (four events an order) a minute's backlog of 17,000 events made each lease 35 ms, which
-- slowed the rounds, which grew the backlog. Without the sort the only plan left is the ordered index scan:
-- 50 entries read, about 2 ms with the same backlog.
create function outbox_claim(p_batch integer, p_lease_ms bigint)
    returns table (id uuid, aggregate_id uuid, topic varchar, payload text, attempts integer, created_at timestamptz)
    language plpgsql volatile
    set enable_sort = off
as $$
begin
    return query
        with due as (
            select o.id from outbox o where o.status = 'pending' and o.next_attempt_at <= now()
            order by o.next_attempt_at, o.created_at limit p_batch
            for update skip locked)
        update outbox o set next_attempt_at = now() + p_lease_ms * interval '1 millisecond'
        from due where o.id = due.id
        returning o.id, o.aggregate_id, o.topic, o.payload::text, o.attempts, o.created_at;
end
$$;
