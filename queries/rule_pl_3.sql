-- One row per count cell far above what units of the same kind report in the same year and format (its peers' 75th percentile times thresholds.peer_ratio).
create or replace view rule_pl_3 as
with limits as (
    select
        (select num from settings where key = 'thresholds.peer_ratio') as ratio,
        (select num from settings where key = 'thresholds.peer_min') as floor_value,
        (select num from settings where key = 'thresholds.peer_count_min') as count_min,
        string_split((select text from settings where key = 'thresholds.peer_kinds'), ',') as kinds
),
peer_cells as (
    -- The current report of every unit of a comparable kind; signed and decimal cells are not counts.
    select m.report_id, m.kind, m.year, m.template, c.tbl, c.row_key, c.col_key, c.row_label, c.col_label,
        c.value, c.state
    from report_meta as m
    cross join limits as l
    join cells as c on c.report_id = m.report_id
    join template_cells as tc
        on tc.template = m.template and tc.tbl = c.tbl and tc.row_key = c.row_key and tc.col_key = c.col_key
    where m.is_current and list_contains(l.kinds, m.kind) and not tc.signed and not tc.amount
        and c.state in ('number', 'zero')
),
levels as (
    select kind, year, template, tbl, row_key, col_key,
        count(*) as peers,
        quantile_cont(value, 0.75) as p75
    from peer_cells
    group by all
),
outliers as (
    select pc.*, lv.p75, lv.peers
    from peer_cells as pc
    cross join limits as l
    join levels as lv using (kind, year, template, tbl, row_key, col_key)
    -- The report itself is one of the peers; at least count_min others are needed.
    where lv.peers - 1 >= l.count_min
        and pc.value >= l.floor_value
        and pc.value > l.ratio * greatest(lv.p75, 1)
)
select
    o.report_id,
    r.unit_id,
    r.year,
    'PL-3' as rule_id,
    o.tbl,
    o.row_key,
    o.col_key,
    null as section,
    table_name(o.tbl)
        || '·' || regexp_replace(o.row_label, '^.*/', '') || '·' || o.col_label as location,
    num_text(o.p75) as expected,
    num_text(o.value) as actual,
    '同类单位 ' || (o.peers - 1) || ' 个，四分之三不超过 ' || num_text(o.p75) as detail
from outliers as o
join reports as r on r.report_id = o.report_id
