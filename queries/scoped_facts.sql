-- One row per fact (a number stated in the text) of one stored report that the rules read: during a refresh (variable scope_ids set) only the reports in scope, copied once into scratch_facts by the refresh; otherwise every one.
create or replace view scoped_facts as
select *
from facts
where getvariable('scope_ids') is null
union all
select *
from scratch_facts
where getvariable('scope_ids') is not null
