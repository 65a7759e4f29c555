-- One row per 2021-format report whose Table 3 prints （六）其他处理 as one 2019-shaped row (the parser's r6_2019_shape note).
create or replace view rule_fmt_1 as
with shaped as (
    select report_id, min(message) as message
    from scoped_parse_notes
    where code = 'r6_2019_shape'
    group by report_id
)
select
    r.report_id,
    r.unit_id,
    r.year,
    'FMT-1' as rule_id,
    't3' as tbl,
    'r6' as row_key,
    null as col_key,
    null as section,
    table_name('t3') || '·（六）其他处理' as location,
    '3 个子行' as expected,
    '1 行' as actual,
    s.message as detail
from shaped as s
join scoped_reports as r on r.report_id = s.report_id
where r.template = '2021'
