-- One row per narrative count of applications that matches nothing in Table 3 for the same applicants: received, 办理 or 办结 against 一, 一+二 or （七）总计; 上年结转 against 二; 结转下年度 against 四.
create or replace view rule_cs_5 as
with t3 as (
    select
        report_id, col_key,
        max(value) filter (where row_key = 'new') as new,
        max(value) filter (where row_key = 'carried_in') as carried_in,
        max(value) filter (where row_key = 'r7_total') as handled,
        max(value) filter (where row_key = 'carried_out') as carried_out,
        count(*) filter (where row_key in ('new', 'carried_in', 'r7_total') and state in ('number', 'zero')) as n_numbers,
        count(*) filter (where row_key = 'carried_in' and state in ('number', 'zero')) as n_carried_in,
        count(*) filter (where row_key = 'carried_out' and state in ('number', 'zero')) as n_carried_out
    from scoped_cells
    where tbl = 't3' and col_key in ('total', 'natural')
    group by report_id, col_key
),
stated as (
    select f.*,
        case f.quantity when 'applications_natural' then 'natural' else 'total' end as col_key,
        case
            when f.quantity = 'applications_carried' and regexp_matches(f.label, '上年|上一年|上年度') then 'carried_in'
            when f.quantity = 'applications_carried' and regexp_matches(f.label, '下年|下一年|继续办理') then 'carried_out'
            when f.quantity = 'applications_carried' then null
            else 'received'
        end as compared
    from scoped_facts as f
    where f.value is not null
        and (
            -- the total received, handled or concluded, as the narrative names it (not 法人或其他组织申请,
            -- nor a label cut by a line break)
            (f.quantity = 'applications_received' and regexp_matches(f.label, '收到|受理|接收|接到|新收|办理|办结'))
            or (f.quantity = 'applications_concluded' and f.sentence like '%申请%' and f.label like '%办结%')
            or (f.quantity = 'applications_natural' and f.label like '%自然人%')
            or (f.quantity = 'applications_carried' and f.sentence like '%申请%')
        )
),
mismatch as (
    select s.*, t.new, t.carried_in, t.handled, t.carried_out
    from stated as s
    join t3 as t on t.report_id = s.report_id and t.col_key = s.col_key
    where (s.compared = 'received' and t.n_numbers = 3 and s.value not in (t.new, t.new + t.carried_in, t.handled))
        or (s.compared = 'carried_in' and t.n_carried_in = 1 and s.value <> t.carried_in)
        or (s.compared = 'carried_out' and t.n_carried_out = 1 and s.value <> t.carried_out)
)
select
    m.report_id,
    r.unit_id,
    r.year,
    'CS-5' as rule_id,
    't3' as tbl,
    case m.compared when 'received' then 'new' else m.compared end as row_key,
    m.col_key,
    m.section,
    ts.title || '·' || m.label || '（第' || (m.position + 1) || '字）' as location,
    case m.compared
        when 'carried_in' then '二、上年结转 ' || num_text(m.carried_in)
        when 'carried_out' then '四、结转下年度继续办理 ' || num_text(m.carried_out)
        else '一、本年新收 ' || num_text(m.new) || '（一+二 = ' || num_text(m.new + m.carried_in) || '，（七）总计 = ' || num_text(m.handled) || '）'
    end as expected,
    num_text(m.value) || m.unit as actual,
    m.label as detail
from mismatch as m
join scoped_reports as r on r.report_id = m.report_id
left join template_sections as ts on ts.key = m.section
