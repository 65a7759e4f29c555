-- One row per 2019-format Table 2 （一） row where 本年新公开数量 > 对外公开总数量.
create or replace view rule_cs_3 as
select
    t.report_id,
    t.unit_id,
    t.year,
    'CS-3' as rule_id,
    't2' as tbl,
    t.row_key,
    'published' as col_key,
    null as section,
    '表二·' || t.row_label as location,
    num_text(t.total) as expected,
    num_text(t.published) as actual,
    null as detail
from table2_documents as t
where t.template = '2019' and t.published > t.total
