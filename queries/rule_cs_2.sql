-- One row per 2021-format Table 2 （一） row where 本年制发件数 > 现行有效件数 + 本年废止件数.
create or replace view rule_cs_2 as
with t2 as (
    select c.report_id, c.row_key, any_value(c.row_label) as row_label,
        max(c.value) filter (where c.col_key = 'issued') as issued,
        max(c.value) filter (where c.col_key = 'repealed') as repealed,
        max(c.value) filter (where c.col_key = 'in_force') as in_force,
        count(*) filter (where c.state in ('number', 'zero')) as n_numbers
    from cells as c
    join reports as r on r.report_id = c.report_id and r.template = '2021'
    where c.tbl = 't2' and c.row_key in ('rules', 'normative')
    group by c.report_id, c.row_key
)
select
    t.report_id,
    r.unit_id,
    r.year,
    'CS-2' as rule_id,
    't2' as tbl,
    t.row_key,
    'issued' as col_key,
    null as section,
    '表二·' || t.row_label as location,
    num_text(t.in_force + t.repealed) as expected,
    num_text(t.issued) as actual,
    null as detail
from t2 as t
join reports as r on r.report_id = t.report_id
where t.n_numbers = 3 and t.issued > t.in_force + t.repealed
