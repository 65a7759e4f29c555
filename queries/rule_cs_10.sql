-- One row per 2021-format report whose 六、其他需要报告的事项 does not mention 信息处理费.
create or replace view rule_cs_10 as
with silent as (
    select r.*
    from scoped_reports as r
    where r.template = '2021'
        and not exists (
            select 1 from scoped_sections as s
            where s.report_id = r.report_id and s.key = 'other' and s.body like '%信息处理费%'
        )
)
select
    s.report_id,
    s.unit_id,
    s.year,
    'CS-10' as rule_id,
    null as tbl,
    null as row_key,
    null as col_key,
    'other' as section,
    '六、其他需要报告的事项' as location,
    '信息处理费收取情况' as expected,
    '未提及' as actual,
    null as detail
from silent as s
