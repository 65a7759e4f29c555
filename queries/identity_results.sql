-- One row per arithmetic identity in one report, as the rules read it: during a refresh (variable scope_ids set) the checks computed once into identity_check_scratch, otherwise identity_checks.
create or replace view identity_results as
select *
from identity_check_scratch
where getvariable('scope_ids') is not null
union all by name
select *
from identity_checks
where getvariable('scope_ids') is null
