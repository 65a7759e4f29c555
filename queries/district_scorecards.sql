-- One row per (district, year): coverage, on-time count, average and worst unit score, open vetoes and the district's verdict.
create or replace view district_scorecards as
with units_in_year as (
    select * from unit_scorecards where district is not null
),
government as (
    select district, year, verdict as government_verdict, status as government_status
    from units_in_year
    where kind = 'government'
),
agg as (
    select
        district,
        year,
        count(*) as units_expected,
        count(*) filter (where published_report) as units_published,
        count(*) filter (where on_time) as units_on_time,
        round(avg(score), 1) as avg_score,
        min(score) as worst_score,
        sum(vetoes) as open_vetoes,
        round(avg(completeness), 1) as completeness,
        round(avg(consistency), 1) as consistency
    from units_in_year
    group by district, year
)
select
    a.district,
    a.year,
    a.units_expected,
    a.units_published,
    a.units_on_time,
    a.avg_score,
    a.worst_score,
    a.open_vetoes,
    a.completeness,
    a.consistency,
    a.avg_score as score,
    g.government_verdict,
    case
        when a.avg_score is null then null
        when a.avg_score < (select num from settings where key = 'verdict.pass_score') then '不合格'
        when g.government_verdict = '不合格' then '不合格'
        else '合格'
    end as verdict
from agg as a
left join government as g on g.district = a.district and g.year = a.year
