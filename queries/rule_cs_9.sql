-- One row per report and section (一 or 五) copied from the same unit's previous report, plus one per report whose Tables 2–4 repeat last year's non-zero numbers cell for cell.
create or replace view rule_cs_9 as
with pairs as (
    select r.report_id, r.unit_id, r.year, p.report_id as prev_id
    from reports as r
    join current_reports as p on p.unit_id = r.unit_id and p.year = r.year - 1
    where r.unit_id is not null
),
texts as (
    select pr.*, s.key, s.heading,
        regexp_replace(s.body, '\s|\d', '', 'g') as now_text,
        regexp_replace(ps.body, '\s|\d', '', 'g') as prev_text
    from pairs as pr
    join sections as s on s.report_id = pr.report_id and s.key in ('overview', 'problems')
    join sections as ps on ps.report_id = pr.prev_id and ps.key = s.key
),
grams as (
    select t.*,
        list_distinct(list_transform(range(1, length(t.now_text)), lambda i: substr(t.now_text, i, 2))) as g_now,
        list_distinct(list_transform(range(1, length(t.prev_text)), lambda i: substr(t.prev_text, i, 2))) as g_prev
    from texts as t
    where length(t.now_text) >= 20 and length(t.prev_text) >= 20
),
scored_text as (
    select g.*,
        len(list_intersect(g.g_now, g.g_prev)) / len(list_distinct(list_concat(g.g_now, g.g_prev))) as similarity
    from grams as g
),
copied_text as (
    select report_id, unit_id, year, key as section, heading as location,
        '与' || (year - 1) || '年报告同一部分的文字相似度为 ' || num_text(round(similarity * 100)) || '%' as detail,
        similarity
    from scored_text
    where similarity >= (select num from settings where key = 'thresholds.copy_similarity')
),
cell_pairs as (
    select pr.report_id, pr.unit_id, pr.year,
        count(*) as n_cells,
        count(*) filter (where c.raw = pc.raw) as n_same,
        count(*) filter (where c.value <> 0) as n_nonzero
    from pairs as pr
    join cells as c on c.report_id = pr.report_id and c.state <> 'missing'
    join cells as pc on pc.report_id = pr.prev_id and pc.tbl = c.tbl and pc.row_key = c.row_key and pc.col_key = c.col_key
    group by pr.report_id, pr.unit_id, pr.year
),
copied_tables as (
    select report_id, unit_id, year, null as section, '统计表二至表四' as location,
        '全部 ' || n_cells || ' 个单元格与' || (year - 1) || '年报告完全相同' as detail,
        1.0 as similarity
    from cell_pairs
    where n_cells > 0 and n_same = n_cells and n_nonzero > 0
),
found as (
    select * from copied_text
    union all
    select * from copied_tables
)
select
    f.report_id,
    f.unit_id,
    f.year,
    'CS-9' as rule_id,
    null as tbl,
    null as row_key,
    null as col_key,
    f.section,
    f.location,
    '与上年不同' as expected,
    num_text(round(f.similarity * 100)) || '%' as actual,
    f.detail
from found as f
