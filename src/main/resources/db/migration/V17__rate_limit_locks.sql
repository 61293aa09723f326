-- How many locks a key has served in its window: each lock lasts twice the one before, and a served
-- lock lets exactly one attempt through, so Retry-After always names the moment that attempt may come.
alter table rate_limit add column locks integer not null default 0;

-- Affiliate lookups the privacy requests and payout runs make.
create index affiliate_order_buyer on affiliate_order (buyer_account_id);
create index commission_approved on commission (currency, created_at) where status = 'approved';
