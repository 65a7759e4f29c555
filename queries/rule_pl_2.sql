-- One row per count cell (not 本年增/减) that is more than thresholds.history_ratio times (and at least thresholds.history_min) the same cell of the same unit's previous report in the same format.
create or replace view rule_pl_2 as
with limits as (
    select
        (select num from settings where key = 'thresholds.history_ratio') as ratio,
        (select num from settings where key = 'thresholds.history_min') as floor_value
),
pairs as (
    select r.report_id, r.unit_id, r.year, p.report_id as prev_id
    from scoped_reports as r
    join current_reports as p on p.unit_id = r.unit_id and p.year = r.year - 1 and p.template = r.template
    where r.unit_id is not null
),
jumps as (
    select pr.report_id, pr.unit_id, pr.year, c.tbl, c.row_key, c.col_key, c.row_label, c.col_label,
        c.value, pc.value as prev_value
    from pairs as pr
    cross join limits as l
    join scoped_cells as c on c.report_id = pr.report_id and c.state = 'number'
    join scoped_cells as pc
        on pc.report_id = pr.prev_id and pc.tbl = c.tbl and pc.row_key = c.row_key and pc.col_key = c.col_key
    join scoped_reports as r on r.report_id = pr.report_id
    join template_cells as tc
        on tc.template = r.template and tc.tbl = c.tbl and tc.row_key = c.row_key and tc.col_key = c.col_key
    where pc.state = 'number' and pc.value > 0 and not tc.signed  -- 本年增/减 is a change, not a count
        and c.value >= l.floor_value and c.value > l.ratio * pc.value
)
select
    j.report_id,
    j.unit_id,
    j.year,
    'PL-2' as rule_id,
    j.tbl,
    j.row_key,
    j.col_key,
    null as section,
    table_name(j.tbl)
        || '·' || regexp_replace(j.row_label, '^.*/', '') || '·' || j.col_label as location,
    num_text(j.prev_value) as expected,
    num_text(j.value) as actual,
    '是上年的 ' || num_text(round(j.value / j.prev_value)) || ' 倍' as detail
from jumps as j
