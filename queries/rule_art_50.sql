-- One row per report of a 人民政府 (a 县级以上 government, or a 乡镇人民政府) that does not mention each of 工作考核, 社会评议, 责任追究 in any of their words (条例 第五十条: 各级人民政府).
create or replace view rule_art_50 as
with govs as (
    select m.report_id, m.unit_id, m.year, coalesce(string_agg(s.body, chr(10)), '') as body
    from report_meta as m
    left join scoped_sections as s on s.report_id = m.report_id
    -- 街道办事处 are not 人民政府; a town's 人民政府 is
    where m.kind = 'government' or (m.kind = 'town' and m.unit_id like '%人民政府')
    group by m.report_id, m.unit_id, m.year
),
words as (
    select
        w.word,
        w.seq,
        coalesce((select s.text from settings as s where s.key = 'words.art50_' || w.word), w.word) as pattern
    from (
        select unnest(string_split((select text from settings where key = 'words.art50'), '|')) as word,
            generate_subscripts(string_split((select text from settings where key = 'words.art50'), '|'), 1) as seq
    ) as w
),
missing as (
    select g.report_id, g.unit_id, g.year, string_agg(w.word, '、' order by w.seq) as absent
    from govs as g
    cross join words as w
    where not regexp_matches(g.body, w.pattern)
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
