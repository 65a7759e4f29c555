-- One row per 2019-format Table 2 row where 上一年项目数量 ≠ last year's 上一年项目数量 + 本年增/减.
create or replace view rule_xy_3 as
with pairs as materialized (
    select r.report_id, r.unit_id, r.year, p.report_id as prev_id
    from scoped_reports as r
    join current_reports as p on p.unit_id = r.unit_id and p.year = r.year - 1 and p.template = '2019'
    where r.unit_id is not null and r.template = '2019'
),
rows_all as materialized (
    select report_id, row_key, any_value(row_label) as row_label,
        max(value) filter (where col_key = 'prev_items') as prev_items,
        max(value) filter (where col_key = 'change') as change,
        count(*) filter (where col_key in ('prev_items', 'change') and state in ('number', 'zero')) as n_numbers
    from scoped_cells
    where tbl = 't2' and row_key in ('licensing', 'other_services', 'penalty', 'enforcement', 'fees')
    group by report_id, row_key
),
now_rows as materialized (
    -- materialized: last year's rows are then matched on (report, row), never on the row alone
    select pr.*, n.row_key, n.row_label, n.prev_items
    from pairs as pr
    join rows_all as n on n.report_id = pr.report_id
    where n.prev_items is not null
),
compared as (
    select n.*, p.prev_items as last_prev, p.change as last_change
    from now_rows as n
    join rows_all as p on p.report_id = n.prev_id and p.row_key = n.row_key
    where p.n_numbers = 2
)
select
    c.report_id,
    c.unit_id,
    c.year,
    'XY-3' as rule_id,
    't2' as tbl,
    c.row_key,
    'prev_items' as col_key,
    null as section,
    '表二·' || c.row_label || '·上一年项目数量' as location,
    num_text(c.last_prev + c.last_change) as expected,
    num_text(c.prev_items) as actual,
    '上年报告 上一年项目数量 ' || num_text(c.last_prev) || ' + 本年增/减 ' || num_text(c.last_change) as detail
from compared as c
where c.prev_items <> c.last_prev + c.last_change
