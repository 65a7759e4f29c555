-- One row per report and official section (一 to 六) that the report does not have.
create or replace view rule_sec_1 as
with missing as (
    select r.report_id, r.unit_id, r.year, ts.key, ts.title
    from scoped_reports as r
    cross join template_sections as ts
    where not exists (select 1 from scoped_sections as s where s.report_id = r.report_id and s.key = ts.key)
)
select
    m.report_id,
    m.unit_id,
    m.year,
    'SEC-1' as rule_id,
    null as tbl,
    null as row_key,
    null as col_key,
    m.key as section,
    m.title as location,
    m.title as expected,
    '未找到' as actual,
    null as detail
from missing as m
