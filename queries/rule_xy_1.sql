-- One row per Table 3 column where this year's 二、上年结转 differs from the same unit's previous report's 四、结转下年度继续办理.
create or replace view rule_xy_1 as
with pairs as materialized (
    select r.report_id, r.unit_id, r.year, p.report_id as prev_id
    from scoped_reports as r
    join current_reports as p on p.unit_id = r.unit_id and p.year = r.year - 1
    where r.unit_id is not null
),
-- This year's cells first, joined by report; materialized, so that the join with last year's cells
-- is on (report, column) and not reordered into one on the column alone (44M rows at 5,000 reports).
carried_in as materialized (
    select pr.*, c.col_key, c.col_label, c.value as carried_in
    from pairs as pr
    join scoped_cells as c on c.report_id = pr.report_id and c.tbl = 't3' and c.row_key = 'carried_in'
    where c.state in ('number', 'zero')
),
compared as (
    select ci.*, pc.value as carried_out
    from carried_in as ci
    join scoped_cells as pc
        on pc.report_id = ci.prev_id and pc.tbl = 't3' and pc.row_key = 'carried_out' and pc.col_key = ci.col_key
    where pc.state in ('number', 'zero')
)
select
    c.report_id,
    c.unit_id,
    c.year,
    'XY-1' as rule_id,
    't3' as tbl,
    'carried_in' as row_key,
    c.col_key,
    null as section,
    '表三·二、上年结转·' || c.col_label as location,
    num_text(c.carried_out) as expected,
    num_text(c.carried_in) as actual,
    cast(c.year - 1 as varchar) || '年' as detail
from compared as c
where c.carried_in <> c.carried_out
