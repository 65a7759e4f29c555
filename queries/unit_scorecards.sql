-- One row per (unit, year) that must report or did report: its current report's scores, or 未发布 (不合格, 0 points, one veto) once the deadline has passed.
-- Read from scorecard_store when the store was opened read-only and the table was built from the
-- store as it is (store.connect compares scorecard_inputs with the stamp the refresh left and sets
-- scorecards_fresh, nianbao/cursors.py, on the connection and its cursors); else computed live by
-- scorecard_rows. DuckDB folds the variable while planning, so only one branch is ever run.
create or replace view unit_scorecards as
with rows as (
    select * from scorecard_store where coalesce(getvariable('scorecards_fresh'), false)
    union all by name
    select * from scorecard_rows where not coalesce(getvariable('scorecards_fresh'), false)
),
joined as (
    -- The day a deadline is judged against; none for a (unit, year) no unit must report (its report alone counts).
    select r.*, case when r.expected then (select day from as_of_day) end as as_of
    from rows as r
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
