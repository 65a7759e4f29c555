-- One row per report whose Table 4 and section 四 disagree about whether there were reviews or lawsuits.
create or replace view rule_cs_7 as
with t4 as (
    select report_id,
        sum(value) filter (where col_key like '%\_total' escape '\') as cases,
        sum(value) filter (where col_key = 'review_total') as reviews,
        sum(value) filter (where col_key in ('direct_total', 'after_total')) as lawsuits,
        count(*) filter (where state in ('number', 'zero')) as n_numbers,
        count(*) filter (where state = 'missing') as n_missing
    from cells
    where tbl = 't4'
    group by report_id
),
text as (
    select report_id, body from sections where key = 'appeals'
),
none_words as (
    select text as pattern from settings where key = 'words.appeals_none'
),
claims as (
    -- each clause of section 四 that says nothing happened, and what it is about
    select x.report_id, c.clause,
        case
            when c.clause like '%复议%' and c.clause not like '%诉讼%' then 'reviews'
            when c.clause like '%诉讼%' and c.clause not like '%复议%' then 'lawsuits'
            else 'both'
        end as scope
    from text as x
    cross join none_words as w
    cross join lateral (
        select unnest(regexp_extract_all(x.body, '[^，。；]*(?:' || w.pattern || ')[^，。；]*', 0)) as clause
    ) as c
),
says_none as (
    select t.report_id,
        '表四有 ' || num_text(case c.scope when 'reviews' then t.reviews when 'lawsuits' then t.lawsuits else t.cases end)
            || ' 件' || case c.scope when 'reviews' then '行政复议' when 'lawsuits' then '行政诉讼' else '行政复议、行政诉讼' end
            || '，第四部分文字却称“' || c.clause || '”' as detail,
        num_text(case c.scope when 'reviews' then t.reviews when 'lawsuits' then t.lawsuits else t.cases end) as expected,
        '文字称未发生' as actual
    from t4 as t
    join claims as c on c.report_id = t.report_id
    where (c.scope = 'reviews' and t.reviews > 0)
        or (c.scope = 'lawsuits' and t.lawsuits > 0)
        or (c.scope = 'both' and t.cases > 0)
    qualify row_number() over (partition by t.report_id order by c.clause) = 1
),
says_some as (
    select t.report_id, '第四部分文字称“' || any_value(f.label) || ' ' || num_text(max(f.value)) || any_value(f.unit)
        || '”，表四复议诉讼全部为 0' as detail,
        '0' as expected, num_text(max(f.value)) as actual
    from t4 as t
    join facts as f on f.report_id = t.report_id and f.section = 'appeals'
    where t.n_missing = 0 and t.n_numbers > 0 and coalesce(t.cases, 0) = 0
        and f.quantity in ('reviews', 'lawsuits') and f.value > 0
    group by t.report_id
),
found as (
    select * from says_none
    union all
    select * from says_some
)
select
    f.report_id,
    r.unit_id,
    r.year,
    'CS-7' as rule_id,
    't4' as tbl,
    null as row_key,
    null as col_key,
    'appeals' as section,
    '表四与第四部分' as location,
    f.expected,
    f.actual,
    f.detail
from found as f
join reports as r on r.report_id = f.report_id
