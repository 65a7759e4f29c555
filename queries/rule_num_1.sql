-- One row per parse note saying that a number in a report is not a plausible value (too large, not finite, absurd precision) and was kept as text.
create or replace view rule_num_1 as
with absurd as (
    select n.report_id, n.tbl, n.row_key, n.message
    from scoped_parse_notes as n
    where n.code = 'number_out_of_range'
)
select
    a.report_id,
    r.unit_id,
    r.year,
    'NUM-1' as rule_id,
    a.tbl,
    a.row_key,
    null as col_key,
    null as section,
    coalesce(table_name(a.tbl), '正文') as location,
    '合理的数字' as expected,
    '不合理的数字' as actual,
    a.message as detail
from absurd as a
join scoped_reports as r on r.report_id = a.report_id
