-- One row per report published after its deadline (条例 第四十九条).
create or replace view rule_time_1 as
with late as (
    select * from report_meta where on_time = false
)
select
    l.report_id,
    l.unit_id,
    l.year,
    'TIME-1' as rule_id,
    null as tbl,
    null as row_key,
    null as col_key,
    null as section,
    '发布时间' as location,
    cast(l.deadline as varchar) as expected,
    cast(l.published as varchar) as actual,
    '逾期 ' || (l.published - l.deadline) || ' 天；' || l.kind_note as detail
from late as l
