-- A caller without an account may leave an email address: a privacy request confirmed from it reaches their contacts
-- (exported, and deleted on erasure), which a name and phone alone never could.
alter table support_contact add column caller_email varchar(254);
create index support_contact_caller_email on support_contact (lower(caller_email)) where caller_email is not null;
