-- One row per table (of a found table) that has required cells without a number; the message lists the cells, row by row.
create or replace view rule_cs_1 as
with blank_cells as (
    select c.report_id, c.tbl, c.row_key, c.col_key, c.row_label, c.col_label, tc.seq
    from scoped_cells as c
    join scoped_reports as r on r.report_id = c.report_id
    join template_cells as tc
        on tc.template = r.template and tc.tbl = c.tbl and tc.row_key = c.row_key and tc.col_key = c.col_key
    where c.state in ('blank', 'dash', 'none', 'text')
),
row_width as (
    select template, tbl, row_key, count(*) as n_cols
    from template_cells
    group by template, tbl, row_key
),
per_row as (
    select
        b.report_id, b.tbl, b.row_key,
        any_value(b.row_label) as row_label,
        min(b.seq) as seq,
        count(*) as n_blank,
        any_value(w.n_cols) as n_cols,
        string_agg(b.col_label, '、' order by b.seq) as cols
    from blank_cells as b
    join scoped_reports as r on r.report_id = b.report_id
    join row_width as w on w.template = r.template and w.tbl = b.tbl and w.row_key = b.row_key
    group by b.report_id, b.tbl, b.row_key
),
header_only as (
    select report_id, tbl from rule_tbl_3
),
per_table as (
    select
        p.report_id, p.tbl,
        sum(p.n_blank) as n_blank,
        string_agg(
            case when p.n_blank = p.n_cols and p.n_cols > 1 then p.row_label || '（整行）'
                 else p.row_label || '：' || p.cols end,
            '；' order by p.seq
        ) as listing
    from per_row as p
    where not exists (select 1 from header_only as h where h.report_id = p.report_id and h.tbl = p.tbl)
    group by p.report_id, p.tbl
)
select
    t.report_id,
    r.unit_id,
    r.year,
    'CS-1' as rule_id,
    t.tbl,
    null as row_key,
    null as col_key,
    null as section,
    table_name(t.tbl) as location,
    '数字（含 0）' as expected,
    num_text(t.n_blank) as actual,
    t.listing as detail
from per_table as t
join scoped_reports as r on r.report_id = t.report_id
