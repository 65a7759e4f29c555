-- One row per report and missing piece of metadata (unit name, year, title).
create or replace view rule_meta_1 as
with missing as (
    select report_id, unit_id, year, '发布单位名称' as what from scoped_reports where coalesce(trim(unit_name), '') = ''
    union all
    select report_id, unit_id, year, '报告年度' from scoped_reports where year is null
    union all
    select report_id, unit_id, year, '报告标题' from scoped_reports where coalesce(trim(title), '') = ''
)
select
    m.report_id,
    m.unit_id,
    m.year,
    'META-1' as rule_id,
    null as tbl,
    null as row_key,
    null as col_key,
    null as section,
    m.what as location,
    m.what as expected,
    '未找到' as actual,
    null as detail
from missing as m
