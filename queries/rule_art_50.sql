-- One row per 人民政府 report that does not mention all of 工作考核, 社会评议, 责任追究 (条例 第五十条).
create or replace view rule_art_50 as
with govs as (
    select m.report_id, m.unit_id, m.year, coalesce(string_agg(s.body, chr(10)), '') as body
    from report_meta as m
    left join sections as s on s.report_id = m.report_id
    where m.kind = 'government'
    group by m.report_id, m.unit_id, m.year
),
words as (
    select unnest(string_split((select text from settings where key = 'words.art50'), '|')) as word
),
missing as (
    select g.report_id, g.unit_id, g.year, string_agg(w.word, '、' order by w.word) as absent
    from govs as g
    cross join words as w
    where position(w.word in g.body) = 0
    group by g.report_id, g.unit_id, g.year
)
select
    m.report_id,
    m.unit_id,
    m.year,
    'ART-50' as rule_id,
    null as tbl,
    null as row_key,
    null as col_key,
    'overview' as section,
    '全文' as location,
    '工作考核、社会评议和责任追究结果情况' as expected,
    '未提及' as actual,
    m.absent as detail
from missing as m
