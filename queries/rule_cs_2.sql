-- One row per 2021-format Table 2 （一） row where 本年制发件数 > 现行有效件数 + 本年废止件数.
create or replace view rule_cs_2 as
select
    t.report_id,
    t.unit_id,
    t.year,
    'CS-2' as rule_id,
    't2' as tbl,
    t.row_key,
    'issued' as col_key,
    null as section,
    '表二·' || t.row_label as location,
    num_text(t.in_force + t.repealed) as expected,
    num_text(t.issued) as actual,
    null as detail
from table2_documents as t
where t.template = '2021' and t.issued > t.in_force + t.repealed
