-- One row per source ever harvested: its latest run, what that run found, and why anything failed.
create or replace view harvest_status as
with ranked as (
    select
        s.*,
        r.started_at,
        r.finished_at,
        row_number() over (partition by s.source order by s.run_id desc) as nth
    from harvest_source_runs as s
    join harvest_runs as r on r.run_id = s.run_id
)
select
    k.source,
    k.unit_id,
    k.run_id,
    k.started_at,
    k.finished_at,
    k.found,
    k.new,
    k.unchanged,
    k.failed,
    k.requests,
    k.status,
    k.failures
from ranked as k
where k.nth = 1
