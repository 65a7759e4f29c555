-- One row per 2019-format Table 2 （一） row where 本年新公开数量 > 本年新制作数量 (a soft check: older documents may be published).
create or replace view rule_cs_3b as
select
    t.report_id,
    t.unit_id,
    t.year,
    'CS-3B' as rule_id,
    't2' as tbl,
    t.row_key,
    'published' as col_key,
    null as section,
    '表二·' || t.row_label as location,
    num_text(t.made) as expected,
    num_text(t.published) as actual,
    null as detail
from table2_documents as t
where t.template = '2019' and t.published > t.made
