-- One row per place (title, statistics period, a date typo, publication date) that disagrees with the report year.
create or replace view rule_cs_11 as
with texts as (
    select s.report_id, string_agg(s.body, chr(10) order by s.seq) as body
    from scoped_sections as s
    group by s.report_id
),
base as (
    select r.*, coalesce(t.body, '') as body
    from scoped_reports as r
    left join texts as t on t.report_id = r.report_id
    where r.year is not null
),
title_year as (
    select report_id, unit_id, year, '标题' as location,
        '标题中的年份为 ' || array_to_string(regexp_extract_all(title, '(\d{4})\s*年', 1), '、') as detail
    from base
    where len(regexp_extract_all(title, '(\d{4})\s*年', 1)) > 0
        and not list_contains(regexp_extract_all(title, '(\d{4})\s*年', 1), cast(year as varchar))
),
period as (
    select report_id, unit_id, year, '统计期限' as location,
        '统计期限写作“' || regexp_extract(body, '统计(?:期限|时限|期间)[为是:：]?\s*(?:自|从)?\s*\d{4}\s*年[^。；;]{0,20}', 0) || '”' as detail
    from base
    where regexp_extract(body, '统计(?:期限|时限|期间)[为是:：]?\s*(?:自|从)?\s*(\d{4})\s*年', 1) not in ('', cast(year as varchar))
),
typo as (
    select report_id, unit_id, year, '正文日期' as location,
        '年份写作“' || regexp_extract(body, '\d{5,}年', 0) || '”' as detail
    from base
    where regexp_matches(body || coalesce(title, ''), '\d{5,}年')
),
published as (
    select report_id, unit_id, year, '发布日期' as location,
        '发布日期 ' || cast(published as varchar) || ' 早于报告年度结束' as detail
    from base
    where published is not null and published <= make_date(year, 12, 31)
),
found as (
    select * from title_year
    union all
    select * from period
    union all
    select * from typo
    union all
    select * from published
)
select
    f.report_id,
    f.unit_id,
    f.year,
    'CS-11' as rule_id,
    null as tbl,
    null as row_key,
    null as col_key,
    null as section,
    f.location,
    cast(f.year as varchar) as expected,
    f.detail as actual,
    f.detail
from found as f
