-- One row per report whose tables follow the wrong official format for its year: a veto.
create or replace view rule_cs_12 as
with wrong as (
    select *
    from scoped_reports
    where (year >= 2021 and template = '2019') or (year between 2019 and 2020 and template = '2021')
)
select
    w.report_id,
    w.unit_id,
    w.year,
    'CS-12' as rule_id,
    null as tbl,
    null as row_key,
    null as col_key,
    null as section,
    '统计表格式' as location,
    cast(w.year as varchar) as expected,
    w.template as actual,
    case when w.year >= 2021 then ' 2021 版格式（国办公开办函〔2021〕30号）'
         else ' 2019 版格式（试行，国办公开办函〔2019〕60号）' end as detail
from wrong as w
