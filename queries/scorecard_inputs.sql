-- One row per store: a fingerprint of everything scorecard_rows reads (reports, units, unit kinds, settings but the as-of day, reports outside the city, scores). Equal to the stamp the refresh left beside scorecard_store exactly when that table is what scorecard_rows would give now.
create or replace view scorecard_inputs as
with parts as (
    select 'reports' as part, count(*) as n, coalesce(sum(hash(report_id, unit_id, year, version)), 0) as h from reports
    union all
    select 'units', count(*), coalesce(sum(hash(u)), 0) from units as u
    union all
    select 'unit_kinds', count(*), coalesce(sum(hash(k)), 0) from unit_kinds as k
    union all
    -- The as-of day is not kept in the table: unit_scorecards applies it on every read.
    select 'settings', count(*), coalesce(sum(hash(s)), 0) from settings as s where s.key <> 'timeliness.as_of'
    union all
    select 'outside_reports', count(*), coalesce(sum(hash(o.report_id)), 0) from outside_reports as o
    union all
    select 'score_store', count(*), coalesce(sum(hash(s)), 0) from score_store as s
)
select string_agg(part || ':' || n || ':' || h, ';' order by part) as fingerprint
from parts
