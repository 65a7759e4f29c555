-- One row per number left blank in the narrative ("主动公开信息  条").
create or replace view rule_nar_2 as
with blanks as (
    select * from scoped_facts where value is null
)
select
    b.report_id,
    r.unit_id,
    r.year,
    'NAR-2' as rule_id,
    null as tbl,
    null as row_key,
    null as col_key,
    b.section,
    ts.title || '·' || b.label as location,
    '数字' as expected,
    '（空）' as actual,
    b.label || '  ' || b.unit as detail
from blanks as b
join scoped_reports as r on r.report_id = b.report_id
left join template_sections as ts on ts.key = b.section
