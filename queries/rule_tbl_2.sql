-- One row per report and missing Table 2 or Table 4.
create or replace view rule_tbl_2 as
with wanted as (
    select 't2' as tbl, '表二' as name, '二、主动公开政府信息情况' as title
    union all
    select 't4', '表四', '四、政府信息公开行政复议、行政诉讼情况'
),
missing as (
    select r.report_id, r.unit_id, r.year, w.*
    from scoped_reports as r
    cross join wanted as w
    where not exists (select 1 from scoped_tables_found as f where f.report_id = r.report_id and f.tbl = w.tbl)
)
select
    m.report_id,
    m.unit_id,
    m.year,
    'TBL-2' as rule_id,
    m.tbl,
    null as row_key,
    null as col_key,
    null as section,
    m.name as location,
    m.title as expected,
    '未找到' as actual,
    null as detail
from missing as m
