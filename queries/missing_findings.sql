-- One row per finding on a (unit, year) that has no report (rule_time_2), formatted as in live_findings; computed live, since it depends on today's date.
create or replace view missing_findings as
with raw as (
    select * from rule_time_2
)
select
    finding_fingerprint(w.unit_id, w.unit_id, w.year, w.rule_id, w.location) as fingerprint,
    w.report_id,
    w.unit_id,
    u.district,
    w.year,
    w.rule_id,
    ru.title as rule_title,
    ru.category,
    ru.severity,
    ru.deduction,
    w.tbl,
    w.row_key,
    w.col_key,
    w.section,
    w.location,
    w.expected,
    w.actual,
    w.detail,
    finding_message(ru.message_template, w.location, w.expected, w.actual, w.detail) as message
from raw as w
join rules as ru on ru.rule_id = w.rule_id
left join units as u on u.unit_id = w.unit_id
