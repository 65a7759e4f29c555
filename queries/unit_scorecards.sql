-- One row per (unit, year) that must report or did report: its current report's scores, or 未发布 (不合格, 0 points, one veto) once the deadline has passed.
create or replace view unit_scorecards as
with keys as (
    select unit_id, year from expected_reports
    union
    select unit_id, year from current_reports where unit_id is not null and year is not null
),
current_scores as (
    select s.* from report_scores as s where s.is_current
),
joined as (
    select
        k.unit_id,
        u.name as unit_name,
        u.district,
        u.kind,
        -- The district's own consolidated government report: the unit the units file flags (own_report).
        coalesce(u.own_report, false) as own_government,
        k.year,
        s.report_id,
        s.template,
        s.published,
        coalesce(s.deadline, e.deadline) as deadline,
        s.on_time,
        s.completeness,
        s.consistency,
        s.consistency_text,
        s.identities_checked,
        s.identities_total,
        s.deductions,
        s.score,
        s.score_before_veto,
        s.verdict,
        s.vetoes,
        s.errors,
        s.warnings,
        e.as_of
    from keys as k
    join units as u on u.unit_id = k.unit_id
    left join current_scores as s on s.unit_id = k.unit_id and s.year = k.year
    left join expected_reports as e on e.unit_id = k.unit_id and e.year = k.year
)
select
    j.unit_id,
    j.unit_name,
    j.district,
    j.kind,
    j.year,
    j.report_id,
    j.template,
    j.published,
    j.deadline,
    j.report_id is not null as published_report,
    case when j.report_id is null then (case when j.as_of > j.deadline then false end) else j.on_time end as on_time,
    case
        when j.report_id is not null then '已发布'
        when j.as_of > j.deadline then '逾期未发布'
        else '未到期'
    end as status,
    case when j.report_id is null and j.as_of > j.deadline then 0 else j.completeness end as completeness,
    j.consistency,
    j.consistency_text,
    j.identities_checked,
    j.identities_total,
    j.deductions,
    case when j.report_id is null and j.as_of > j.deadline then 0 else j.score end as score,
    j.score_before_veto,
    case when j.report_id is null and j.as_of > j.deadline then '不合格' else j.verdict end as verdict,
    case when j.report_id is null and j.as_of > j.deadline then 1 else coalesce(j.vetoes, 0) end as vetoes,
    coalesce(j.errors, 0) as errors,
    coalesce(j.warnings, 0) as warnings,
    coalesce(j.own_government, false) as own_government,
    -- Due: published, or past its deadline (a report not yet due does not count either way).
    j.report_id is not null or j.as_of > j.deadline as due
from joined as j
