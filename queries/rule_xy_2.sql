-- One row per 2021-format Table 2 （一） row where 现行有效件数 ≠ last year's + 本年制发件数 − 本年废止件数.
create or replace view rule_xy_2 as
with pairs as materialized (
    select r.report_id, r.unit_id, r.year, p.report_id as prev_id
    from scoped_reports as r
    join current_reports as p on p.unit_id = r.unit_id and p.year = r.year - 1 and p.template = '2021'
    where r.unit_id is not null and r.template = '2021'
),
rows_now as materialized (
    select report_id, row_key, any_value(row_label) as row_label,
        max(value) filter (where col_key = 'issued') as issued,
        max(value) filter (where col_key = 'repealed') as repealed,
        max(value) filter (where col_key = 'in_force') as in_force,
        count(*) filter (where state in ('number', 'zero')) as n_numbers
    from scoped_cells
    where tbl = 't2' and row_key in ('rules', 'normative')
    group by report_id, row_key
),
now_rows as materialized (
    -- materialized: last year's rows are then matched on (report, row), never on the row alone
    select pr.*, n.row_key, n.row_label, n.issued, n.repealed, n.in_force
    from pairs as pr
    join rows_now as n on n.report_id = pr.report_id
    where n.n_numbers = 3
),
compared as (
    select n.*, p.in_force as prev_in_force
    from now_rows as n
    join rows_now as p on p.report_id = n.prev_id and p.row_key = n.row_key
    where p.n_numbers = 3
)
select
    c.report_id,
    c.unit_id,
    c.year,
    'XY-2' as rule_id,
    't2' as tbl,
    c.row_key,
    'in_force' as col_key,
    null as section,
    '表二·' || c.row_label || '·现行有效件数' as location,
    num_text(c.prev_in_force + c.issued - c.repealed) as expected,
    num_text(c.in_force) as actual,
    '上年 ' || num_text(c.prev_in_force) || ' + 本年制发 ' || num_text(c.issued) || ' − 本年废止 ' || num_text(c.repealed) as detail
from compared as c
where c.in_force <> c.prev_in_force + c.issued - c.repealed
