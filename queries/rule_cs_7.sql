-- One row per report whose Table 4 and section 四 disagree: about whether there were reviews or lawsuits, about how many, or about their outcome (均获维持 while Table 4 has a 纠正 or a 尚未审结).
create or replace view rule_cs_7 as
with t4 as (
    select report_id,
        sum(value) filter (where col_key like '%\_total' escape '\') as cases,
        sum(value) filter (where col_key = 'review_total') as reviews,
        sum(value) filter (where col_key in ('direct_total', 'after_total')) as lawsuits,
        sum(value) filter (where col_key in ('review_corrected', 'review_pending')) as reviews_not_upheld,
        sum(value) filter (
            where col_key in ('direct_corrected', 'direct_pending', 'after_corrected', 'after_pending')
        ) as lawsuits_not_upheld,
        count(*) filter (where col_key = 'review_total' and state in ('number', 'zero')) as n_review_total,
        count(*) filter (where col_key in ('direct_total', 'after_total') and state in ('number', 'zero')) as n_lawsuit_totals,
        count(*) filter (where state in ('number', 'zero')) as n_numbers,
        count(*) filter (where state = 'missing') as n_missing
    from scoped_cells
    where tbl = 't4'
    group by report_id
),
text as (
    select report_id, body from scoped_sections where key = 'appeals'
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
    join scoped_facts as f on f.report_id = t.report_id and f.section = 'appeals'
    where t.n_missing = 0 and t.n_numbers > 0 and coalesce(t.cases, 0) = 0
        and f.quantity in ('reviews', 'lawsuits') and f.value > 0
    group by t.report_id
),
stated_counts as (
    -- counts the text gives for reviews or for lawsuits, by their own label (not 其中维持1件)
    select f.report_id, f.value, f.label, f.position,
        case
            when f.label like '%复议%' and f.label not like '%诉讼%' and f.label not like '%起诉%' then 'reviews'
            when (f.label like '%诉讼%' or f.label like '%起诉%') and f.label not like '%复议%' then 'lawsuits'
        end as scope
    from scoped_facts as f
    where f.section = 'appeals' and f.value is not null and f.quantity in ('reviews', 'lawsuits')
),
counts_differ as (
    select t.report_id,
        '第四部分文字称“' || arg_min(c.label, c.position) || ' ' || num_text(arg_min(c.value, c.position)) || '件”，表四'
            || case c.scope when 'reviews' then '行政复议总计为 ' || num_text(any_value(t.reviews))
                            else '行政诉讼总计为 ' || num_text(any_value(t.lawsuits)) end as detail,
        num_text(case c.scope when 'reviews' then any_value(t.reviews) else any_value(t.lawsuits) end) as expected,
        num_text(arg_min(c.value, c.position)) as actual,
        '·' || case c.scope when 'reviews' then '行政复议' else '行政诉讼' end || '件数' as suffix
    from t4 as t
    join stated_counts as c on c.report_id = t.report_id and c.scope is not null
    where coalesce(t.cases, 0) > 0
        and ((c.scope = 'reviews' and t.n_review_total = 1) or (c.scope = 'lawsuits' and t.n_lawsuit_totals = 2))
    group by t.report_id, c.scope
    -- one of the counts the text gives for it must be the table's
    having count(*) filter (
        where c.value = case c.scope when 'reviews' then t.reviews else t.lawsuits end
    ) = 0
),
upheld_words as (
    select text as pattern from settings where key = 'words.appeals_upheld'
),
upheld_claims as (
    -- each "均获维持" with the text of its sentence before it: it speaks of the last case kind named
    select x.report_id, c.prefix,
        case when strpos(c.prefix, '复议') > 0 then length(c.prefix) - strpos(reverse(c.prefix), '议复') else -1 end as at_review,
        greatest(
            case when strpos(c.prefix, '诉讼') > 0 then length(c.prefix) - strpos(reverse(c.prefix), '讼诉') else -1 end,
            case when strpos(c.prefix, '起诉') > 0 then length(c.prefix) - strpos(reverse(c.prefix), '诉起') else -1 end
        ) as at_lawsuit,
        regexp_extract(c.prefix, '(?:' || w.pattern || ')$', 0) as claim
    from text as x
    cross join upheld_words as w
    cross join lateral (
        select unnest(regexp_extract_all(x.body, '[^。；;]*?(?:' || w.pattern || ')', 0)) as prefix
    ) as c
),
upheld_scoped as (
    select u.*,
        case
            when u.at_review < 0 and u.at_lawsuit < 0 then 'both'
            when u.at_review > u.at_lawsuit then 'reviews'
            else 'lawsuits'
        end as scope
    from upheld_claims as u
),
not_upheld as (
    select t.report_id,
        '第四部分文字称“' || u.claim || '”，表四'
            || case u.scope when 'reviews' then '行政复议' when 'lawsuits' then '行政诉讼' else '复议诉讼' end
            || '有结果纠正或尚未审结 '
            || num_text(case u.scope when 'reviews' then t.reviews_not_upheld when 'lawsuits' then t.lawsuits_not_upheld
                                     else coalesce(t.reviews_not_upheld, 0) + coalesce(t.lawsuits_not_upheld, 0) end)
            || ' 件' as detail,
        '结果维持' as expected,
        '有纠正或未审结' as actual,
        '·审理结果' as suffix
    from t4 as t
    join upheld_scoped as u on u.report_id = t.report_id
    where (u.scope = 'reviews' and t.reviews_not_upheld > 0)
        or (u.scope = 'lawsuits' and t.lawsuits_not_upheld > 0)
        or (u.scope = 'both' and coalesce(t.reviews_not_upheld, 0) + coalesce(t.lawsuits_not_upheld, 0) > 0)
    qualify row_number() over (partition by t.report_id order by u.prefix) = 1
),
found as (
    select * from says_none
    union all by name
    select * from says_some
    union all by name
    select * from counts_differ
    union all by name
    select * from not_upheld
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
    '表四与第四部分' || coalesce(f.suffix, '') as location,
    f.expected,
    f.actual,
    f.detail
from found as f
join scoped_reports as r on r.report_id = f.report_id
