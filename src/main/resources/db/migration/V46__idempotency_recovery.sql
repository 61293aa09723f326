-- A command that commits its effect names what it made (checkout: the order's id) on its key, in the same
-- transaction. When the rest of the attempt fails (the database went away after the commit), the key is not
-- released: a retry with it is answered from what was made instead of running the command a second time.
alter table idempotency_key add column recovery text;
