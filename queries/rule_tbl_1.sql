-- One row per report with no Table 3 (收到和处理政府信息公开申请情况): a veto.
create or replace view rule_tbl_1 as
with missing as (
    select r.*
    from scoped_reports as r
    where not exists (select 1 from scoped_tables_found as f where f.report_id = r.report_id and f.tbl = 't3')
)
select
    m.report_id,
    m.unit_id,
    m.year,
    'TBL-1' as rule_id,
    't3' as tbl,
    null as row_key,
    null as col_key,
    null as section,
    '表三' as location,
    '三、收到和处理政府信息公开申请情况' as expected,
    '未找到' as actual,
    null as detail
from missing as m
