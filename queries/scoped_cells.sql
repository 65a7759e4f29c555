-- One row per cell of one stored report that the rules read: during a refresh (variable scope_ids set) only the reports in scope, copied once into scratch_cells by the refresh; otherwise every one.
create or replace view scoped_cells as
select *
from cells
where getvariable('scope_ids') is null
union all
select *
from scratch_cells
where getvariable('scope_ids') is not null
