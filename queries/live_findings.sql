-- One row per finding computed now by the rule views: on one stored report (every version), or on a (unit, year) with no report.
create or replace view live_findings as
with raw as (
    select * from rule_art_50
    union all by name
    select * from rule_cs_1
    union all by name
    select * from rule_cs_10
    union all by name
    select * from rule_cs_11
    union all by name
    select * from rule_cs_12
    union all by name
    select * from rule_cs_2
    union all by name
    select * from rule_cs_3
    union all by name
    select * from rule_cs_3b
    union all by name
    select * from rule_cs_4
    union all by name
    select * from rule_cs_5
    union all by name
    select * from rule_cs_6
    union all by name
    select * from rule_cs_7
    union all by name
    select * from rule_cs_8
    union all by name
    select * from rule_cs_9
    union all by name
    select * from rule_ct_1
    union all by name
    select * from rule_fmt_1
    union all by name
    select * from rule_kind_1
    union all by name
    select * from rule_lbl_1
    union all by name
    select * from rule_lbl_2
    union all by name
    select * from rule_lbl_3
    union all by name
    select * from rule_lbl_4
    union all by name
    select * from rule_meta_1
    union all by name
    select * from rule_num_1
    union all by name
    select * from rule_nar_1
    union all by name
    select * from rule_nar_2
    union all by name
    select * from rule_nar_3
    union all by name
    select * from rule_off_1
    union all by name
    select * from rule_pl_1
    union all by name
    select * from rule_pl_2
    union all by name
    select * from rule_pl_3
    union all by name
    select * from rule_sec_1
    union all by name
    select * from rule_sus_1
    union all by name
    select * from rule_tbl_1
    union all by name
    select * from rule_tbl_2
    union all by name
    select * from rule_tbl_3
    union all by name
    select * from rule_time_1
    union all by name
    select * from rule_time_2
    union all by name
    select * from rule_time_3
    union all by name
    select * from rule_title_1
    union all by name
    select * from rule_xy_1
    union all by name
    select * from rule_xy_2
    union all by name
    select * from rule_xy_3
),
applicable as (
    select w.*, m.template, coalesce(m.district, u.district) as district, coalesce(w.unit_id, m.fingerprint_key) as fingerprint_key
    from raw as w
    join rules as ru on ru.rule_id = w.rule_id
    left join report_meta as m on m.report_id = w.report_id
    left join units as u on u.unit_id = w.unit_id
    where m.template is null or list_contains(string_split(ru.templates, ','), m.template)
),
numbered as (
    select
        a.*,
        row_number() over (
            partition by a.report_id, a.unit_id, a.year, a.rule_id, a.location
            order by a.tbl, a.row_key, a.col_key, a.expected, a.actual, a.detail
        ) as nth
    from applicable as a
),
located as (
    select
        n.* exclude (location, nth),
        case when n.nth = 1 then n.location else n.location || '（' || n.nth || '）' end as location
    from numbered as n
)
select
    finding_fingerprint(l.unit_id, l.fingerprint_key, l.year, l.rule_id, l.location) as fingerprint,
    l.report_id,
    l.unit_id,
    l.district,
    l.year,
    l.rule_id,
    ru.title as rule_title,
    ru.category,
    coalesce(ro.severity, ru.severity) as severity,
    coalesce(ro.deduction, ru.deduction) as deduction,
    l.tbl,
    l.row_key,
    l.col_key,
    l.section,
    l.location,
    l.expected,
    l.actual,
    l.detail,
    finding_message(ru.message_template, l.location, l.expected, l.actual, l.detail) as message
from located as l
join rules as ru on ru.rule_id = l.rule_id
left join rule_overrides as ro on ro.rule_id = l.rule_id and ro.template = l.template
