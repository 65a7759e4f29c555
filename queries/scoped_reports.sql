-- One row per stored report (every version) that the rules read: during a refresh (variable scope_ids set) only the reports in scope, copied once into scratch_reports by the refresh; otherwise every one.
create or replace view scoped_reports as
select *
from reports
where getvariable('scope_ids') is null
union all
select *
from scratch_reports
where getvariable('scope_ids') is not null
