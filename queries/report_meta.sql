-- One row per stored report (every version): its unit's kind (and the rule that chose it) and district, its scope (city | outside), its deadline and whether it was on time.
create or replace view report_meta as
with base as (
    select
        r.report_id,
        r.unit_id,
        r.unit_name,
        u.district,
        coalesce(u.kind, o.kind, 'other') as kind,
        case when o.report_id is null then 'city' else 'outside' end as scope,
        coalesce(u.kind_rule, 'other') as kind_rule,
        coalesce(nullif(u.kind_basis, ''), '未识别单位名称') as kind_basis,
        coalesce(u.own_report, false) as own_report,
        r.year,
        r.template,
        r.title,
        r.published,
        r.version,
        -- current: no newer version of the same unit and year (as current_reports ranks them). Asked
        -- of the scoped reports' own (unit, year) alone, not ranked over the whole store
        not exists (
            select 1
            from reports as n
            where coalesce(n.unit_id, n.report_id) = coalesce(r.unit_id, r.report_id)
                and n.year is not distinct from r.year
                and (n.version > r.version or (n.version = r.version and n.report_id > r.report_id))
        ) as is_current,
        -- what a finding's fingerprint names the report by: its canonical unit; without one, its title,
        -- else its file name (never the report id, which changes with every version and reparse)
        coalesce(r.unit_id, nullif(r.title, ''), nullif(d.file_name, ''), '') as fingerprint_key
    from scoped_reports as r
    left join units as u on u.unit_id = r.unit_id
    left join outside_reports as o on o.report_id = r.report_id
    left join documents as d on d.sha256 = r.sha256
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
    d.*,
    case when d.published is null or d.deadline is null then null else d.published <= d.deadline end as on_time,
    -- what a timeliness finding says about the deadline: the class, the rule that chose it, the basis
    '单位类别：' || coalesce(k.label, d.kind) || '（判定依据：' || d.kind_basis || '）；期限依据：'
        || case when d.year < 2019 then '旧《条例》第三十一条：3月31日前' else coalesce(k.basis, '') end as kind_note
from dated as d
left join unit_kinds as k on k.kind = d.kind
