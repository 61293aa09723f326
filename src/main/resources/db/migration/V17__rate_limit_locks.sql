-- How many locks a key has served in its window: each lock lasts twice the one before, and a served
-- lock lets exactly one attempt through, so Retry-After always names the moment that attempt may come.
alter table rate_limit add column locks integer not null default 0;

-- Affiliate lookups the privacy requests and payout runs make.
create index affiliate_order_buyer on affiliate_order (buyer_account_id);
create index commission_approved on commission (currency, created_at) where status = 'approved';

-- An idle visitor that never became an account is deleted after its cookie's lifetime; its referral
-- visits stay for the affiliate's figures, no longer linked to anyone.
alter table referral_visit drop constraint referral_visit_visitor_id_fkey;
alter table referral_visit add constraint referral_visit_visitor_id_fkey foreign key (visitor_id) references visitor (id) on delete set null;
