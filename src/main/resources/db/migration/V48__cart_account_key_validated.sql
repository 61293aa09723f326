-- Checks the carts V47's key did not (its own transaction: this takes a lock that lets carts and accounts be written).
alter table cart validate constraint cart_account_fkey;
