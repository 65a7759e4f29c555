-- One row per 2019-format Table 2 （一） row where 本年新公开数量 > 本年新制作数量 (a soft check: older documents may be published).
create or replace view rule_cs_3b as
with t2 as (
    select c.report_id, c.row_key, any_value(c.row_label) as row_label,
        max(c.value) filter (where c.col_key = 'published') as published,
        max(c.value) filter (where c.col_key = 'made') as made,
        count(*) filter (where c.state in ('number', 'zero') and c.col_key in ('published', 'made')) as n_numbers
    from cells as c
    join reports as r on r.report_id = c.report_id and r.template = '2019'
    where c.tbl = 't2' and c.row_key in ('rules', 'normative')
    group by c.report_id, c.row_key
)
select
    t.report_id,
    r.unit_id,
    r.year,
    'CS-3B' as rule_id,
    't2' as tbl,
    t.row_key,
    'published' as col_key,
    null as section,
    '表二·' || t.row_label as location,
    num_text(t.made) as expected,
    num_text(t.published) as actual,
    null as detail
from t2 as t
join reports as r on r.report_id = t.report_id
where t.n_numbers = 2 and t.published > t.made
