-- One row per parse note of one stored report that the rules read: during a refresh (variable scope_ids set) only the reports in scope, copied once into scratch_parse_notes by the refresh; otherwise every one.
create or replace view scoped_parse_notes as
select *
from parse_notes
where getvariable('scope_ids') is null
union all
select *
from scratch_parse_notes
where getvariable('scope_ids') is not null
