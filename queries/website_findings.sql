-- One row per website finding (网站监测: rule_web_* views), formatted like report findings; never part of a report's score.
create or replace view website_findings as
with raw as (
    select * from rule_web_1
    union all by name
    select * from rule_web_2
)
select
    finding_fingerprint(w.unit_id, null, null, w.rule_id, w.location) as fingerprint,
    w.unit_id,
    coalesce(w.district, u.district) as district,
    w.site,
    w.column_url,
    w.column_name,
    w.column_type,
    w.newest_item,
    w.observed_on,
    w.days_stale,
    w.threshold,
    w.rule_id,
    ru.title as rule_title,
    ru.category,
    ru.severity,
    w.location,
    w.expected,
    w.actual,
    w.detail,
    finding_message(ru.message_template, w.location, w.expected, w.actual, w.detail) as message
from raw as w
join rules as ru on ru.rule_id = w.rule_id
left join units as u on u.unit_id = w.unit_id
