-- Every add to cart and every checkout moves the cart's expires_at. While that column was indexed, none of
-- those updates could be a HOT update: each wrote a new entry into all four of the cart's indexes, and an
-- account's cart (one row, updated twice per order) left a chain of dead versions that every later lookup
-- by account or id walked until a VACUUM came (never, on a server with autovacuum off). Unindexed, the
-- updates stay on the row's page, where PostgreSQL prunes the dead versions as it reads the page.
-- The only reader of the index was the retention run's purge of expired carts, which now scans the table.
drop index cart_expiry;
-- room on each page for the new versions (the rows are small and updated often)
alter table cart set (fillfactor = 70);
