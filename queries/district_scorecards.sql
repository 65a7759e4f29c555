-- One row per (district, year): units due and published, 合格率, 否决 count, mean score over due units (missing and vetoed as 0), the district government's own verdict and the district's verdict with its reason.
create or replace view district_scorecards as
with limits as (
    select
        (select num from settings where key = 'verdict.pass_score') as pass_score,
        (select num from settings where key = 'verdict.district_pass_rate_min') as pass_rate_min,
        (select num from settings where key = 'verdict.district_mean_min') as mean_min
),
units_in_year as (
    select * from unit_scorecards where district is not null
),
government as (
    -- Aggregated first, so that a district never fans out into several rows (one government per
    -- district is the units file's promise; a broken file still gives one row here).
    select
        district,
        year,
        count(*) as government_units,
        case
            when bool_or(verdict = '不合格') then '不合格'
            when bool_and(verdict = '合格') then '合格'
        end as government_verdict,
        min(status) as government_status,
        any_value(unit_id) as government_unit
    from units_in_year
    where own_government
    group by district, year
),
agg as (
    select
        district,
        year,
        count(*) as units_expected,
        count(*) filter (where due) as units_due,
        count(*) filter (where published_report) as units_published,
        count(*) filter (where on_time) as units_on_time,
        count(*) filter (where due and verdict = '合格') as units_passed,
        count(*) filter (where due and vetoes > 0) as vetoes,
        round(avg(score) filter (where due), 1) as avg_score,
        min(score) filter (where due) as worst_score,
        sum(vetoes) as open_vetoes,
        round(avg(completeness), 1) as completeness,
        round(avg(consistency), 1) as consistency
    from units_in_year
    group by district, year
),
rated as (
    select
        a.*,
        case when a.units_due > 0 then round(100.0 * a.units_passed / a.units_due, 1) end as pass_rate,
        g.government_verdict,
        g.government_status,
        g.government_unit,
        l.pass_score,
        l.pass_rate_min,
        l.mean_min
    from agg as a
    cross join limits as l
    left join government as g on g.district = a.district and g.year = a.year
),
reasons as (
    select
        r.*,
        list_filter([
            case when r.government_verdict = '不合格' then '区县政府本级年报不合格' end,
            case when r.pass_rate < r.pass_rate_min
                then '合格率 ' || num_text(r.pass_rate) || '% 低于 ' || num_text(r.pass_rate_min) || '%' end,
            case when r.avg_score < r.mean_min
                then '平均分 ' || num_text(r.avg_score) || ' 低于 ' || num_text(r.mean_min) || ' 分' end
        ], lambda x: x is not null) as failed_because
    from rated as r
)
select
    r.district,
    r.year,
    r.units_expected,
    r.units_published,
    r.units_on_time,
    r.avg_score,
    r.worst_score,
    r.open_vetoes,
    r.completeness,
    r.consistency,
    r.avg_score as score,
    r.government_verdict,
    case
        when r.units_due = 0 then null
        when len(r.failed_because) > 0 then '不合格'
        else '合格'
    end as verdict,
    r.units_due,
    r.units_passed,
    r.pass_rate,
    r.vetoes,
    r.government_status,
    r.government_unit,
    array_to_string(r.failed_because, '；') as verdict_reason
from reasons as r
