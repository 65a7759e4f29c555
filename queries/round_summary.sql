-- One row per closed round (its latest revision): coverage, 合格率 and the count of findings and units in each state.
create or replace view round_summary as
with latest as (
    select *
    from rounds
    qualify row_number() over (partition by round order by revision desc) = 1
),
unit_counts as (
    select
        u.round,
        u.revision,
        count(*) as units_due,
        count(*) filter (where u.verdict = '合格') as units_passed,
        count(*) filter (where u.escalated) as escalated,
        count(*) filter (where u.unit_status = '新不合格') as newly_failing,
        count(*) filter (where u.unit_status = '恢复合格') as back_to_pass,
        sum(u.dismissed) as dismissed
    from round_units as u
    join latest as l on l.round = u.round and l.revision = u.revision
    group by u.round, u.revision
),
finding_counts as (
    select
        f.round,
        f.revision,
        count(*) filter (where f.status = '新发现') as new,
        count(*) filter (where f.status in ('新发现', '仍未整改', '逾期未整改')) as open,
        count(*) filter (where f.status = '已整改') as rectified,
        count(*) filter (where f.status = '逾期未整改') as overdue,
        count(*) filter (where f.status = '不再适用') as not_applicable
    from round_findings as f
    join latest as l on l.round = f.round and l.revision = f.revision
    group by f.round, f.revision
)
select
    l.round,
    l.revision,
    l.closed_on,
    l.report_year,
    l.closed_at,
    l.actor,
    l.deadline,
    l.deadline_warning,
    coalesce(u.units_due, 0) as units_due,
    coalesce(u.units_passed, 0) as units_passed,
    case when u.units_due > 0 then round(100.0 * u.units_passed / u.units_due, 1) end as pass_rate,
    coalesce(f.new, 0) as new,
    coalesce(f.open, 0) as open,
    coalesce(f.rectified, 0) as rectified,
    coalesce(f.overdue, 0) as overdue,
    coalesce(f.not_applicable, 0) as not_applicable,
    coalesce(u.escalated, 0) as escalated,
    coalesce(u.newly_failing, 0) as newly_failing,
    coalesce(u.back_to_pass, 0) as back_to_pass,
    coalesce(u.dismissed, 0) as dismissed
from latest as l
left join unit_counts as u on u.round = l.round and u.revision = l.revision
left join finding_counts as f on f.round = l.round and f.revision = l.revision
