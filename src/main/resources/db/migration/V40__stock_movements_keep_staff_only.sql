-- A customer's own cancel recorded the customer's account id as the actor of the stock movement it caused,
-- where the data map (and erasure) expect a staff id or nothing: inventory records are nobody's personal
-- data, so an erased customer's id stayed behind. New movements keep staff ids only; older ones forget
-- any actor that is not a member of staff now (an erased account is no longer there at all).
update stock_movement m set actor_id = null
where actor_id is not null
  and not exists (select 1 from account a where a.id = m.actor_id and a.roles && array['admin', 'support']::varchar(20)[]);
