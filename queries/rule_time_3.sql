-- One row per report whose publication date is unknown, so timeliness cannot be checked.
create or replace view rule_time_3 as
with unknown as (
    select * from report_meta where published is null and deadline is not null
)
select
    u.report_id,
    u.unit_id,
    u.year,
    'TIME-3' as rule_id,
    null as tbl,
    null as row_key,
    null as col_key,
    null as section,
    '发布时间' as location,
    cast(u.deadline as varchar) as expected,
    '未知' as actual,
    u.kind_note as detail
from unknown as u
