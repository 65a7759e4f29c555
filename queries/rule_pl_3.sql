-- One row per count cell far above what units of the same kind report in the same year and format (its peers' 75th percentile times thresholds.peer_ratio).
create or replace view rule_pl_3 as
with limits as (
    select
        (select num from settings where key = 'thresholds.peer_ratio') as ratio,
        (select num from settings where key = 'thresholds.peer_min') as floor_value,
        (select num from settings where key = 'thresholds.peer_count_min') as count_min
),
outliers as (
    select pc.*, lv.p75, lv.peers
    from peer_cells as pc
    cross join limits as l
    join peer_levels as lv
        on lv.kind = pc.kind and lv.year = pc.year and lv.template = pc.template
            and lv.tbl = pc.tbl and lv.row_key = pc.row_key and lv.col_key = pc.col_key
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
