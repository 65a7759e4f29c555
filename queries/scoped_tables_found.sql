-- One row per table found in one stored report that the rules read: during a refresh (variable scope_ids set) only the reports in scope, copied once into scratch_tables_found by the refresh; otherwise every one.
create or replace view scoped_tables_found as
select *
from tables_found
where getvariable('scope_ids') is null
union all
select *
from scratch_tables_found
where getvariable('scope_ids') is not null
