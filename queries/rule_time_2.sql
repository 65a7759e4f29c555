-- One row per (unit, year) with no report once the deadline has passed: a veto.
create or replace view rule_time_2 as
with overdue as (
    select * from expected_reports where not reported and as_of > deadline
)
select
    null as report_id,
    o.unit_id,
    o.year,
    'TIME-2' as rule_id,
    null as tbl,
    null as row_key,
    null as col_key,
    null as section,
    o.name || ' ' || o.year || '年度年报' as location,
    cast(o.deadline as varchar) as expected,
    cast(o.as_of as varchar) as actual,
    o.name || ' ' || o.year || '年度（' || o.kind_note || '）' as detail
from overdue as o
