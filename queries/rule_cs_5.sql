-- One row per narrative count of applications that matches none of Table 3's 一, 一+二 or （七）总计 for the same applicants.
create or replace view rule_cs_5 as
with t3 as (
    select
        report_id, col_key,
        max(value) filter (where row_key = 'new') as new,
        max(value) filter (where row_key = 'carried_in') as carried_in,
        max(value) filter (where row_key = 'r7_total') as handled,
        count(*) filter (where row_key in ('new', 'carried_in', 'r7_total') and state in ('number', 'zero')) as n_numbers
    from cells
    where tbl = 't3' and col_key in ('total', 'natural')
    group by report_id, col_key
),
stated as (
    select f.*, case f.quantity when 'applications_natural' then 'natural' else 'total' end as col_key
    from facts as f
    where f.value is not null
        and (
            -- the total received, as the narrative names it (not 法人或其他组织申请, nor a label cut by a line break)
            (f.quantity = 'applications_received' and regexp_matches(f.label, '收到|受理|接收|接到|新收'))
            or (f.quantity = 'applications_natural' and f.label like '%自然人%')
        )
),
mismatch as (
    select s.*, t.new, t.carried_in, t.handled
    from stated as s
    join t3 as t on t.report_id = s.report_id and t.col_key = s.col_key
    where t.n_numbers = 3
        and s.value not in (t.new, t.new + t.carried_in, t.handled)
)
select
    m.report_id,
    r.unit_id,
    r.year,
    'CS-5' as rule_id,
    't3' as tbl,
    'new' as row_key,
    m.col_key,
    m.section,
    ts.title || '·' || m.label || '（第' || (m.position + 1) || '字）' as location,
    '一、本年新收 ' || num_text(m.new) || '（一+二 = ' || num_text(m.new + m.carried_in) || '，（七）总计 = ' || num_text(m.handled) || '）' as expected,
    num_text(m.value) || m.unit as actual,
    m.label as detail
from mismatch as m
join reports as r on r.report_id = m.report_id
left join template_sections as ts on ts.key = m.section
