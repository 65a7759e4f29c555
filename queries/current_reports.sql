-- One row per (unit, year): the newest stored version of that unit's report for that year (of two with
-- one version number, which the store never writes, the greater report id).
create or replace view current_reports as
with ranked as (
    select
        r.*,
        row_number() over (partition by coalesce(r.unit_id, r.report_id), r.year order by r.version desc, r.report_id desc)
            as rank_in_year
    from reports as r
)
select * exclude (rank_in_year)
from ranked
where rank_in_year = 1
