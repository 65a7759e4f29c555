-- One row per table that was found but holds no number at all (headers only).
create or replace view rule_tbl_3 as
with per_table as (
    select c.report_id, c.tbl, count(*) as n_cells,
        count(*) filter (where c.state in ('number', 'zero', 'unit', 'ambiguous')) as n_filled
    from scoped_cells as c
    join scoped_tables_found as f on f.report_id = c.report_id and f.tbl = c.tbl
    group by c.report_id, c.tbl
)
select
    p.report_id,
    r.unit_id,
    r.year,
    'TBL-3' as rule_id,
    p.tbl,
    null as row_key,
    null as col_key,
    null as section,
    table_name(p.tbl) as location,
    '填写数字' as expected,
    num_text(p.n_cells) as actual,
    null as detail
from per_table as p
join scoped_reports as r on r.report_id = p.report_id
where p.n_filled = 0
