-- One row per report and quantity (applications received, from 自然人, reviews, lawsuits) that the narrative states more than once with different numbers.
create or replace view rule_cs_6 as
with stated as (
    select *
    from scoped_facts
    where value is not null
        and (
            (quantity = 'applications_received' and regexp_matches(label, '收到|受理|接收|接到|新收'))
            or (quantity = 'applications_natural' and label like '%自然人%')
            or (quantity = 'reviews' and label like '%行政复议%')
            or (quantity = 'lawsuits' and label like '%行政诉讼%')
        )
),
conflicts as (
    select report_id, quantity,
        count(distinct value) as n_values,
        string_agg(label || ' ' || num_text(value) || unit, '；' order by position) as listing
    from stated
    group by report_id, quantity
)
select
    c.report_id,
    r.unit_id,
    r.year,
    'CS-6' as rule_id,
    null as tbl,
    null as row_key,
    null as col_key,
    null as section,
    case c.quantity
        when 'applications_received' then '收到政府信息公开申请数'
        when 'applications_natural' then '自然人申请数'
        when 'reviews' then '行政复议数'
        else '行政诉讼数'
    end as location,
    '同一数字' as expected,
    c.listing as actual,
    null as detail
from conflicts as c
join scoped_reports as r on r.report_id = c.report_id
where c.n_values > 1
