-- Two planner costs that every add to cart and every JSON document built in SQL paid.
--
-- rfc3339 was declared immutable, but its body is only stable (to_char reads the session's locale
-- settings), and PostgreSQL inlines a SQL function only when its body is no more volatile than the
-- declaration says. Not inlined, it ran as a function of its own, its body parsed and planned again in
-- every statement that called it. Declared stable, as it is, it is inlined into its callers.
create or replace function rfc3339(t timestamptz) returns text
    language sql stable strict parallel safe
    as $$ select to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') $$;

-- PL/pgSQL plans each statement of cart_add_item for its parameters' values (a custom plan) as long as
-- the planner estimates the generic plan to cost more, which for these few-row index lookups it always
-- did: a third of PostgreSQL's time in an add was planning. The generic plans are the same lookups.
alter function cart_add_item(uuid, bpchar, uuid, uuid, integer, integer, bigint, integer, integer)
    set plan_cache_mode = force_generic_plan;
