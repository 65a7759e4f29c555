-- One row per stored report (every version): its unit's kind and district, its scope (city | outside), its deadline and whether it was on time.
create or replace view report_meta as
with base as (
    select
        r.report_id,
        r.unit_id,
        r.unit_name,
        u.district,
        coalesce(u.kind, o.kind, 'other') as kind,
        case when o.report_id is null then 'city' else 'outside' end as scope,
        r.year,
        r.template,
        r.title,
        r.published,
        r.version,
        r.report_id in (select c.report_id from current_reports as c) as is_current
    from reports as r
    left join units as u on u.unit_id = r.unit_id
    left join outside_reports as o on o.report_id = r.report_id
),
deadline_rule as (
    select
        b.*,
        case
            when b.year is null then null
            when b.year < 2019 then (select s.text from settings as s where s.key = 'deadlines.before_2019')
            else coalesce(
                (select s.text from settings as s where s.key = 'deadlines.' || b.kind),
                (select s.text from settings as s where s.key = 'deadlines.other')
            )
        end as deadline_md
    from base as b
),
dated as (
    select
        d.* exclude (deadline_md),
        cast(strptime(cast(d.year + 1 as varchar) || '-' || d.deadline_md, '%Y-%m-%d') as date) as deadline
    from deadline_rule as d
)
select
    *,
    case when published is null or deadline is null then null else published <= deadline end as on_time
from dated
