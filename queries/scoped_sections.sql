-- One row per section of one stored report that the rules read: during a refresh (variable scope_ids set) only the reports in scope, copied once into scratch_sections by the refresh; otherwise every one.
create or replace view scoped_sections as
select *
from sections
where getvariable('scope_ids') is null
union all
select *
from scratch_sections
where getvariable('scope_ids') is not null
