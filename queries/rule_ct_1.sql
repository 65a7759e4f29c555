-- One row per report whose 一、总体情况 leaves out several of the five topics named by 国办公开办函〔2021〕30号.
create or replace view rule_ct_1 as
with overview as (
    select report_id, body from scoped_sections where key = 'overview'
),
topics as (
    select
        t.topic,
        (select s.text from settings as s where s.key = 'words.topic_' || t.topic) as pattern,
        t.seq
    from (
        select unnest(string_split((select text from settings where key = 'words.overview_topics'), '|')) as topic,
            generate_subscripts(string_split((select text from settings where key = 'words.overview_topics'), '|'), 1) as seq
    ) as t
),
missing as (
    select o.report_id, count(*) as n_missing, string_agg(t.topic, '、' order by t.seq) as absent
    from overview as o
    cross join topics as t
    where not regexp_matches(o.body, t.pattern)
    group by o.report_id
)
select
    m.report_id,
    r.unit_id,
    r.year,
    'CT-1' as rule_id,
    null as tbl,
    null as row_key,
    null as col_key,
    'overview' as section,
    '一、总体情况' as location,
    '主动公开、依申请公开、政府信息管理、平台建设、监督保障' as expected,
    '缺 ' || m.n_missing || ' 项' as actual,
    m.absent || case when r.template = '2019'
        then '（2019年格式未作此要求，五个方面出自国办公开办函〔2021〕30号，仅作提示）' else '' end as detail
from missing as m
join scoped_reports as r on r.report_id = m.report_id
where m.n_missing >= (select num from settings where key = 'thresholds.overview_topics_missing_min')
