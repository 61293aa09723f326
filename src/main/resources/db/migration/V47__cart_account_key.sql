-- An account cart belongs to an account that exists. Without the key, a cart written in the instant an erasure ran
-- could outlive it, holding the erased account's id: now the erasure's delete takes such a cart with it, and a cart
-- written after it is refused (the caller is answered 401, the account is gone). Carts already orphaned that way go.
-- Added NOT VALID, so this migration locks the tables only for a moment; V48 checks the existing rows without
-- blocking writes.
delete from cart c where c.account_id is not null and not exists (select 1 from account a where a.id = c.account_id);
alter table cart add constraint cart_account_fkey foreign key (account_id) references account (id) on delete cascade not valid;
