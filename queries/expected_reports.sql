-- One row per (unit, year) that must have a report: every registered unit, for every year the store covers from the unit's first report on (every year for a 人民政府, which must report every year, and for a unit that never reported), with its deadline.
create or replace view expected_reports as
with years as (
    -- Years of the city's own reports: a report stored outside the city's scope opens no year.
    select distinct year
    from reports
    where year >= (select num from settings where key = 'timeliness.first_year')
        and report_id not in (select o.report_id from outside_reports as o)
),
first_seen as (
    select unit_id, min(year) as first_year
    from reports
    where unit_id is not null
    group by unit_id
),
pairs as (
    select u.unit_id, u.name, u.district, u.kind, u.kind_basis, y.year
    from units as u
    cross join years as y
    left join first_seen as f on f.unit_id = u.unit_id
    where f.first_year is null or y.year >= f.first_year or u.kind = 'government'
),
deadline_rule as (
    select
        p.*,
        coalesce(
            (select s.text from settings as s where s.key = 'deadlines.' || p.kind),
            (select s.text from settings as s where s.key = 'deadlines.other')
        ) as deadline_md
    from pairs as p
),
as_of as (
    select coalesce(try_cast(nullif((select text from settings where key = 'timeliness.as_of'), '') as date), current_date) as day
)
select
    d.unit_id,
    d.name,
    d.district,
    d.kind,
    d.year,
    cast(strptime(cast(d.year + 1 as varchar) || '-' || d.deadline_md, '%Y-%m-%d') as date) as deadline,
    (select day from as_of) as as_of,
    exists (select 1 from reports as r where r.unit_id = d.unit_id and r.year = d.year) as reported,
    '单位类别：' || coalesce(k.label, d.kind) || '（判定依据：' || coalesce(nullif(d.kind_basis, ''), '单位名录') || '）；期限依据：'
        || coalesce(k.basis, '') as kind_note
from deadline_rule as d
left join unit_kinds as k on k.kind = d.kind
