-- One row per (unit, year) that must have a report: every registered unit, for every year the store covers from the unit's first report on (every year for a 人民政府, which must report every year, and for a unit that never reported), with its deadline.
create or replace view expected_reports as
with reported as (
    -- Read once: it gives each unit's first year too.
    select unit_id, year from unit_years_reported
),
years as (
    -- Years of the city's own reports: a report stored outside the city's scope opens no year.
    select distinct year
    from reports
    where year >= (select num from settings where key = 'timeliness.first_year')
        and report_id not in (select o.report_id from outside_reports as o)
),
first_seen as (
    select unit_id, min(year) as first_year
    from reported
    group by unit_id
),
pairs as (
    select u.unit_id, u.name, u.district, u.kind, u.kind_basis, y.year
    from units as u
    cross join years as y
    left join first_seen as f on f.unit_id = u.unit_id
    where f.first_year is null or y.year >= f.first_year or u.kind = 'government'
),
deadlines as (
    -- One deadline per (kind, year), not one date parse per unit.
    select
        k.kind,
        y.year,
        cast(strptime(cast(y.year + 1 as varchar) || '-' || coalesce(
            (select s.text from settings as s where s.key = 'deadlines.' || k.kind),
            (select s.text from settings as s where s.key = 'deadlines.other')
        ), '%Y-%m-%d') as date) as deadline
    from (select distinct kind from units) as k
    cross join years as y
)
select
    p.unit_id,
    p.name,
    p.district,
    p.kind,
    p.year,
    d.deadline,
    (select day from as_of_day) as as_of,
    r.unit_id is not null as reported,
    '单位类别：' || coalesce(k.label, p.kind) || '（判定依据：' || coalesce(nullif(p.kind_basis, ''), '单位名录') || '）；期限依据：'
        || coalesce(k.basis, '') as kind_note
from pairs as p
join deadlines as d on d.kind = p.kind and d.year = p.year
left join reported as r on r.unit_id = p.unit_id and r.year = p.year
left join unit_kinds as k on k.kind = p.kind
