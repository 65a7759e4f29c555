-- One row per report outside the refresh (variable refresh_ids) whose PL-3 findings may change with the peer levels just recomputed (peer_level_work): it had a PL-3 finding in a touched group, or one of its counts now exceeds its peers' level.
create or replace view peer_dependants as
with limits as (
    select
        (select num from settings where key = 'thresholds.peer_ratio') as ratio,
        (select num from settings where key = 'thresholds.peer_min') as floor_value,
        (select num from settings where key = 'thresholds.peer_count_min') as count_min
),
refreshed as (
    select unnest(getvariable('refresh_ids')) as report_id
),
touched as (
    select distinct w.kind, w.year, w.template from peer_level_work as w
),
member_values as (
    select w.peers, w.p75, unnest(w.members, recursive := true)
    from peer_level_work as w
),
exceeding as (
    select v.report_id
    from member_values as v
    cross join limits as l
    where v.peers - 1 >= l.count_min and v.value >= l.floor_value and v.value > l.ratio * greatest(v.p75, 1)
),
had as (
    select f.report_id
    from finding_store as f
    join peer_reports as p on p.report_id = f.report_id
    semi join touched as t on t.kind = p.kind and t.year = p.year and t.template = p.template
    where f.rule_id = 'PL-3'
),
either as (
    select e.report_id from exceeding as e
    union
    select h.report_id from had as h
)
select e.report_id
from either as e
where e.report_id not in (select r.report_id from refreshed as r)
