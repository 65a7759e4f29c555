-- One row per report whose title is not the standard "……政府信息公开工作年度报告".
create or replace view rule_title_1 as
with odd as (
    select *
    from scoped_reports
    where coalesce(trim(title), '') <> ''
        and regexp_replace(title, '\s', '', 'g') not like '%政府信息公开工作年度报告%'
)
select
    o.report_id,
    o.unit_id,
    o.year,
    'TITLE-1' as rule_id,
    null as tbl,
    null as row_key,
    null as col_key,
    null as section,
    '标题' as location,
    '政府信息公开工作年度报告' as expected,
    o.title as actual,
    null as detail
from odd as o
