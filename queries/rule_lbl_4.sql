-- One row per negative number in a cell that must not be negative.
create or replace view rule_lbl_4 as
with negatives as (
    select c.*
    from cells as c
    join reports as r on r.report_id = c.report_id
    join template_cells as tc
        on tc.template = r.template and tc.tbl = c.tbl and tc.row_key = c.row_key and tc.col_key = c.col_key
    where c.value < 0 and not tc.signed
)
select
    n.report_id,
    r.unit_id,
    r.year,
    'LBL-4' as rule_id,
    n.tbl,
    n.row_key,
    n.col_key,
    null as section,
    table_name(n.tbl)
        || '·' || n.row_label || '·' || n.col_label as location,
    '≥ 0' as expected,
    num_text(n.value) as actual,
    null as detail
from negatives as n
join reports as r on r.report_id = n.report_id
