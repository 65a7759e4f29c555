-- One row per (year, district): rank by score (ties share a rank) and the change since the district's previous year.
create or replace view district_ranking as
with scored as (
    select * from district_scorecards where score is not null
),
ranked as (
    select
        s.year,
        s.district,
        rank() over (partition by s.year order by s.score desc) as rank,
        s.score,
        s.verdict,
        s.completeness,
        s.consistency
    from scored as s
)
select
    r.*,
    round(r.score - p.score, 1) as change_since_previous_year
from ranked as r
left join scored as p on p.district = r.district and p.year = r.year - 1
