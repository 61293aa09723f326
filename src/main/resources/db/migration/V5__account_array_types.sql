-- Hibernate binds String[] as varchar[]; the columns use the same type so array operators
-- (role search uses @>) compare like with like.
alter table account
    alter column roles type varchar(20)[] using roles::varchar(20)[],
    alter column interests type varchar(60)[] using interests::varchar(60)[];
alter table account alter column roles set default '{customer}'::varchar(20)[];
alter table account alter column interests set default '{}'::varchar(60)[];
