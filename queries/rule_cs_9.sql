-- One row per report and section (一 or 五) copied from the same unit's previous report, plus one per report whose Tables 2–4 repeat last year's non-zero flow numbers cell for cell (stock cells such as 现行有效件数 and 上年结转 left out).
create or replace view rule_cs_9 as
with pairs as materialized (
    select r.report_id, r.unit_id, r.year, p.report_id as prev_id
    from scoped_reports as r
    join current_reports as p on p.unit_id = r.unit_id and p.year = r.year - 1
    where r.unit_id is not null
),
now_sections as materialized (
    -- materialized, like now_cells below: the two sides are matched on (report, section) only
    select pr.*, s.key, s.heading, s.body
    from pairs as pr
    join scoped_sections as s on s.report_id = pr.report_id and s.key in ('overview', 'problems')
),
prev_sections as materialized (
    select s.report_id, s.key, s.body
    from scoped_sections as s
    where s.key in ('overview', 'problems') and s.report_id in (select pr.prev_id from pairs as pr)
),
texts as (
    select n.* exclude (body),
        regexp_replace(n.body, '\s|\d', '', 'g') as now_text,
        regexp_replace(ps.body, '\s|\d', '', 'g') as prev_text
    from now_sections as n
    join prev_sections as ps on ps.report_id = n.prev_id and ps.key = n.key
),
grams as (
    select t.*,
        -- every overlapping pair of characters: the pairs from the first character and from the second
        list_distinct(list_concat(regexp_extract_all(t.now_text, '..'), regexp_extract_all(substr(t.now_text, 2), '..')))
            as g_now,
        list_distinct(list_concat(regexp_extract_all(t.prev_text, '..'), regexp_extract_all(substr(t.prev_text, 2), '..')))
            as g_prev
    from texts as t
    where length(t.now_text) >= 20 and length(t.prev_text) >= 20
),
common as (
    select g.*, len(list_intersect(g.g_now, g.g_prev)) as n_common
    from grams as g
),
scored_text as (
    -- Jaccard similarity of the two sets of distinct bigrams: |A ∩ B| / (|A| + |B| - |A ∩ B|)
    select c.*, c.n_common / (len(c.g_now) + len(c.g_prev) - c.n_common) as similarity
    from common as c
),
copied_text as (
    select report_id, unit_id, year, key as section, heading as location,
        '与' || (year - 1) || '年报告同一部分的文字相似度为 ' || num_text(round(similarity * 100)) || '%' as detail,
        similarity
    from scored_text
    where similarity >= (select num from settings where key = 'thresholds.copy_similarity')
),
stock as (
    -- cells that carry a stock over from last year (现行有效件数, 对外公开总数量, 上一年项目数量,
    -- 上年结转, 结转下年度): the same number two years running is expected there, not copying
    select
        string_split((select text from settings where key = 'copy.stock_t2_columns'), '|') as t2_cols,
        string_split((select text from settings where key = 'copy.stock_t3_rows'), '|') as t3_rows,
        (select num from settings where key = 'copy.min_cells') as min_cells
),
now_cells as materialized (
    -- materialized: the two sides are matched on (report, cell), never on the cell alone
    select pr.report_id, pr.unit_id, pr.year, pr.prev_id, c.tbl, c.row_key, c.col_key, c.value
    from pairs as pr
    cross join stock as k
    join scoped_cells as c on c.report_id = pr.report_id and c.state in ('number', 'zero', 'unit')
    where not (c.tbl = 't2' and list_contains(k.t2_cols, c.col_key))
        and not (c.tbl = 't3' and list_contains(k.t3_rows, c.row_key))
),
prev_cells as materialized (
    select c.report_id, c.tbl, c.row_key, c.col_key, c.value
    from scoped_cells as c
    where c.state in ('number', 'zero', 'unit') and c.report_id in (select pr.prev_id from pairs as pr)
),
flows as (
    select n.report_id, n.unit_id, n.year, n.tbl, n.row_key, n.col_key, n.value, pc.value as prev_value
    from now_cells as n
    join prev_cells as pc
        on pc.report_id = n.prev_id and pc.tbl = n.tbl and pc.row_key = n.row_key and pc.col_key = n.col_key
),
cell_pairs as (
    -- only non-zero flow cells are evidence: zeros repeat in every quiet year
    select report_id, unit_id, year,
        count(*) filter (where value <> 0 or prev_value <> 0) as n_nonzero,
        count(*) filter (where value <> 0 and value = prev_value) as n_same
    from flows
    group by report_id, unit_id, year
),
copied_tables as (
    select c.report_id, c.unit_id, c.year, null as section, '统计表二至表四' as location,
        '全部 ' || c.n_nonzero || ' 个非零流量单元格（不含现行有效、上年结转等存量）与' || (c.year - 1) || '年报告完全相同' as detail,
        1.0 as similarity
    from cell_pairs as c
    cross join stock as k
    where c.n_nonzero >= k.min_cells and c.n_same = c.n_nonzero
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
