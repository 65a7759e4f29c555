-- One row per peer-level cell (kind, year, template, tbl, row_key, col_key) of a group that a refreshed report (variable refresh_ids) leaves or joins: its members after the refresh, how many, and their 75th percentile.
create or replace view peer_level_changes as
with refreshed as (
    select unnest(getvariable('refresh_ids')) as report_id
),
joining as (
    select p.kind, p.year, p.template, p.tbl, p.row_key, p.col_key, p.report_id, p.value
    from peer_cells as p
    where p.report_id in (select r.report_id from refreshed as r)
),
touched as (
    select j.kind, j.year, j.template from joining as j
    union
    select p.kind, p.year, p.template
    from peer_reports as p
    where p.report_id in (select r.report_id from refreshed as r)
),
before as (
    select l.*
    from peer_levels as l
    semi join touched as t on t.kind = l.kind and t.year = l.year and t.template = l.template
),
kept as (
    select b.kind, b.year, b.template, b.tbl, b.row_key, b.col_key, unnest(b.members, recursive := true)
    from before as b
),
members as (
    -- the other members stay as they were; the refreshed reports come in again with their counts now
    select k.kind, k.year, k.template, k.tbl, k.row_key, k.col_key, k.report_id, k.value
    from kept as k
    where k.report_id not in (select r.report_id from refreshed as r)
    union all
    select * from joining
),
keyed as (
    select b.kind, b.year, b.template, b.tbl, b.row_key, b.col_key from before as b
    union
    select j.kind, j.year, j.template, j.tbl, j.row_key, j.col_key from joining as j
)
select
    k.kind, k.year, k.template, k.tbl, k.row_key, k.col_key,
    count(m.report_id) as peers,
    quantile_cont(m.value, 0.75) as p75,
    coalesce(
        list({'report_id': m.report_id, 'value': m.value}) filter (where m.report_id is not null),
        []
    ) as members
from keyed as k
left join members as m
    on m.kind = k.kind and m.year = k.year and m.template = k.template
        and m.tbl = k.tbl and m.row_key = k.row_key and m.col_key = k.col_key
group by k.kind, k.year, k.template, k.tbl, k.row_key, k.col_key
