-- One row per fact (a number stated in the text) of one stored report that the rules read: during a refresh (variable scope_ids set) only the reports in scope, otherwise every one.
create or replace view scoped_facts as
with scope as (
    -- unnest(null) is no rows: outside a refresh only the first branch below is kept
    select unnest(getvariable('scope_ids')) as report_id
)
select t.*
from facts as t
where getvariable('scope_ids') is null
union all
select t.*
from facts as t
semi join scope as s on s.report_id = t.report_id
