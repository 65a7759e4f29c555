-- One row per stored report, computed now: completeness %, consistency %, deductions (capped per rule), score (0 when vetoed), score before the veto, verdict and finding counts.
create or replace view live_scores as
with counted as (
    -- a finding a supervisor dismissed (驳回) no longer counts
    select f.*
    from report_findings as f
    where f.report_id is not null and f.fingerprint not in (select d.fingerprint from dismissed_findings as d)
),
per_rule as (
    select f.report_id, f.rule_id, least(sum(f.deduction), any_value(ru.cap)) as points
    from counted as f
    join rules as ru on ru.rule_id = f.rule_id
    group by f.report_id, f.rule_id
),
deductions as (
    select report_id, sum(points) as deductions from per_rule group by report_id
),
counts as (
    select report_id,
        count(*) filter (where severity = '否决') as vetoes,
        count(*) filter (where severity = '错误') as errors,
        count(*) filter (where severity = '警告') as warnings,
        count(*) filter (where severity = '提示') as notes
    from counted
    group by report_id
),
cell_fill as (
    select r.report_id,
        count(tc.tbl) as n_required,
        count(c.report_id) filter (where c.state in ('number', 'zero', 'unit')) as n_filled
    from scoped_reports as r
    left join template_cells as tc on tc.template = r.template
    left join scoped_cells as c
        on c.report_id = r.report_id and c.tbl = tc.tbl and c.row_key = tc.row_key and c.col_key = tc.col_key
    group by r.report_id
),
section_fill as (
    select r.report_id, count(s.key) as n_sections, (select count(*) from template_sections) as n_wanted
    from scoped_reports as r
    left join scoped_sections as s on s.report_id = r.report_id and s.key in (select key from template_sections)
    group by r.report_id
),
table_fill as (
    select r.report_id, count(f.tbl) filter (where f.tbl in ('t2', 't3', 't4')) as n_tables
    from scoped_reports as r
    left join scoped_tables_found as f on f.report_id = r.report_id
    group by r.report_id
),
identities as (
    -- evaluable: every term read; the others are 未核验 and never count as holding
    select report_id,
        count(*) as n_total,
        count(*) filter (where checkable) as n_checked,
        count(*) filter (where checkable and holds) as n_holding
    from identity_results
    group by report_id
),
unread as (
    select report_id, count(*) as n_ambiguous
    from scoped_cells
    where state = 'ambiguous'
    group by report_id
),
weights as (
    select
        (select num from settings where key = 'completeness.cells') as w_cells,
        (select num from settings where key = 'completeness.sections') as w_sections,
        (select num from settings where key = 'completeness.tables') as w_tables,
        (select num from settings where key = 'verdict.pass_score') as pass_score
),
scored as (
    select
        m.report_id, m.unit_id, m.district, m.kind, m.year, m.template, m.published, m.deadline, m.on_time, m.is_current,
        round(100 * (
            w.w_cells * case when cf.n_required > 0 then cf.n_filled / cf.n_required else 0 end
            + w.w_sections * sf.n_sections / sf.n_wanted
            + w.w_tables * tf.n_tables / 3
        ) / (w.w_cells + w.w_sections + w.w_tables), 1) as completeness,
        case when i.n_checked > 0 then round(100 * i.n_holding / i.n_checked, 1) end as consistency,
        coalesce(i.n_checked, 0) as identities_checked,
        coalesce(i.n_holding, 0) as identities_holding,
        coalesce(i.n_total, 0) as identities_total,
        coalesce(a.n_ambiguous, 0) as cells_ambiguous,
        coalesce(d.deductions, 0) as deductions,
        coalesce(c.vetoes, 0) as vetoes,
        coalesce(c.errors, 0) as errors,
        coalesce(c.warnings, 0) as warnings,
        coalesce(c.notes, 0) as notes,
        w.pass_score
    from report_meta as m
    cross join weights as w
    join cell_fill as cf on cf.report_id = m.report_id
    join section_fill as sf on sf.report_id = m.report_id
    join table_fill as tf on tf.report_id = m.report_id
    left join identities as i on i.report_id = m.report_id
    left join unread as a on a.report_id = m.report_id
    left join deductions as d on d.report_id = m.report_id
    left join counts as c on c.report_id = m.report_id
)
select
    s.* exclude (pass_score),
    -- 一致性 91 %（10/11 成立；可核验 11/13）: 100 % only when every identity and every cell could be read
    '一致性 ' || case
        when s.identities_checked = 0 then '未核验'
        when s.identities_holding = s.identities_checked
            and (s.identities_checked < s.identities_total or s.cells_ambiguous > 0) then '未全部核验'
        else num_text(round(100 * s.identities_holding / s.identities_checked)) || ' %'
    end || '（' || s.identities_holding || '/' || s.identities_checked || ' 成立；可核验 '
        || s.identities_checked || '/' || s.identities_total
        || case when s.cells_ambiguous > 0 then '；' || s.cells_ambiguous || ' 个单元格未能读取' else '' end
        || '）' as consistency_text,
    -- A 否决 makes the report 不合格 and it counts as 0 in every average (inspection logic).
    case when s.vetoes > 0 then 0 else greatest(0, 100 - s.deductions) end as score,
    case when s.vetoes > 0 or greatest(0, 100 - s.deductions) < s.pass_score then '不合格' else '合格' end as verdict,
    greatest(0, 100 - s.deductions) as score_before_veto
from scored as s
