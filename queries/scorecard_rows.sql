-- One row per (unit, year) that must report or did report: the unit, its deadline and its current report's scores, computed from the store (what scorecard_store keeps; unit_scorecards adds the day).
create or replace view scorecard_rows as
with stored as (
    -- current_reports holds one report for each of these.
    select unit_id, year from unit_years_reported
),
keys as (
    -- Both sides hold one row per (unit, year): the outer join is their union, read once.
    select
        coalesce(e.unit_id, s.unit_id) as unit_id,
        coalesce(e.year, s.year) as year,
        e.deadline,
        e.unit_id is not null as expected
    from expected_reports as e
    full outer join stored as s on s.unit_id = e.unit_id and s.year = e.year
),
current_scores as (
    select s.* from report_scores as s where s.is_current
),
rows as (
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
        coalesce(s.deadline, k.deadline) as deadline,
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
        k.expected
    from keys as k
    join units as u on u.unit_id = k.unit_id
    left join current_scores as s on s.unit_id = k.unit_id and s.year = k.year
)
select * from rows
