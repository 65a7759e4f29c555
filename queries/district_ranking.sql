-- One row per (year, district): rank by mean score, ties broken by 合格率 then by 否决 count (equal on all three share a rank), with the change since the district's previous year.
create or replace view district_ranking as
with scored as (
    select * from district_scorecards where score is not null
),
ranked as (
    select
        s.year,
        s.district,
        rank() over (
            partition by s.year order by s.score desc, s.pass_rate desc nulls last, s.vetoes asc
        ) as rank,
        s.score,
        s.verdict,
        s.completeness,
        s.consistency,
        s.units_due,
        s.units_published,
        s.units_passed,
        s.pass_rate,
        s.vetoes,
        s.government_verdict,
        s.verdict_reason
    from scored as s
)
select
    r.*,
    round(r.score - p.score, 1) as change_since_previous_year
from ranked as r
left join scored as p on p.district = r.district and p.year = r.year - 1
